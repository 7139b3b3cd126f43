#include "ui/MainWindow.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QCloseEvent>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBrowser>
#include <cmath>

#include "core/analysis/report/headline.h"
#include "core/analysis/report/report.h"
#include "core/util/build_info.h"
#include "core/util/demo_pair.h"
#include "ui/EditorUnitMark.h"
#include "ui/ExportActions.h"
#include "ui/FileActions.h"
#include "ui/FirstRunGeometry.h"
#include "ui/HeadlineSummary.h"
#include "ui/ScoringController.h"
#include "ui/SessionBinding.h"
#include "ui/ThemeMenu.h"
#include "ui/TokenPanel.h"
#include "ui/WindowDocks.h"
#include "ui/export/PanelExport.h"
#include "ui/export/ReportExport.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/CategoryChart.h"
#include "ui/views/LayerStackView.h"
#include "ui/views/LayersPanel.h"
#include "ui/views/ModelPanel.h"
#include "ui/views/SideBySideView.h"
#include "ui/views/StateNormView.h"
#include "ui/views/TokenDeltaView.h"
#include "ui/views/UnitTable.h"

// Resources live in the static hl_ui library; Q_INIT_RESOURCE must be called from the global namespace.
static void initHybridLensResources() { Q_INIT_RESOURCE(hybridlens); }

namespace hl::ui {

constexpr qint64 kMaxTextBytes = 16 * 1024 * 1024;

QString sampleText() {
  initHybridLensResources();
  QFile f(QStringLiteral(":/sample/sample_text.txt"));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll());
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("HybridLens"));
  setAcceptDrops(true);
  placeForFirstRun(*this);  // restoreSettings() moves it where the user left it

  controller_ = new ScoringController(this);
  tokenModel_ = new TokenDeltaModel(this);
  editor_ = new QPlainTextEdit(this);
  editor_->setObjectName(QStringLiteral("textEditor"));
  editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  editor_->setPlaceholderText(tr("Type or paste text, open a file (File → Open) or drop one here."));
  editor_->viewport()->installEventFilter(this);
  tokenPanel_ = new TokenPanel(tokenModel_, this);
  tokenView_ = tokenPanel_->view();
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(editor_);
  splitter->addWidget(tokenPanel_);
  splitter->setStretchFactor(0, 1);  // the text is read in the token view; the editor is for changing it
  splitter->setStretchFactor(1, 4);
  setCentralWidget(splitter);
  docks_ = std::make_unique<WindowDocks>(*this, tokenModel_);

  buildMenus();
  timing_ = new QLabel(this);
  statusBar()->addWidget(new QLabel(QString::fromStdString(hl::build_info()), this));
  statusBar()->addPermanentWidget(timing_);

  ModelPanel* models = docks_->models();
  connect(models, &ModelPanel::loadRequested, this,
          [this, models] { loadModels(models->hybridFolder(), models->referenceFolders(), models->tokenizerPath()); });
  connect(models, &ModelPanel::cancelRequested, controller_, &ScoringController::cancel);
  connect(controller_, &ScoringController::busyChanged, models, &ModelPanel::setBusy);
  connect(controller_, &ScoringController::progress, models, &ModelPanel::setProgress);
  connect(controller_, &ScoringController::modelsReady, this, &MainWindow::onModelsReady);
  connect(controller_, &ScoringController::failed, this, [this, models](const QString& m) {
    models->setStatus(m, true);
    models->setOutcome(tr("failed"));
    statusBar()->showMessage(m, 8000);
  });
  connect(controller_, &ScoringController::cancelled, this, [this, models] {
    models->setStatus(controller_->modelsLoaded() ? tr("Cancelled; the loaded models and the last result stay.")
                                                  : tr("Cancelled; no models are loaded."));
    models->setOutcome(tr("cancelled"));
  });
  connect(controller_, &ScoringController::reportReady, this, &MainWindow::onReportReady);
  connect(tokenPanel_->referenceBox(), &QComboBox::activated, controller_, &ScoringController::setActiveReference);
  connect(controller_, &ScoringController::activeReferenceChanged, tokenPanel_->referenceBox(), &QComboBox::setCurrentIndex);
  connect(editor_, &QPlainTextEdit::textChanged, this, [this] { controller_->scheduleScore(editor_->toPlainText()); });
  connect(tokenPanel_->colourRange(), &QDoubleSpinBox::valueChanged, this, &MainWindow::setColourLimit);
  connect(docks_->chart(), &CategoryChart::categorySelected, tokenModel_, &TokenDeltaModel::setCategoryFilter);
  connect(tokenModel_, &TokenDeltaModel::categoryFilterChanged, docks_->chart(), &CategoryChart::setSelectedCategory);
  // A unit pinned in any view is pinned in all of them; the card, the editor mark and the state norms follow.
  connect(tokenView_, &TokenDeltaView::unitPinned, this, &MainWindow::showPinned);
  connect(tokenView_, &TokenDeltaView::unitPinned, docks_->sideBySide(), &SideBySideView::setPinnedUnit);
  connect(docks_->sideBySide(), &SideBySideView::unitPinned, this, &MainWindow::pin);
  connect(docks_->table(), &UnitTable::unitClicked, this, &MainWindow::pin);
  session_ = new SessionBinding(*this);  // after the connections above: see its constructor

  editor_->setPlainText(sampleText());
}

