#pragma once
#include <QMainWindow>
#include <memory>
#include <vector>

#include "ui/RecentModelsMenu.h"
#include "ui/export/SlideExport.h"
#include "ui/Theme.h"

class QLabel;
class QMenu;
class QPlainTextEdit;
class QTableView;
class QTextBrowser;

namespace hl::ui {

class CategoryChart;
class LayerStackView;
class ModelPanel;
class ScoringController;
class SessionBinding;
class SideBySideView;
class StateNormView;
class TokenDeltaModel;
class TokenDeltaView;
class ThemeMenu;
class TokenPanel;
class WindowDocks;

// The application window: the text editor above the token panel (centre, the largest part) and the docks around
// them (WindowDocks). Typing re-scores after a short pause through the ScoringController; all analysis comes from
// core (the Report), the window only renders it. This file is the wiring: the parts are their own classes
// (TokenPanel, WindowDocks, HeadlineSummary, SessionBinding, RecentModelsMenu, ThemeMenu, ExportActions,
// FileActions, EditorUnitMark, FirstRunGeometry).
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  QPlainTextEdit* textEditor() const { return editor_; }
  ModelPanel* modelPanel() const;
  ScoringController* controller() const { return controller_; }
  TokenDeltaModel* tokenModel() const { return tokenModel_; }
  TokenDeltaView* tokenView() const { return tokenView_; }
  CategoryChart* categoryChart() const;
  QTextBrowser* unitDetails() const;
  QTableView* unitTable() const;
  StateNormView* stateNormView() const;
  LayerStackView* layerStackView() const;
  SideBySideView* sideBySideView() const;

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
  bool remembersSettings() const;
  // View → Theme: applied to the whole application (ui/Theme.h).
  void setTheme(Theme theme);
  // Models → Recent: successfully loaded model sets, most recent first; choosing one loads it.
  const RecentModels& recentModels() const { return recentMenu_->recent(); }
  RecentModelsMenu* recentMenu() const { return recentMenu_; }

 protected:
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void onModelsReady(const QString& summary);
  void onReportReady();
  void showPinned(int unit);
  void pin(int unit);  // pins and scrolls to it, for a unit chosen in another view

  QPlainTextEdit* editor_ = nullptr;
  ScoringController* controller_ = nullptr;
  TokenDeltaModel* tokenModel_ = nullptr;
  TokenPanel* tokenPanel_ = nullptr;
  TokenDeltaView* tokenView_ = nullptr;
  std::unique_ptr<WindowDocks> docks_;
  SessionBinding* session_ = nullptr;
  QLabel* timing_ = nullptr;
  RecentModelsMenu* recentMenu_ = nullptr;
  ThemeMenu* themeMenu_ = nullptr;
  QString modelsSummary_;
};

// The sample text shipped in resources/sample/.
QString sampleText();

}  // namespace hl::ui
