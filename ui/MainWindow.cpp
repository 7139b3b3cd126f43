#include "ui/MainWindow.h"

#include <QAction>
#include <QActionGroup>
#include <QClipboard>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QPushButton>
#include <QSettings>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QApplication>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <exception>
#include <filesystem>
#include <string>
#include <utility>

#include "core/analysis/layer_stack.h"
#include "core/analysis/report.h"
#include "core/session/session_file.h"
#include "core/util/build_info.h"
#include "core/util/demo_pair.h"
#include "ui/views/CategoryChart.h"
#include "ui/views/ColouringControls.h"
#include "ui/views/DeltaLegend.h"
#include "ui/views/LayerStackView.h"
#include "ui/views/ModelPanel.h"
#include "ui/export/PanelExport.h"
#include "ui/ScoringController.h"
#include "ui/views/SideBySideView.h"
#include "ui/export/SlideExport.h"
#include "ui/views/StateNormView.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"
#include "ui/models/UnitSortProxy.h"

// Resources live in the static hl_ui library; Q_INIT_RESOURCE must be called from the global namespace.
static void initHybridLensResources() { Q_INIT_RESOURCE(hybridlens); }

namespace hl::ui {

namespace {

const QStringList kTextSuffixes = {QStringLiteral("txt"), QStringLiteral("md"),  QStringLiteral("py"),
                                   QStringLiteral("html"), QStringLiteral("htm"), QStringLiteral("tex")};
constexpr qint64 kMaxTextBytes = 16 * 1024 * 1024;

// QSettings keys; the recent pairs are RecentModels' "models/recent" array.
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kDockStateKey = QStringLiteral("window/state");
const QString kColourRangeKey = QStringLiteral("view/colourRange");
const QString kThemeKey = QStringLiteral("view/theme");
constexpr int kDockStateVersion = 1;  // bump when the docks change so an old layout is not applied to new docks

QString fmt(double v, int digits = 3) { return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("–"); }

}  // namespace

QString sampleText() {
  initHybridLensResources();
  QFile f(QStringLiteral(":/sample/sample_text.txt"));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll());
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("HybridLens"));
  setAcceptDrops(true);
  setDockNestingEnabled(true);
  resize(1280, 800);

  controller_ = new ScoringController(this);
  tokenModel_ = new TokenDeltaModel(this);

  // Centre: the editor above the token view.
  editor_ = new QPlainTextEdit(this);
  editor_->setObjectName(QStringLiteral("textEditor"));
  editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  editor_->setPlaceholderText(tr("Type or paste text, open a file (File → Open) or drop one here."));
  editor_->viewport()->installEventFilter(this);

  auto* tokenPanel = new QWidget(this);
  auto* tv = new QVBoxLayout(tokenPanel);
  tv->setContentsMargins(0, 0, 0, 0);
  tv->setSpacing(2);
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  legend_ = new DeltaLegend(tokenPanel);
  range_ = new QDoubleSpinBox(tokenPanel);
  range_->setObjectName(QStringLiteral("colourRange"));
  range_->setRange(0.1, 20.0);
  range_->setSingleStep(0.25);
  range_->setDecimals(2);
  range_->setPrefix(QStringLiteral("± "));
  range_->setValue(tokenModel_->colourLimit());
  range_->setToolTip(tr("|Δ| at which the colour saturates"));
  // Which reference Δ is measured against; shown once more than one is loaded.
  referenceBox_ = new QComboBox(tokenPanel);
  referenceBox_->setObjectName(QStringLiteral("activeReference"));
  referenceBox_->setToolTip(tr("The reference Δ = NLL(reference) − NLL(hybrid) is measured against; every view and "
                               "export follows it"));
  referenceLabel_ = new QLabel(tr("Δ against"), tokenPanel);
  referenceLabel_->setBuddy(referenceBox_);
  bar->addWidget(referenceLabel_);
  bar->addWidget(referenceBox_);
  referenceLabel_->hide();
  referenceBox_->hide();
  bar->addWidget(new QLabel(tr("Colour range"), tokenPanel));
  bar->addWidget(range_);
  bar->addWidget(legend_, 1);
  tv->addLayout(bar);
  summary_ = new QLabel(tokenPanel);
  summary_->setObjectName(QStringLiteral("reportSummary"));
  summary_->setContentsMargins(8, 0, 8, 0);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setWordWrap(true);  // models' names and a long-text notice make it longer than the view is wide
  tv->addWidget(summary_);
  tokenView_ = new TokenDeltaView(tokenPanel);
  tokenView_->setModel(tokenModel_);
  tv->addWidget(tokenView_, 1);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(editor_);
  splitter->addWidget(tokenPanel);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 3);
  splitter->setSizes({260, 520});
  setCentralWidget(splitter);

  // Docks.
  models_ = new ModelPanel(this);
  auto* modelDock = new QDockWidget(tr("Models"), this);
  modelDock->setObjectName(QStringLiteral("modelDock"));
  // Scrolls rather than squeezing its rows: several references do not fit a short dock.
  auto* modelScroll = new QScrollArea(modelDock);
  modelScroll->setWidgetResizable(true);
  modelScroll->setFrameShape(QFrame::NoFrame);
  modelScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  modelScroll->setWidget(models_);
  modelScroll->setMinimumWidth(models_->minimumSizeHint().width() +
                               modelScroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
  modelDock->setWidget(modelScroll);
  addDockWidget(Qt::LeftDockWidgetArea, modelDock);

  chart_ = new CategoryChart(this);
  auto* chartDock = new QDockWidget(tr("Categories"), this);
  chartDock->setObjectName(QStringLiteral("categoryDock"));
  chartDock->setWidget(chart_);
  addDockWidget(Qt::RightDockWidgetArea, chartDock);
  createColouringControls();

  details_ = new QTextBrowser(this);
  details_->setObjectName(QStringLiteral("unitDetails"));
  details_->setPlaceholderText(tr("Hover a unit for its card; click one to pin it here."));
  auto* detailDock = new QDockWidget(tr("Pinned unit"), this);
  detailDock->setObjectName(QStringLiteral("unitDock"));
  detailDock->setWidget(details_);
  addDockWidget(Qt::RightDockWidgetArea, detailDock);
  splitDockWidget(chartDock, detailDock, Qt::Vertical);

  // Every unit as a sortable table (sort by Δ to find where the models differ most); a click pins the unit.
  tableProxy_ = new UnitSortProxy(this);
  tableProxy_->setSourceModel(tokenModel_);
  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("unitTable"));
  table_->setModel(tableProxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(-1, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 4);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  auto* tableDock = new QDockWidget(tr("Units"), this);
  tableDock->setObjectName(QStringLiteral("unitTableDock"));
  tableDock->setWidget(table_);
  addDockWidget(Qt::RightDockWidgetArea, tableDock);
  tabifyDockWidget(detailDock, tableDock);
  detailDock->raise();
  connect(table_, &QTableView::clicked, this, [this](const QModelIndex& index) {
    const int unit = tableProxy_->mapToSource(index).row();
    tokenView_->setPinnedUnit(unit);
    tokenView_->ensureUnitVisible(unit);
  });
  // The layer stacks of both models side by side, with a per-layer overlay measured on the scored text.
  auto* layersPanel = new QWidget(this);
  auto* lv = new QVBoxLayout(layersPanel);
  lv->setContentsMargins(4, 4, 4, 4);
  auto* overlayRow = new QHBoxLayout;
  overlayRow->addWidget(new QLabel(tr("Overlay:"), layersPanel));
  overlayBox_ = new QComboBox(layersPanel);
  overlayBox_->setObjectName(QStringLiteral("layerOverlay"));
  for (auto kind : {LayerStackView::Overlay::None, LayerStackView::Overlay::MeanStateNorm,
                    LayerStackView::Overlay::MeanResidualNorm})
    overlayBox_->addItem(kind == LayerStackView::Overlay::None ? tr("none") : LayerStackView::overlayName(kind),
                         static_cast<int>(kind));
  overlayBox_->setCurrentIndex(1);
  overlayRow->addWidget(overlayBox_, 1);
  lv->addLayout(overlayRow);
  layerStack_ = new LayerStackView(layersPanel);
  layerStack_->setOverlay(LayerStackView::Overlay::MeanStateNorm);
  auto* layerScroll = new QScrollArea(layersPanel);
  layerScroll->setWidgetResizable(true);
  layerScroll->setFrameShape(QFrame::NoFrame);
  layerScroll->setWidget(layerStack_);
  lv->addWidget(layerScroll, 1);
  auto* layersDock = new QDockWidget(tr("Layers"), this);
  layersDock->setObjectName(QStringLiteral("layerStackDock"));
  layersDock->setWidget(layersPanel);
  addDockWidget(Qt::RightDockWidgetArea, layersDock);
  tabifyDockWidget(chartDock, layersDock);
  chartDock->raise();
  connect(overlayBox_, &QComboBox::currentIndexChanged, this, [this] {
    layerStack_->setOverlay(static_cast<LayerStackView::Overlay>(overlayBox_->currentData().toInt()));
  });

  stateNorms_ = new StateNormView(this);
  auto* stateDock = new QDockWidget(tr("State norms"), this);
  stateDock->setObjectName(QStringLiteral("stateNormDock"));
  stateDock->setWidget(stateNorms_);
  addDockWidget(Qt::BottomDockWidgetArea, stateDock);
  resizeDocks({modelDock, chartDock}, {280, 360}, Qt::Horizontal);
  resizeDocks({chartDock, detailDock}, {460, 340}, Qt::Vertical);

  buildMenus();
  connect(layerStack_, &LayerStackView::layerClicked, this, [this](int column, int layer) {
    if (column == 0) stateNorms_->selectLayer(layer);  // the hybrid's column
  });
  connect(stateNorms_, &StateNormView::layerSelected, this, [this](int layer) { layerStack_->setSelectedLayer(0, layer); });
  for (QDockWidget* d : {modelDock, chartDock, layersDock, detailDock, tableDock, stateDock})
    viewMenu_->addAction(d->toggleViewAction());
  createSideBySideDock(stateDock);
  createThemeMenu();

  timing_ = new QLabel(this);
  statusBar()->addWidget(new QLabel(QString::fromStdString(hl::build_info()), this));
  statusBar()->addPermanentWidget(timing_);

  // Wiring.
  connect(models_, &ModelPanel::loadRequested, this,
          [this] { loadModels(models_->hybridFolder(), models_->referenceFolders(), models_->tokenizerPath()); });
  connect(models_, &ModelPanel::cancelRequested, controller_, &ScoringController::cancel);
  connect(controller_, &ScoringController::busyChanged, models_, &ModelPanel::setBusy);
  connect(controller_, &ScoringController::progress, models_, &ModelPanel::setProgress);
  connect(controller_, &ScoringController::modelsReady, this, [this](const QString& s) {
    modelsSummary_ = s;
    models_->setStatus(s);
    if (pendingActiveReference_ >= 0) controller_->setActiveReference(std::exchange(pendingActiveReference_, -1));
    showModels();
  });
  connect(controller_, &ScoringController::failed, this, [this](const QString& m) {
    models_->setStatus(m, true);
    models_->setOutcome(tr("failed"));
    statusBar()->showMessage(m, 8000);
  });
  connect(controller_, &ScoringController::cancelled, this, [this] {
    models_->setStatus(controller_->modelsLoaded() ? tr("Cancelled; the loaded models and the last result stay.")
                                                   : tr("Cancelled; no models are loaded."));
    models_->setOutcome(tr("cancelled"));
  });
  connect(controller_, &ScoringController::reportReady, this, &MainWindow::onReportReady);
  connect(referenceBox_, &QComboBox::activated, controller_, &ScoringController::setActiveReference);
  connect(controller_, &ScoringController::activeReferenceChanged, referenceBox_, &QComboBox::setCurrentIndex);
  connect(editor_, &QPlainTextEdit::textChanged, this, [this] { controller_->scheduleScore(editor_->toPlainText()); });
  connect(range_, &QDoubleSpinBox::valueChanged, this, &MainWindow::setColourLimit);
  connect(tokenView_, &TokenDeltaView::unitPinned, this, &MainWindow::showPinned);

  editor_->setPlainText(sampleText());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open text…"), this, &MainWindow::openTextDialog);
  open->setShortcut(QKeySequence::Open);
  QAction* openSessionAction = file->addAction(tr("Open &session…"), this, &MainWindow::openSessionDialog);
  openSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  QAction* saveSessionAction = file->addAction(tr("Save session &as…"), this, &MainWindow::saveSessionDialog);
  saveSessionAction->setShortcut(QKeySequence::Save);
  file->addSeparator();
  QMenu* view = file->addMenu(tr("&Export token view"));
  view->addAction(tr("PNG image (2×)…"), this, [this] { exportTokenViewDialog(QStringLiteral("png")); });
  view->addAction(tr("SVG…"), this, [this] { exportTokenViewDialog(QStringLiteral("svg")); });
  view->addAction(tr("PDF…"), this, [this] { exportTokenViewDialog(QStringLiteral("pdf")); });
  QAction* slide = file->addAction(tr("Export &slide (title, legend, callout, caption)…"), this,
                                   &MainWindow::exportSlideDialog);
  slide->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  createPanelExportMenu(file);
  QMenu* report = file->addMenu(tr("Export &report"));
  report->addAction(tr("JSON…"), this, [this] { exportReportDialog(QStringLiteral("json")); });
  report->addAction(tr("CSV…"), this, [this] { exportReportDialog(QStringLiteral("csv")); });
  report->addAction(tr("HTML…"), this, [this] { exportReportDialog(QStringLiteral("html")); });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  // Spelt out: QKeySequence::Quit is empty on some platforms (Windows, Qt's offscreen and minimal ones).
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  createEditMenu();
  QMenu* models = menuBar()->addMenu(tr("&Models"));
  QAction* demo = models->addAction(tr("&Demo pair (built-in hybrid and transformer)"), this, [this] {
    QString error;
    if (!openDemo(&error)) showError(error);
  });
  demo->setObjectName(QStringLiteral("demoAction"));
  demo->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
  createModelActions(models);
  viewMenu_ = menuBar()->addMenu(tr("&View"));
}