MainWindow::~MainWindow() = default;

ModelPanel* MainWindow::modelPanel() const { return docks_->models(); }
CategoryChart* MainWindow::categoryChart() const { return docks_->chart(); }
QTextBrowser* MainWindow::unitDetails() const { return docks_->details(); }
QTableView* MainWindow::unitTable() const { return docks_->table(); }
StateNormView* MainWindow::stateNormView() const { return docks_->stateNorms(); }
LayerStackView* MainWindow::layerStackView() const { return docks_->layers()->stack(); }
SideBySideView* MainWindow::sideBySideView() const { return docks_->sideBySide(); }

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open text…"), QKeySequence::Open, this, [this] {
    openWithDialog(*this, tr("Open text"), tr("Text (*.txt *.md *.py *.html *.htm *.tex);;All files (*)"),
                   [this](const QString& path, QString* error) { return openTextFile(path, error); });
  });
  file->addAction(tr("Open &session…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
    openWithDialog(*this, tr("Open session"), tr("HybridLens sessions (*.hlens);;All files (*)"),
                   [this](const QString& path, QString* error) { return openSession(path, error); });
  });
  file->addAction(tr("Save session &as…"), QKeySequence::Save, this, [this] {
    saveWithDialog(*this, tr("Save session"), QStringLiteral("session.hlens"),
                   [this](const QString& path, QString* error) { return saveSession(path, error); });
  });
  file->addSeparator();
  addExportMenus(file, *this);
  file->addSeparator();
  // Spelt out: QKeySequence::Quit is empty on some platforms (Windows, Qt's offscreen and minimal ones).
  file->addAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  // Ctrl+Shift+C: Ctrl+C stays the editor's text copy.
  QAction* copy = edit->addAction(tr("Copy &image (token view)"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this, [this] {
    QString error;
    if (!copyImageToClipboard(&error)) showError(*this, error);
    else statusBar()->showMessage(tr("Copied the token view as an image"), 3000);
  });
  copy->setObjectName(QStringLiteral("copyImageAction"));

  QMenu* models = menuBar()->addMenu(tr("&Models"));
  QAction* demo = models->addAction(tr("&Demo pair (built-in hybrid and transformer)"),
                                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this, [this] {
                                      QString error;
                                      if (!openDemo(&error)) showError(*this, error);
                                    });
  demo->setObjectName(QStringLiteral("demoAction"));
  QAction* load = models->addAction(tr("&Load models from the panel"), QKeySequence(Qt::CTRL | Qt::Key_L),
                                    modelPanel()->loadButton(), &QPushButton::click);
  load->setObjectName(QStringLiteral("loadModelsAction"));
  models->addSeparator();
  recentMenu_ = new RecentModelsMenu([this](const ModelSet& set) { loadModels(set.hybrid, set.references, set.tokenizer); }, models);
  models->addMenu(recentMenu_);
  connect(controller_, &ScoringController::modelsReady, recentMenu_,
          [this] { recentMenu_->remember(controller_->loadedFolders()); });

  QMenu* view = menuBar()->addMenu(tr("&View"));
  docks_->addToggleActions(view);
  view->addSeparator();
  themeMenu_ = new ThemeMenu(view);
  view->addMenu(themeMenu_);
}

void MainWindow::setTheme(Theme theme) { themeMenu_->setTheme(theme); }

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
  modelPanel()->setFolders(hybrid, references, tokenizer);
  controller_->loadModels(hybrid, references, tokenizer, modelPanel()->device());
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

