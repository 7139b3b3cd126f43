#include "app/gui/headless_render.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <memory>

#include "core/analysis/report/headline.h"
#include "core/analysis/colour/unit_colouring.h"
#include "core/compare/scoring_pipeline.h"
#include "core/engine/device_backend.h"
#include "core/util/demo_pair.h"
#include "ui/export/ReportExport.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

namespace hl::app {
namespace {

std::filesystem::path fs_path(const QString& s) { return std::filesystem::path(QFile::encodeName(s).toStdString()); }

std::optional<std::string> read_text(const QString& path, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("%1: %2").arg(path, f.errorString());
    return std::nullopt;
  }
  if (static_cast<std::size_t>(f.size()) > session::kMaxTextBytes) {
    *error = QStringLiteral("%1: the file is larger than 16 MiB").arg(path);
    return std::nullopt;
  }
  return f.readAll().toStdString();
}

// The unit to explain: "best" = the hybrid's largest gain, "worst" = its largest loss, a unit number, or -1.
std::optional<int> callout_unit(const QString& callout, const ui::TokenDeltaModel& model) {
  if (callout.isEmpty()) return -1;
  if (callout == QLatin1String("best") || callout == QLatin1String("worst")) {
    const double sign = callout == QLatin1String("best") ? 1.0 : -1.0;
    double top = 0;
    int unit = -1;
    for (int u = 0; u < model.unitCount(); ++u)
      if (sign * model.delta(u) > top) {
        top = sign * model.delta(u);
        unit = u;
      }
    return unit;
  }
  bool ok = false;
  const int unit = callout.toInt(&ok);
  if (!ok || unit < 0 || unit >= model.unitCount()) return std::nullopt;
  return unit;
}

}  // namespace

std::optional<RenderJob> render_job_from(const QString& file, const QString& hybrid, const QStringList& references,
                                         const QString& tokenizer, const QString& device,
                                         const std::optional<QString>& text, QString* error) {
  RenderJob job;
  job.device = device;
  if (file.endsWith(QLatin1String(".hlens"), Qt::CaseInsensitive)) {
    try {
      job.session = session::read_session_file(fs_path(file));
    } catch (const std::exception& e) {
      *error = QString::fromUtf8(e.what());
      return std::nullopt;
    }
    job.hybrid = QString::fromStdString(job.session->hybrid_folder);
    for (const std::string& r : job.session->reference_folders) job.references << QString::fromStdString(r);
    job.tokenizer = QString::fromStdString(job.session->tokenizer);
    job.active_reference = job.session->active_reference;
    job.text = job.session->text;
  } else if (!file.isEmpty()) {
    const auto bytes = read_text(file, error);
    if (!bytes) return std::nullopt;
    job.text = *bytes;
  }
  if (!hybrid.isEmpty()) {  // the command line's models win over a session's
    job.hybrid = hybrid;
    job.references = references;
    job.tokenizer = tokenizer;
    job.active_reference = 0;
  } else if (file.isEmpty() && !text) {
    const auto demo = find_demo_pair(QCoreApplication::applicationDirPath().toStdString());
    if (!demo) {
      *error = QStringLiteral("the built-in demo pair is not installed next to this program (set "
                              "HYBRIDLENS_DEMO_DIR to use another folder)");
      return std::nullopt;
    }
    job.hybrid = QString::fromStdString(demo->hybrid.string());
    job.references = {QString::fromStdString(demo->transformer.string())};
    const auto sample = read_text(QString::fromStdString(demo->sample.string()), error);
    if (!sample) return std::nullopt;
    job.text = *sample;
  }
  if (text) job.text = text->toStdString();
  if (job.hybrid.isEmpty() || job.references.isEmpty()) {
    *error = QStringLiteral("--render needs --model and --reference (or neither, for the built-in demo)");
    return std::nullopt;
  }
  return job;
}

int render(const RenderJob& job) {
  QTextStream err(stderr);
  std::vector<std::shared_ptr<const analysis::Report>> reports;
  try {
    compare::ModelSetPaths paths;
    paths.compared = {fs_path(job.hybrid)};
    for (const QString& r : job.references) paths.references.push_back(fs_path(r));
    paths.tokenizer = fs_path(job.tokenizer);
    auto backend = engine::make_backend(job.device.toStdString());
    const compare::ModelSet set = compare::ModelSet::open(paths, *backend);
    for (analysis::Report& r : compare::build_reports(set, compare::score_text(set, *backend, job.text, {})))
      reports.push_back(std::make_shared<const analysis::Report>(std::move(r)));
  } catch (const std::exception& e) {
    err << "hybridlens: " << QString::fromUtf8(e.what()).simplified() << '\n';
    return 1;
  }
  const auto active = static_cast<std::size_t>(
      job.active_reference >= 0 && static_cast<std::size_t>(job.active_reference) < reports.size()
          ? job.active_reference
          : 0);

  ui::TokenDeltaModel model;
  if (job.session) {
    model.setColourLimit(job.session->colour_limit);
    if (const auto colouring = analysis::parse_colouring_key(job.session->colouring)) {
      model.setColourModel(colouring->second);
      model.setColourMode(colouring->first);
    }
    model.setCategoryFilter(QString::fromStdString(job.session->category_filter));
  }
  model.setReport(reports[active]);
  ui::TokenDeltaView view;  // never shown: SlideExport draws it with renderTo
  view.setModel(&model);

  ui::SlideOptions options = job.slide;
  const auto unit = callout_unit(job.callout, model);
  if (!unit) {
    err << "hybridlens: --callout must be best, worst or a unit number below " << model.unitCount() << '\n';
    return 2;
  }
  options.callout = *unit;
  options.otherReferences = analysis::other_reference_gaps(reports, active);
  QString error;
  if (!job.reportPath.isEmpty() && !ui::exportReport(reports[active].get(), job.reportPath, &error)) {
    err << "hybridlens: " << error << '\n';
    return 1;
  }
  if (!ui::SlideExport(view, options).exportTo(job.out, &error)) {
    err << "hybridlens: " << error << '\n';
    return 1;
  }
  QTextStream(stdout) << "wrote " << job.out << '\n';
  return 0;
}

}  // namespace hl::app