bool MainWindow::openDemo(QString* error) {
  const auto demo = hl::find_demo_pair(QCoreApplication::applicationDirPath().toStdString());
  if (!demo) {
    if (error)
      *error = tr("The built-in demo pair is not installed next to this program (looked in "
                  "%1/../share/hybridlens/demo; set HYBRIDLENS_DEMO_DIR to use another folder).")
                   .arg(QCoreApplication::applicationDirPath());
    return false;
  }
  if (!openTextFile(QString::fromStdString(demo->sample.string()), error)) return false;
  setWindowTitle(tr("HybridLens — built-in demo pair"));
  loadModels(QString::fromStdString(demo->hybrid.string()), {QString::fromStdString(demo->transformer.string())});
  return true;
}

void MainWindow::loadModels(const QString& hybrid, const QStringList& references, const QString& tokenizer) {
  models_->setFolders(hybrid, references, tokenizer);
  controller_->loadModels(hybrid, references, tokenizer, models_->device());
}

void MainWindow::createModelActions(QMenu* models) {
  QAction* load = models->addAction(tr("&Load models from the panel"), models_->loadButton(), &QPushButton::click);
  load->setObjectName(QStringLiteral("loadModelsAction"));
  load->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  models->addSeparator();
  recentMenu_ = models->addMenu(tr("&Recent"));
  recentMenu_->setObjectName(QStringLiteral("recentModelsMenu"));
  recentMenu_->setToolTipsVisible(true);
  // Folders can disappear while the app runs: their entries are checked again each time the menu opens.
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  connect(controller_, &ScoringController::modelsReady, this, &MainWindow::rememberLoadedModels);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  if (recent_.isEmpty()) {
    recentMenu_->addAction(tr("(no models loaded yet)"))->setEnabled(false);
    return;
  }
  int number = 0;
  for (const ModelSet& set : recent_.entries()) {
    const bool exists = set.exists();
    QString text = QStringLiteral("&%1 %2").arg(++number).arg(set.label());
    if (!exists) text += tr(" (folder missing)");
    QAction* entry = recentMenu_->addAction(text, this, [this, set] { loadModels(set.hybrid, set.references, set.tokenizer); });
    QString paths = tr("hybrid: %1").arg(set.hybrid);
    for (const QString& reference : set.references) paths += tr("\nreference: %1").arg(reference);
    if (!set.tokenizer.isEmpty()) paths += tr("\ntokenizer: %1").arg(set.tokenizer);
    entry->setToolTip(paths);
    entry->setEnabled(exists);
  }
  recentMenu_->addSeparator();
  recentMenu_->addAction(tr("Clear list"), this, [this] {
    recent_ = {};
    // Queued: rebuilding deletes this very action, which is still delivering its signal.
    QMetaObject::invokeMethod(this, &MainWindow::rebuildRecentMenu, Qt::QueuedConnection);
    if (remembersSettings()) {
      QSettings settings;
      recent_.save(settings);
    }
  });
}

