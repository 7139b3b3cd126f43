#include <QApplication>
#include <QCommandLineParser>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTextStream>
#include <cstring>
#include <optional>

#include "app/gui/headless_render.h"
#include "core/engine/device_backend.h"
#include "core/util/version.h"
#include "ui/MainWindow.h"
#include "ui/views/ModelPanel.h"

namespace {

QString unavailableReason(const QString& device) {
  for (const hl::engine::DeviceInfo& d : hl::engine::available_devices())
    if (QString::fromStdString(d.id) == device) return QString::fromStdString(d.reason);
  return QStringLiteral("must be cpu or cuda");
}

// --render is a command-line tool: its stderr carries one-line errors only, not Qt's notes about the offscreen
// platform (missing XDG_RUNTIME_DIR, size hints). Critical and fatal messages still go through.
void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtCriticalMsg || type == QtFatalMsg) QTextStream(stderr) << "hybridlens: " << message << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  // A render needs no display: use the offscreen platform unless the user chose one.
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--render") == 0) {
      if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
      qInstallMessageHandler(quietMessages);
    }
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("HybridLens"));
  QApplication::setOrganizationName(QStringLiteral("HybridLens"));
  QApplication::setApplicationVersion(QString::fromLatin1(hl::kVersion));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "Explore a hybrid language model against a transformer reference: every token of a text is coloured by\n"
      "Δ = NLL(reference) − NLL(hybrid) (blue: the hybrid predicted it better)."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption model(QStringList{QStringLiteral("m"), QStringLiteral("model")},
                                 QStringLiteral("The hybrid model folder (Hugging Face layout)."), QStringLiteral("DIR"));
  const QCommandLineOption reference(QStringList{QStringLiteral("r"), QStringLiteral("reference")},
                                     QStringLiteral("A reference (transformer) model folder; repeat it to compare "
                                                    "with several (Δ and the slide use the first)."),
                                     QStringLiteral("DIR"));
  const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Run the models on cpu (default) or cuda."),
                                  QStringLiteral("DEVICE"), QStringLiteral("cpu"));
  const QCommandLineOption tokenizer(QStringList{QStringLiteral("t"), QStringLiteral("tokenizer")},
                                     QStringLiteral("tokenizer.json (or its folder) for model folders without one."),
                                     QStringLiteral("PATH"));
  const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("The text to explore (instead of a file)."),
                                QStringLiteral("TEXT"));
  const QCommandLineOption render(QStringLiteral("render"),
                                  QStringLiteral("Headless: score, write the slide (.png, .svg or .pdf) and exit.\n"
                                                 "Without --model and --reference: the built-in demo pair."),
                                  QStringLiteral("OUT"));
  const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("--render: the slide's title."),
                                 QStringLiteral("TITLE"));
  const QCommandLineOption caption(QStringLiteral("caption"), QStringLiteral("--render: a caption under the text."),
                                   QStringLiteral("TEXT"));
  const QCommandLineOption width(QStringLiteral("width"), QStringLiteral("--render: text width in pixels (1100)."),
                                 QStringLiteral("PX"), QStringLiteral("1100"));
  const QCommandLineOption scale(QStringLiteral("scale"), QStringLiteral("--render: PNG pixels per point (2)."),
                                 QStringLiteral("S"), QStringLiteral("2"));
  const QCommandLineOption callout(QStringLiteral("callout"),
                                   QStringLiteral("--render: outline and explain one unit: best, worst or its number."),
                                   QStringLiteral("UNIT"));
  const QCommandLineOption report(QStringLiteral("report"),
                                  QStringLiteral("--render: also write the report (.json, .csv or .html), the bytes "
                                                 "`hybridlens-cli score --reference` writes."),
                                  QStringLiteral("PATH"));
  for (const auto* o :
       {&model, &reference, &device, &tokenizer, &text, &render, &title, &caption, &width, &scale, &callout, &report})
    parser.addOption(*o);
  parser.addPositionalArgument(QStringLiteral("file"),
                               QStringLiteral("A text file to open (.txt, .md, .py, .html, .tex) or a session (.hlens)."),
                               QStringLiteral("[file]"));
  parser.process(app);

  QTextStream err(stderr);
  if (parser.isSet(model) != parser.isSet(reference)) {
    err << "hybridlens: --model and --reference go together\n";
    return 2;
  }
  const QStringList files = parser.positionalArguments();
  if (parser.isSet(render)) {
    QString error;
    auto job = hl::app::render_job_from(files.value(0), parser.value(model), parser.values(reference),
                                        parser.value(tokenizer), parser.value(device),
                                        parser.isSet(text) ? std::optional<QString>(parser.value(text)) : std::nullopt,
                                        &error);
    if (!job) {
      err << "hybridlens: " << error << '\n';
      return 2;
    }
    job->slide.title = parser.value(title);
    job->slide.caption = parser.value(caption);
    bool ok_width = false, ok_scale = false;
    job->slide.width = parser.value(width).toInt(&ok_width);
    job->slide.pngScale = parser.value(scale).toDouble(&ok_scale);
    if (!ok_width || job->slide.width < 320 || job->slide.width > 4000 || !ok_scale || job->slide.pngScale < 0.5 ||
        job->slide.pngScale > 8) {
      err << "hybridlens: --width must be 320..4000 and --scale 0.5..8\n";
      return 2;
    }
    job->callout = parser.value(callout);
    job->out = parser.value(render);
    job->reportPath = parser.value(report);
    return hl::app::render(*job);
  }
  hl::ui::MainWindow w;
  // The user's preferences, before a session or command-line models apply.
  w.restoreSettings();
  if (!files.isEmpty()) {
    QString error;
    const bool session = files.front().endsWith(QLatin1String(".hlens"), Qt::CaseInsensitive);
    if (!(session ? w.openSession(files.front(), &error) : w.openTextFile(files.front(), &error))) {
      err << "hybridlens: " << error << '\n';
      return 2;
    }
  }
  if (parser.isSet(text)) w.textEditor()->setPlainText(parser.value(text));
  if (parser.isSet(model)) {
    if (!w.modelPanel()->setDevice(parser.value(device))) {
      err << "hybridlens: --device " << parser.value(device) << ": " << unavailableReason(parser.value(device)) << '\n';
      return 2;
    }
    w.loadModels(parser.value(model), parser.values(reference), parser.value(tokenizer));
  } else if (files.isEmpty() && !parser.isSet(text)) {
    // A first run shows the point of the app at once: the built-in pair on its sample text, already coloured.
    QString error;
    if (!w.openDemo(&error)) w.statusBar()->showMessage(error, 15000);
  }
  w.show();
  return QApplication::exec();
}
