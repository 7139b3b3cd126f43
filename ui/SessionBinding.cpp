#include "ui/SessionBinding.h"

#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <utility>

#include "core/analysis/report/report.h"
#include "core/session/session_file.h"
#include "ui/MainWindow.h"
#include "ui/RecentModelsMenu.h"
#include "ui/ScoringController.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/ModelPanel.h"
#include "ui/views/TokenDeltaView.h"

namespace hl::ui {

namespace {

// QSettings keys; the recent sets are RecentModels' "models/recent" array.
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kDockStateKey = QStringLiteral("window/state");
const QString kColourRangeKey = QStringLiteral("view/colourRange");
const QString kThemeKey = QStringLiteral("view/theme");
constexpr int kDockStateVersion = 1;  // bump when the docks change so an old layout is not applied to new docks

std::filesystem::path fileSystemPath(const QString& path) { return QFile::encodeName(path).toStdString(); }

}  // namespace

SessionBinding::SessionBinding(MainWindow& window) : QObject(&window), window_(window) {
  ScoringController* c = window.controller();
  connect(c, &ScoringController::modelsReady, this, [this, c] {
    if (pendingActiveReference_ >= 0) c->setActiveReference(std::exchange(pendingActiveReference_, -1));
  });
  connect(c, &ScoringController::reportReady, this, &SessionBinding::applyPendingPin);
}

void SessionBinding::applyPendingPin() {
  const auto report = window_.controller()->report();
  if (pendingPin_ < 0 || !report || QString::fromStdString(report->comparison.text) != window_.textEditor()->toPlainText())
    return;
  if (pendingPin_ < window_.tokenModel()->unitCount()) {
    window_.tokenView()->setPinnedUnit(pendingPin_);
    window_.tokenView()->ensureUnitVisible(pendingPin_);
  }
  pendingPin_ = -1;
}

bool SessionBinding::save(const QString& path, QString* error) const {
  const ModelPanel& models = *window_.modelPanel();
  const TokenDeltaModel& units = *window_.tokenModel();
  session::Session s;
  s.hybrid_folder = models.hybridFolder().toStdString();
  for (const QString& reference : models.referenceFolders()) s.reference_folders.push_back(reference.toStdString());
  s.active_reference = s.reference_folders.empty() ? 0 : std::min(window_.controller()->activeReference(),
                                                                  static_cast<int>(s.reference_folders.size()) - 1);
  s.device = models.device().toStdString();
  s.tokenizer = models.tokenizerPath().toStdString();
  s.text = window_.textEditor()->toPlainText().toStdString();
  s.colour_limit = units.colourLimit();
  s.colouring = analysis::colouring_key(units.colouring().mode, units.colouring().model);
  s.category_filter = units.categoryFilter().toStdString();
  s.pinned_unit = window_.tokenView()->pinnedUnit();
  s.window_state = window_.saveState().toBase64().toStdString();
  try {
    session::write_session_file(fileSystemPath(path), s);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  return true;
}

bool SessionBinding::open(const QString& path, QString* error) {
  session::Session s;
  try {
    s = session::read_session_file(fileSystemPath(path));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  window_.restoreState(QByteArray::fromBase64(QByteArray::fromStdString(s.window_state)));
  window_.textEditor()->setPlainText(QString::fromStdString(s.text));
  window_.setColourLimit(s.colour_limit);
  TokenDeltaModel& units = *window_.tokenModel();
  if (const auto colouring = analysis::parse_colouring_key(s.colouring)) {
    units.setColourModel(colouring->second);
    units.setColourMode(colouring->first);
  }
  units.setCategoryFilter(QString::fromStdString(s.category_filter));
  pendingPin_ = s.pinned_unit;
  pendingActiveReference_ = s.active_reference;
  const QString hybrid = QString::fromStdString(s.hybrid_folder);
  QStringList references;
  for (const std::string& r : s.reference_folders) references << QString::fromStdString(r);
  ModelPanel& models = *window_.modelPanel();
  if (!models.setDevice(QString::fromStdString(s.device)))  // e.g. a session saved on a GPU machine
    window_.statusBar()->showMessage(tr("The session ran on %1, which is not available here: using the CPU.")
                                         .arg(QString::fromStdString(s.device).toUpper()),
                                     8000);
  if (!hybrid.isEmpty() && !references.isEmpty()) window_.loadModels(hybrid, references, QString::fromStdString(s.tokenizer));
  else models.setFolders(hybrid, references, QString::fromStdString(s.tokenizer));
  window_.setWindowTitle(QStringLiteral("HybridLens — %1").arg(QFileInfo(path).fileName()));
  return true;
}

void SessionBinding::restoreSettings() {
  remembersSettings_ = true;
  QSettings settings;
  window_.restoreGeometry(settings.value(kGeometryKey).toByteArray());
  window_.restoreState(settings.value(kDockStateKey).toByteArray(), kDockStateVersion);
  bool ok = false;
  const double range = settings.value(kColourRangeKey).toDouble(&ok);
  if (ok && std::isfinite(range) && range > 0) window_.setColourLimit(range);
  window_.setTheme(parseTheme(settings.value(kThemeKey).toString()).value_or(Theme::System));
  RecentModelsMenu* recent = window_.recentMenu();
  recent->setRecent(RecentModels::load(settings));
  recent->setPersistent(true);
}

void SessionBinding::saveSettings() const {
  QSettings settings;
  settings.setValue(kGeometryKey, window_.saveGeometry());
  settings.setValue(kDockStateKey, window_.saveState(kDockStateVersion));
  settings.setValue(kColourRangeKey, window_.tokenModel()->colourLimit());
  settings.setValue(kThemeKey, themeKey(currentTheme()));
  window_.recentModels().save(settings);
}

}  // namespace hl::ui