// After a successful load; saved at once, so a crash later in the session does not lose it. The built-in demo pair
// is left out: it has its own action and loads at every start, so it would always push the user's pairs down.
void MainWindow::rememberLoadedModels() {
  const ModelSet& set = controller_->loadedFolders();
  if (set.hybrid.isEmpty() || set.references.isEmpty()) return;
  if (const auto demo = hl::find_demo_pair(QCoreApplication::applicationDirPath().toStdString());
      demo && QFileInfo(set.hybrid) == QFileInfo(QString::fromStdString(demo->hybrid.string())) &&
      set.references.size() == 1 &&
      QFileInfo(set.references.front()) == QFileInfo(QString::fromStdString(demo->transformer.string())))
    return;
  recent_.add(set);
  rebuildRecentMenu();
  if (remembersSettings()) {
    QSettings settings;
    recent_.save(settings);
  }
}

void MainWindow::createThemeMenu() {
  viewMenu_->addSeparator();
  themeMenu_ = viewMenu_->addMenu(tr("&Theme"));
  themeMenu_->setObjectName(QStringLiteral("themeMenu"));
  auto* group = new QActionGroup(themeMenu_);
  for (Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
    QAction* action = themeMenu_->addAction(themeName(theme), this, [this, theme] { setTheme(theme); });
    action->setObjectName(QStringLiteral("theme_%1").arg(themeKey(theme)));
    action->setCheckable(true);
    action->setChecked(theme == currentTheme());
    action->setData(static_cast<int>(theme));
    group->addAction(action);
  }
}

