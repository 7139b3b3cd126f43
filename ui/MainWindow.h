#pragma once
#include <QMainWindow>
#include <vector>

#include "ui/RecentModels.h"
#include "ui/export/SlideExport.h"
#include "ui/Theme.h"

class QComboBox;
class QDockWidget;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace hl::ui {

class CategoryChart;
class LayerStackView;
struct ModelProfile;
class DeltaLegend;
class ModelPanel;
class ScoringController;
class SideBySideView;
class StateNormView;
class TokenDeltaModel;
class TokenDeltaView;

// The application window: the model panel (left), the text editor above the token view (centre), the category
// chart and the pinned unit's card (right). Typing re-scores after a short pause through the ScoringController; all
// analysis comes from core (the Report), the window only renders it.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  QPlainTextEdit* textEditor() const { return editor_; }
  ModelPanel* modelPanel() const { return models_; }
  ScoringController* controller() const { return controller_; }
  TokenDeltaModel* tokenModel() const { return tokenModel_; }
  TokenDeltaView* tokenView() const { return tokenView_; }
  CategoryChart* categoryChart() const { return chart_; }
  QTextBrowser* unitDetails() const { return details_; }
  QTableView* unitTable() const { return table_; }
  StateNormView* stateNormView() const { return stateNorms_; }
  LayerStackView* layerStackView() const { return layerStack_; }
  SideBySideView* sideBySideView() const { return sideBySide_; }

  // Fills the model panel and loads the hybrid and its references on the panel's device (the text is scored once
  // loaded). Δ is shown against the first reference until another is chosen ("Δ against", above the token view).
  void loadModels(const QString& hybrid, const QStringList& references, const QString& tokenizer = {});
  bool openTextFile(const QString& path, QString* error = nullptr);
  // The built-in demo pair (core/util/demo_pair.h) with its sample text; the window opens on it when started with no
  // session, text or models. False, with the reason, when this installation has no demo.
  bool openDemo(QString* error = nullptr);
  // .hlens sessions (core/session): model folders, the active reference, device, text, colour range, pinned unit,
  // dock layout. A file that cannot be read leaves everything as it was.
  bool saveSession(const QString& path, QString* error = nullptr) const;
  bool openSession(const QString& path, QString* error = nullptr);
  // By suffix: .png (2× scale), .svg, .pdf for the token view; .json, .csv, .html for the report.
  bool exportTokenView(const QString& path, QString* error = nullptr);
  bool exportReport(const QString& path, QString* error = nullptr);
  // File → Export panel: a panel as it is shown (ui/export/PanelExport.h: white, light palette, PNG at 2×), by suffix .png,
  // .svg or .pdf. The panel's dock is opened and raised first, since a closed or hidden tab has nothing laid out.
  enum class Panel { Categories, LayerStacks, StateNorms, SideBySide };
  static constexpr Panel kPanels[] = {Panel::Categories, Panel::LayerStacks, Panel::StateNorms, Panel::SideBySide};
  QWidget* panelWidget(Panel panel) const;
  bool exportPanel(Panel panel, const QString& path, QString* error = nullptr);
  // Edit → Copy image (Ctrl+Shift+C): the token view as the PNG export renders it (white, legend, 2×) on the clipboard.
  bool copyImageToClipboard(QString* error = nullptr);
  // The composed slide (SlideExport) by suffix; options.callout < -1 means the pinned unit.
  bool exportSlide(const QString& path, SlideOptions options, QString* error = nullptr);
  void setColourLimit(double limit);

  // Preferences kept with QSettings (application and organisation names from main()): window geometry and dock
  // layout, the colour range, the theme and the recent model pairs. main() restores them for an interactive window;
  // a window that restored them also keeps them (recent pairs at once, the rest when it closes). A renderer
  // (hybridlens --render) and the tests' windows never call restoreSettings(), so their output neither depends on
  // nor changes a user's preferences.
  void restoreSettings();
  void saveSettings() const;
  bool remembersSettings() const { return remembersSettings_; }
  // View → Theme: applied to the whole application (ui/Theme.h).
  void setTheme(Theme theme);
  // Models → Recent: successfully loaded model sets, most recent first; choosing one loads it.
  const RecentModels& recentModels() const { return recent_; }
  QMenu* recentMenu() const { return recentMenu_; }

 protected:
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void createModelActions(QMenu* models);  // Load models (Ctrl+L) and the Recent submenu
  void rebuildRecentMenu();
  void rememberLoadedModels();
  void createThemeMenu();
  void createEditMenu();
  void createPanelExportMenu(QMenu* file);
  void exportPanelDialog(Panel panel, const QString& suffix);
  void createColouringControls();
  void createSideBySideDock(QDockWidget* tabbedWith);
  void onReportReady();
  void showPinned(int unit);
  void showModels();  // the layer stacks of the loaded models and the "Δ against" choice
  std::vector<SlideOptions::ReferenceGap> otherReferenceGaps() const;
  void showLayerOverlays(const std::vector<ModelProfile>* profiles);
  void openTextDialog();
  void exportTokenViewDialog(const QString& suffix);
  void exportReportDialog(const QString& suffix);
  void exportSlideDialog();
  void openSessionDialog();
  void saveSessionDialog();
  void showError(const QString& message);

  QPlainTextEdit* editor_ = nullptr;
  ModelPanel* models_ = nullptr;
  ScoringController* controller_ = nullptr;
  TokenDeltaModel* tokenModel_ = nullptr;
  TokenDeltaView* tokenView_ = nullptr;
  DeltaLegend* legend_ = nullptr;
  QDoubleSpinBox* range_ = nullptr;
  QLabel* summary_ = nullptr;
  CategoryChart* chart_ = nullptr;
  QTextBrowser* details_ = nullptr;
  QTableView* table_ = nullptr;
  QSortFilterProxyModel* tableProxy_ = nullptr;
  QLabel* timing_ = nullptr;
  StateNormView* stateNorms_ = nullptr;
  LayerStackView* layerStack_ = nullptr;
  SideBySideView* sideBySide_ = nullptr;
  QComboBox* overlayBox_ = nullptr;
  QComboBox* referenceBox_ = nullptr;  // "Δ against": the active reference
  QLabel* referenceLabel_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  bool remembersSettings_ = false;
  QMenu* recentMenu_ = nullptr;
  QMenu* themeMenu_ = nullptr;
  RecentModels recent_;
  int pendingPin_ = -1;  // from an opened session, applied to the next report
  int pendingActiveReference_ = -1;  // from an opened session, applied once its models are loaded
  QString modelsSummary_;
};

// The sample text shipped in resources/sample/.
QString sampleText();

}  // namespace hl::ui