bool MainWindow::saveSession(const QString& path, QString* error) const { return session_->save(path, error); }
bool MainWindow::openSession(const QString& path, QString* error) { return session_->open(path, error); }
void MainWindow::restoreSettings() { session_->restoreSettings(); }
void MainWindow::saveSettings() const { session_->saveSettings(); }
bool MainWindow::remembersSettings() const { return session_->remembersSettings(); }

void MainWindow::closeEvent(QCloseEvent* event) {
  if (remembersSettings()) saveSettings();
  QMainWindow::closeEvent(event);
}

void MainWindow::onModelsReady(const QString& summary) {
  modelsSummary_ = summary;
  modelPanel()->setStatus(summary);
  docks_->layers()->showModels(controller_->modelSpecs(), controller_->hybridName(), controller_->referenceNames());
  tokenPanel_->setReferences(controller_->referenceNames(), controller_->activeReference());
}

void MainWindow::onReportReady() {
  const auto report = controller_->report();
  modelPanel()->setStatus(modelsSummary_);  // clears an earlier error or cancellation
  tokenModel_->setReport(report);
  docks_->sideBySide()->setReport(report);
  docks_->chart()->setReport(report);
  const auto profiles = controller_->profiles();
  docks_->stateNorms()->setProfile(profiles && !profiles->empty() ? &profiles->front() : nullptr);  // the hybrid's
  docks_->layers()->showProfiles(profiles.get());
  showPinned(-1);
  tokenPanel_->summary()->showReport(*controller_);
  if (report) timing_->setText(tr("scored in %1 s").arg(controller_->lastScoreSeconds(), 0, 'f', 2));
  else timing_->clear();
}

void MainWindow::setColourLimit(double limit) {
  tokenModel_->setColourLimit(limit);
  QDoubleSpinBox* range = tokenPanel_->colourRange();
  if (std::fabs(range->value() - tokenModel_->colourLimit()) > 1e-9) range->setValue(tokenModel_->colourLimit());
  showPinned(tokenView_->pinnedUnit());
}

void MainWindow::pin(int unit) {
  tokenView_->setPinnedUnit(unit);
  tokenView_->ensureUnitVisible(unit);
}

// The card in the Pinned unit dock, the hybrid's token in the state norms and the mark in the editor.
void MainWindow::showPinned(int unit) {
  const auto report = tokenModel_->report();
  const bool shown = report && unit >= 0 && unit < tokenModel_->unitCount();
  int hybridToken = -1;
  if (shown) {
    const auto& tokens = report->comparison.units[static_cast<std::size_t>(unit)].tokens;
    const std::size_t hybrid = report->comparison.compared_model();
    if (hybrid < tokens.size() && !tokens[hybrid].empty()) hybridToken = static_cast<int>(tokens[hybrid].front());
  }
  docks_->stateNorms()->setPinnedToken(hybridToken);
  if (shown) docks_->details()->setHtml(tokenModel_->hoverCard(unit));
  else docks_->details()->clear();
  markUnitInEditor(*editor_, *tokenModel_, shown ? unit : -1);
}

bool MainWindow::exportTokenView(const QString& path, QString* error) { return tokenView_->exportTo(path, error); }

bool MainWindow::exportReport(const QString& path, QString* error) {
  return hl::ui::exportReport(controller_->report().get(), path, error);
}

bool MainWindow::exportSlide(const QString& path, SlideOptions options, QString* error) {
  if (options.callout < -1) options.callout = tokenView_->pinnedUnit();
  options.otherReferences =
      analysis::other_reference_gaps(controller_->reports(), static_cast<std::size_t>(controller_->activeReference()));
  return SlideExport(*tokenView_, options).exportTo(path, error);
}

QWidget* MainWindow::panelWidget(Panel panel) const {
  switch (panel) {
    case Panel::Categories: return categoryChart();
    case Panel::LayerStacks: return layerStackView();  // the diagram at its full size, not its scroll area's window
    case Panel::StateNorms: return stateNormView();
    case Panel::SideBySide: break;
  }
  return sideBySideView();
}

bool MainWindow::exportPanel(Panel panel, const QString& path, QString* error) {
  QWidget* widget = panelWidget(panel);
  WindowDocks::bringToFront(widget);
  return exportWidget(*widget, path, error);
}

bool MainWindow::copyImageToClipboard(QString* error) {
  const QImage image = tokenView_->renderImage(2.0, error);
  if (image.isNull()) return false;
  QGuiApplication::clipboard()->setImage(image);
  return true;
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
  else showError(*this, error);
}

}  // namespace hl::ui