void MainWindow::setTheme(Theme theme) {
  if (theme != currentTheme()) applyTheme(theme);
  for (QAction* action : themeMenu_->actions()) action->setChecked(action->data().toInt() == static_cast<int>(theme));
}

void MainWindow::restoreSettings() {
  remembersSettings_ = true;
  QSettings settings;
  restoreGeometry(settings.value(kGeometryKey).toByteArray());
  restoreState(settings.value(kDockStateKey).toByteArray(), kDockStateVersion);
  bool ok = false;
  const double range = settings.value(kColourRangeKey).toDouble(&ok);
  if (ok && std::isfinite(range) && range > 0) setColourLimit(range);
  setTheme(parseTheme(settings.value(kThemeKey).toString()).value_or(Theme::System));
  recent_ = RecentModels::load(settings);
  rebuildRecentMenu();
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kDockStateKey, saveState(kDockStateVersion));
  settings.setValue(kColourRangeKey, tokenModel_->colourLimit());
  settings.setValue(kThemeKey, themeKey(currentTheme()));
  recent_.save(settings);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (remembersSettings()) saveSettings();
  QMainWindow::closeEvent(event);
}

void MainWindow::setColourLimit(double limit) {
  tokenModel_->setColourLimit(limit);
  if (std::fabs(range_->value() - tokenModel_->colourLimit()) > 1e-9) range_->setValue(tokenModel_->colourLimit());
  showPinned(tokenView_->pinnedUnit());
}

// The colouring row above the token view (mode, model, NLL/entropy max, category filter) and what follows the
// colouring: the legend, the category chart's selection (both ways) and the Δ range box, which matters only for Δ.
void MainWindow::createColouringControls() {
  auto* controls = new ColouringControls(tokenModel_, tokenView_->parentWidget());
  auto* column = qobject_cast<QVBoxLayout*>(tokenView_->parentWidget()->layout());
  column->insertWidget(0, controls);  // on top: what the colours show, then the range and the legend explaining them
  legend_->follow(tokenModel_);
  connect(chart_, &CategoryChart::categorySelected, tokenModel_, &TokenDeltaModel::setCategoryFilter);
  connect(tokenModel_, &TokenDeltaModel::categoryFilterChanged, chart_, &CategoryChart::setSelectedCategory);
  connect(tokenModel_, &TokenDeltaModel::colouringChanged, range_,
          [this] { range_->setEnabled(tokenModel_->colouring().mode == analysis::ColourMode::delta); });
}

