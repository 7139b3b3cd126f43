#pragma once
#include <QMainWindow>
#include <vector>

#include "ui/SlideExport.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
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

  // Fills the model panel and loads (the text is scored once loaded).
  void loadModels(const QString& hybrid, const QString& reference, const QString& tokenizer = {});
  bool openTextFile(const QString& path, QString* error = nullptr);
  // .hlens sessions (core/session): model folders, text, colour range, pinned unit, dock layout. A file that cannot
  // be read leaves everything as it was.
  bool saveSession(const QString& path, QString* error = nullptr) const;
  bool openSession(const QString& path, QString* error = nullptr);
  // By suffix: .png (2× scale), .svg, .pdf for the token view; .json, .csv, .html for the report.
  bool exportTokenView(const QString& path, QString* error = nullptr);
  bool exportReport(const QString& path, QString* error = nullptr);
  // The composed slide (SlideExport) by suffix; options.callout < -1 means the pinned unit.
  bool exportSlide(const QString& path, SlideOptions options, QString* error = nullptr);
  void setColourLimit(double limit);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void onReportReady();
  void showPinned(int unit);
  void showModels();  // the layer stacks of the loaded models
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
  QComboBox* overlayBox_ = nullptr;
  int pendingPin_ = -1;  // from an opened session, applied to the next report
  QString modelsSummary_;
};

// The sample text shipped in resources/sample/.
QString sampleText();

}  // namespace hl::ui