// Each model's NLL in its own column (SideBySideView), as a tab beside `tabbedWith`; closed at first, opened from
// the View menu. Its pin and the token view's pin follow each other, so the card, the editor mark and the state
// norms show a unit pinned in either.
void MainWindow::createSideBySideDock(QDockWidget* tabbedWith) {
  sideBySide_ = new SideBySideView(this);
  auto* dock = new QDockWidget(tr("Side by side"), this);
  dock->setObjectName(QStringLiteral("sideBySideDock"));
  dock->setWidget(sideBySide_);
  addDockWidget(Qt::BottomDockWidgetArea, dock);
  tabifyDockWidget(tabbedWith, dock);
  tabbedWith->raise();
  dock->hide();
  viewMenu_->addAction(dock->toggleViewAction());
  connect(tokenView_, &TokenDeltaView::unitPinned, sideBySide_, &SideBySideView::setPinnedUnit);
  connect(sideBySide_, &SideBySideView::unitPinned, tokenView_, [this](int unit) {
    tokenView_->setPinnedUnit(unit);
    tokenView_->ensureUnitVisible(unit);
  });
}

void MainWindow::onReportReady() {
  const auto report = controller_->report();
  models_->setStatus(modelsSummary_);  // clears an earlier error or cancellation
  tokenModel_->setReport(report);
  sideBySide_->setReport(report);
  chart_->setReport(report);
  const auto profiles = controller_->profiles();
  stateNorms_->setProfile(profiles && !profiles->empty() ? &profiles->front() : nullptr);  // the hybrid's
  showLayerOverlays(profiles.get());
  showPinned(-1);
  if (pendingPin_ >= 0 && report && QString::fromStdString(report->comparison.text) == editor_->toPlainText()) {
    if (pendingPin_ < tokenModel_->unitCount()) {
      tokenView_->setPinnedUnit(pendingPin_);
      tokenView_->ensureUnitVisible(pendingPin_);
    }
    pendingPin_ = -1;
  }
  if (!report || report->categories.empty() || report->models.size() < 2) {
    summary_->setText(report ? tr("No scored units.") : QString());
    timing_->clear();
    return;
  }
  const auto& all = report->categories.front();
  QString s = tr("%1 units · mean Δ %2 %3").arg(tokenModel_->unitCount()).arg(fmt(all.gaps.empty() ? NAN : all.gaps.front().mean_delta),
                                                                                  tokenModel_->lossUnit());
  if (!all.gaps.empty())
    s += tr(" [%1, %2] · %3 better on %4 % of units")
             .arg(fmt(all.gaps.front().interval.low), fmt(all.gaps.front().interval.high), tokenModel_->hybridName())
             .arg(fmt(100 * all.gaps.front().win_share, 1));
  for (const auto& m : report->models) s += tr(" · %1 %2 bits/byte").arg(QString::fromStdString(m.name), fmt(m.bits_per_byte));
  for (const auto& g : otherReferenceGaps())
    s += tr(" · vs %1: mean Δ %2 [%3, %4]").arg(g.reference, fmt(g.meanDelta), fmt(g.low), fmt(g.high));
  if (!controller_->scoredPrefixNotice().isEmpty()) s = controller_->scoredPrefixNotice() + QStringLiteral(" · ") + s;
  for (const auto& m : report->models)
    if (m.invalid_tokens > 0)  // never shown as numbers: their units are grey and their cards say why
      s = tr("⚠ %1: %2 tokens have non-finite scores (NaN/Inf) and are left out · ")
              .arg(QString::fromStdString(m.name))
              .arg(m.invalid_tokens) +
          s;
  summary_->setText(s);
  timing_->setText(tr("scored in %1 s").arg(controller_->lastScoreSeconds(), 0, 'f', 2));
}

// The hybrid's mean Δ against each reference that is not the active one (the headline numbers above are against
// the active one): the reports of the same run, so the numbers agree with switching the reference.
std::vector<SlideOptions::ReferenceGap> MainWindow::otherReferenceGaps() const {
  std::vector<SlideOptions::ReferenceGap> gaps;
  const auto& reports = controller_->reports();
  for (std::size_t k = 0; k < reports.size(); ++k) {
    if (static_cast<int>(k) == controller_->activeReference() || !reports[k] || reports[k]->categories.empty()) continue;
    const auto& r = *reports[k];
    if (r.categories.front().gaps.empty()) continue;
    const auto& g = r.categories.front().gaps.front();  // the hybrid's: the first model that is not the reference
    gaps.push_back({QString::fromStdString(r.comparison.models[r.comparison.reference].name), g.mean_delta,
                    g.interval.low, g.interval.high});
  }
  return gaps;
}

// One stack per model, the hybrid first: the layer plans as loaded, before any text is scored.
void MainWindow::showModels() {
  const auto& specs = controller_->modelSpecs();
  const QStringList references = controller_->referenceNames();
  std::vector<LayerStackView::Column> columns;
  for (std::size_t m = 0; m < specs.size(); ++m) {
    const QString title = m == 0 ? tr("%1 (hybrid)").arg(controller_->hybridName())
                          : references.size() == 1 ? tr("%1 (reference)").arg(references.front())
                                                   : tr("%1 (reference %2)").arg(references.value(int(m) - 1)).arg(m);
    columns.push_back({title, analysis::layer_stack(specs[m])});
  }
  layerStack_->setColumns(std::move(columns));
  referenceBox_->clear();
  referenceBox_->addItems(references);
  referenceBox_->setCurrentIndex(controller_->activeReference());
  referenceBox_->setVisible(references.size() > 1);
  referenceLabel_->setVisible(references.size() > 1);
}

void MainWindow::showLayerOverlays(const std::vector<ModelProfile>* profiles) {
  if (!profiles) return;
  for (std::size_t m = 0; m < profiles->size() && static_cast<int>(m) < layerStack_->columnCount(); ++m) {
    const ModelProfile& p = (*profiles)[m];
    const std::size_t layers = p.spec.layers.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> state(layers, nan), residual(layers, nan);
    auto mean = [](const std::vector<float>& v) {
      double s = 0;
      for (float x : v) s += x;
      return v.empty() ? std::numeric_limits<double>::quiet_NaN() : s / static_cast<double>(v.size());
    };
    for (const auto& [layer, norms] : p.state_norms)
      if (layer >= 0 && static_cast<std::size_t>(layer) < layers) state[static_cast<std::size_t>(layer)] = mean(norms);
    for (std::size_t l = 0; l < layers && l + 1 < p.residual_norms.size(); ++l) residual[l] = mean(p.residual_norms[l + 1]);
    layerStack_->setOverlayValues(static_cast<int>(m), LayerStackView::Overlay::MeanStateNorm, std::move(state));
    layerStack_->setOverlayValues(static_cast<int>(m), LayerStackView::Overlay::MeanResidualNorm, std::move(residual));
  }
}

void MainWindow::showPinned(int unit) {
  QList<QTextEdit::ExtraSelection> marks;
  const auto report = tokenModel_->report();
  int hybridToken = -1;
  if (report && unit >= 0 && static_cast<std::size_t>(unit) < report->comparison.units.size()) {
    const auto& tokens = report->comparison.units[static_cast<std::size_t>(unit)].tokens;
    const std::size_t hybrid = report->comparison.compared_model();
    if (hybrid < tokens.size() && !tokens[hybrid].empty()) hybridToken = static_cast<int>(tokens[hybrid].front());
  }
  stateNorms_->setPinnedToken(hybridToken);
  if (unit < 0 || !report) {
    details_->clear();
    editor_->setExtraSelections(marks);
    return;
  }
  details_->setHtml(tokenModel_->hoverCard(unit));
  // Mark the unit in the editor too, while the editor still holds the scored text (byte offsets → UTF-16).
  const std::string& text = report->comparison.text;
  const QPoint span = tokenModel_->data(tokenModel_->index(unit, 0), TokenDeltaModel::ByteSpanRole).toPoint();
  if (span.x() < 0 || static_cast<std::size_t>(span.y()) > text.size()) return;
  const int begin = static_cast<int>(QString::fromUtf8(text.data(), span.x()).size());
  const int length = static_cast<int>(QString::fromUtf8(text.data() + span.x(), span.y() - span.x()).size());
  if (editor_->document()->characterCount() < begin + length) return;
  QTextEdit::ExtraSelection mark;
  mark.cursor = QTextCursor(editor_->document());
  mark.cursor.setPosition(begin);
  mark.cursor.setPosition(begin + length, QTextCursor::KeepAnchor);
  const QColor c = tokenModel_->colour(unit);
  mark.format.setBackground(c.isValid() ? c : QColor(220, 220, 220));
  mark.format.setForeground(tokenModel_->textColour(unit));
  mark.format.setFontUnderline(true);
  marks << mark;
  editor_->setExtraSelections(marks);
  if (editor_->toPlainText().size() == QString::fromStdString(text).size()) {
    QTextCursor visible = mark.cursor;
    visible.clearSelection();
    const QTextCursor keep = editor_->textCursor();
    editor_->setTextCursor(visible);
    editor_->ensureCursorVisible();
    editor_->setTextCursor(keep);
  }
}

bool MainWindow::openTextFile(const QString& path, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = tr("%1: %2").arg(path, f.errorString());
    return false;
  }
  if (f.size() > kMaxTextBytes) {
    if (error) *error = tr("%1: the file is larger than 16 MiB").arg(path);
    return false;
  }
  editor_->setPlainText(QString::fromUtf8(f.readAll()));
  setWindowTitle(QStringLiteral("HybridLens — %1").arg(QFileInfo(path).fileName()));
  return true;
}

bool MainWindow::saveSession(const QString& path, QString* error) const {
  session::Session s;
  s.hybrid_folder = models_->hybridFolder().toStdString();
  for (const QString& reference : models_->referenceFolders()) s.reference_folders.push_back(reference.toStdString());
  s.active_reference = s.reference_folders.empty() ? 0 : std::min(controller_->activeReference(),
                                                                  static_cast<int>(s.reference_folders.size()) - 1);
  s.device = models_->device().toStdString();
  s.tokenizer = models_->tokenizerPath().toStdString();
  s.text = editor_->toPlainText().toStdString();
  s.colour_limit = tokenModel_->colourLimit();
  s.colouring = analysis::colouring_key(tokenModel_->colouring().mode, tokenModel_->colouring().model);
  s.category_filter = tokenModel_->categoryFilter().toStdString();
  s.pinned_unit = tokenView_->pinnedUnit();
  s.window_state = saveState().toBase64().toStdString();
  try {
    session::write_session_file(std::filesystem::path(QFile::encodeName(path).toStdString()), s);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  return true;
}

bool MainWindow::openSession(const QString& path, QString* error) {
  session::Session s;
  try {
    s = session::read_session_file(std::filesystem::path(QFile::encodeName(path).toStdString()));
  } catch (const std::exception& e) {  // the current state stays as it was
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  restoreState(QByteArray::fromBase64(QByteArray::fromStdString(s.window_state)));
  editor_->setPlainText(QString::fromStdString(s.text));
  setColourLimit(s.colour_limit);
  if (const auto colouring = analysis::parse_colouring_key(s.colouring)) {
    tokenModel_->setColourModel(colouring->second);
    tokenModel_->setColourMode(colouring->first);
  }
  tokenModel_->setCategoryFilter(QString::fromStdString(s.category_filter));
  // The unit is pinned once the restored text is scored (units exist only then).
  pendingPin_ = s.pinned_unit;
  const QString hybrid = QString::fromStdString(s.hybrid_folder);
  QStringList references;
  for (const std::string& r : s.reference_folders) references << QString::fromStdString(r);
  if (!models_->setDevice(QString::fromStdString(s.device)))  // e.g. a session saved on a GPU machine
    statusBar()->showMessage(tr("The session ran on %1, which is not available here: using the CPU.")
                                 .arg(QString::fromStdString(s.device).toUpper()),
                             8000);
  pendingActiveReference_ = s.active_reference;  // applied once the models are loaded (an index needs them)
  if (!hybrid.isEmpty() && !references.isEmpty()) loadModels(hybrid, references, QString::fromStdString(s.tokenizer));
  else models_->setFolders(hybrid, references, QString::fromStdString(s.tokenizer));
  setWindowTitle(QStringLiteral("HybridLens — %1").arg(QFileInfo(path).fileName()));
  return true;
}

void MainWindow::openSessionDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(),
                                                    tr("HybridLens sessions (*.hlens);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!openSession(path, &error)) showError(error);
}

void MainWindow::saveSessionDialog() {
  QString path = QFileDialog::getSaveFileName(this, tr("Save session"), QStringLiteral("session.hlens"),
                                              tr("HybridLens sessions (*.hlens)"));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".hlens");
  QString error;
  if (!saveSession(path, &error)) showError(error);
  else statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}

void MainWindow::openTextDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open text"), QString(),
      tr("Text (*.txt *.md *.py *.html *.htm *.tex);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!openTextFile(path, &error)) showError(error);
}

bool MainWindow::exportTokenView(const QString& path, QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return tokenView_->exportPng(path, error, 2.0);
  if (suffix == QLatin1String("svg")) return tokenView_->exportSvg(path, error);
  if (suffix == QLatin1String("pdf")) return tokenView_->exportPdf(path, error);
  if (error) *error = tr("%1: the token view exports as .png, .svg or .pdf").arg(path);
  return false;
}

bool MainWindow::exportReport(const QString& path, QString* error) {
  const auto report = controller_->report();
  if (!report) {
    if (error) *error = tr("nothing to export yet: load models and score a text first");
    return false;
  }
  const QString suffix = QFileInfo(path).suffix().toLower();
  std::string bytes;
  try {
    if (suffix == QLatin1String("json")) bytes = analysis::to_json(*report);
    else if (suffix == QLatin1String("csv")) bytes = analysis::to_csv(*report);
    else if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) bytes = analysis::to_html(*report);
    else {
      if (error) *error = tr("%1: the report exports as .json, .csv or .html").arg(path);
      return false;
    }
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what()).simplified();
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      f.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size())) {
    if (error) *error = tr("%1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

bool MainWindow::exportSlide(const QString& path, SlideOptions options, QString* error) {
  if (options.callout < -1) options.callout = tokenView_->pinnedUnit();
  options.otherReferences = otherReferenceGaps();
  return SlideExport(*tokenView_, options).exportTo(path, error);
}

namespace {

QString panelTitle(MainWindow::Panel panel) {
  switch (panel) {
    case MainWindow::Panel::Categories: return MainWindow::tr("Categories chart");
    case MainWindow::Panel::LayerStacks: return MainWindow::tr("Layer stacks");
    case MainWindow::Panel::StateNorms: return MainWindow::tr("State norms");
    case MainWindow::Panel::SideBySide: break;
  }
  return MainWindow::tr("Side by side");
}

QString panelFileStem(MainWindow::Panel panel) {
  return panelTitle(panel).toLower().replace(QLatin1Char(' '), QLatin1Char('_'));
}

QDockWidget* dockOf(QWidget* widget) {
  for (QWidget* w = widget; w; w = w->parentWidget())
    if (auto* dock = qobject_cast<QDockWidget*>(w)) return dock;
  return nullptr;
}

}  // namespace

QWidget* MainWindow::panelWidget(Panel panel) const {
  switch (panel) {
    case Panel::Categories: return chart_;
    case Panel::LayerStacks: return layerStack_;  // the diagram at its full size, not its scroll area's window
    case Panel::StateNorms: return stateNorms_;
    case Panel::SideBySide: break;
  }
  return sideBySide_;
}

bool MainWindow::exportPanel(Panel panel, const QString& path, QString* error) {
  QWidget* widget = panelWidget(panel);
  if (QDockWidget* dock = dockOf(widget)) {
    dock->show();
    dock->raise();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);  // lay the newly shown dock out now
  }
  return exportWidget(*widget, path, error);
}

void MainWindow::createPanelExportMenu(QMenu* file) {
  QMenu* panels = file->addMenu(tr("Export &panel"));
  panels->setObjectName(QStringLiteral("exportPanelMenu"));
  const std::pair<QString, QString> formats[] = {{tr("PNG image (2×)…"), QStringLiteral("png")},
                                                 {tr("SVG…"), QStringLiteral("svg")},
                                                 {tr("PDF…"), QStringLiteral("pdf")}};
  for (Panel panel : kPanels) {
    QMenu* sub = panels->addMenu(panelTitle(panel));
    for (const auto& [label, suffix] : formats)
      sub->addAction(label, this, [this, panel, suffix] { exportPanelDialog(panel, suffix); });
  }
}

void MainWindow::exportPanelDialog(Panel panel, const QString& suffix) {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export %1").arg(panelTitle(panel)),
                                   QStringLiteral("%1.%2").arg(panelFileStem(panel), suffix), QStringLiteral("*.%1").arg(suffix));
  if (path.isEmpty()) return;
  QString error;
  if (!exportPanel(panel, path, &error)) showError(error);
  else statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
}

void MainWindow::createEditMenu() {
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* copy = edit->addAction(tr("Copy &image (token view)"), this, [this] {
    QString error;
    if (!copyImageToClipboard(&error)) showError(error);
    else statusBar()->showMessage(tr("Copied the token view as an image"), 3000);
  });
  copy->setObjectName(QStringLiteral("copyImageAction"));
  copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));  // Ctrl+C stays the editor's text copy
}

bool MainWindow::copyImageToClipboard(QString* error) {
  const QImage image = tokenView_->renderImage(2.0, error);
  if (image.isNull()) return false;
  QGuiApplication::clipboard()->setImage(image);
  return true;
}

void MainWindow::exportSlideDialog() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Export slide"));
  auto* form = new QFormLayout(&dialog);
  auto* title = new QLineEdit(&dialog);
  title->setPlaceholderText(tr("%1 vs %2").arg(tokenModel_->hybridName(), tokenModel_->referenceName()));
  auto* caption = new QPlainTextEdit(&dialog);
  caption->setPlaceholderText(tr("Optional caption under the text"));
  caption->setMaximumHeight(80);
  auto* width = new QSpinBox(&dialog);
  width->setRange(320, 4000);
  width->setValue(1100);
  width->setSuffix(tr(" px"));
  auto* scale = new QDoubleSpinBox(&dialog);
  scale->setRange(1.0, 4.0);
  scale->setValue(2.0);
  scale->setSuffix(QStringLiteral("×"));
  auto* format = new QComboBox(&dialog);
  format->addItems({QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")});
  form->addRow(tr("Title"), title);
  form->addRow(tr("Caption"), caption);
  form->addRow(tr("Text width"), width);
  form->addRow(tr("PNG scale"), scale);
  form->addRow(tr("Format"), format);
  form->addRow(new QLabel(tr("The pinned unit, if any, is outlined and explained under the text."), &dialog));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return;
  const QString suffix = format->currentText();
  const QString path = QFileDialog::getSaveFileName(this, tr("Export slide"), QStringLiteral("slide.%1").arg(suffix),
                                                    QStringLiteral("*.%1").arg(suffix));
  if (path.isEmpty()) return;
  SlideOptions options;
  options.title = title->text();
  options.caption = caption->toPlainText();
  options.width = width->value();
  options.pngScale = scale->value();
  QString error;
  if (!exportSlide(path, options, &error)) showError(error);
  else statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
}

void MainWindow::exportTokenViewDialog(const QString& suffix) {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export token view"), QStringLiteral("tokens.%1").arg(suffix),
                                                    QStringLiteral("*.%1").arg(suffix));
  if (path.isEmpty()) return;
  QString error;
  if (!exportTokenView(path, &error)) showError(error);
  else statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
}

void MainWindow::exportReportDialog(const QString& suffix) {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), QStringLiteral("report.%1").arg(suffix),
                                                    QStringLiteral("*.%1").arg(suffix));
  if (path.isEmpty()) return;
  QString error;
  if (!exportReport(path, &error)) showError(error);
  else statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
}

void MainWindow::showError(const QString& message) {
  statusBar()->showMessage(message, 8000);
  QMessageBox::warning(this, tr("HybridLens"), message);
}

// Dropped files open in the editor; dropped text is left to the editor.
bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (watched == editor_->viewport() && (event->type() == QEvent::DragEnter || event->type() == QEvent::Drop)) {
    auto* drop = static_cast<QDropEvent*>(event);
    if (drop->mimeData()->hasUrls()) {
      if (event->type() == QEvent::DragEnter) dragEnterEvent(static_cast<QDragEnterEvent*>(event));
      else dropEvent(drop);
      return true;
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.size() == 1 && urls.front().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.size() != 1 || !urls.front().isLocalFile()) return;
  QString error;
  if (openTextFile(urls.front().toLocalFile(), &error)) event->acceptProposedAction();
  else showError(error);
}

}  // namespace hl::ui
