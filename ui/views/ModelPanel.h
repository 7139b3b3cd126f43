#pragma once
// The model panel: folder pickers for the hybrid and one or more references (and an optional tokenizer for folders
// without tokenizer.json), a description of each folder read from core before loading (family, layer pattern,
// memory estimate) and the estimate for the whole set, the device to run on, the Load button, and the progress
// with Cancel.
#include <QString>
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace hl::ui {

// "family · pattern · layers · weights · memory for N tokens", from config.json and the safetensors headers; or the
// one-line error. Cheap: reads headers only.
QString describeModelFolder(const QString& folder, std::int64_t tokens = 2048);

class ModelPanel : public QWidget {
  Q_OBJECT
 public:
  static constexpr std::int64_t kEstimateTokens = 2048;  // the text length the memory estimates assume

  explicit ModelPanel(QWidget* parent = nullptr);

  QString hybridFolder() const;
  QStringList referenceFolders() const;  // the non-empty reference rows, top to bottom
  QString tokenizerPath() const;
  QString device() const;  // "cpu" or "cuda"
  // Replaces the rows: one per reference (at least one row, empty when `references` is).
  void setFolders(const QString& hybrid, const QStringList& references, const QString& tokenizer = {});
  // Selects the device when it is listed and available; otherwise the CPU (returns false).
  bool setDevice(const QString& device);

  int referenceRowCount() const { return static_cast<int>(references_.size()); }
  QLineEdit* referenceEdit(int row) const { return references_[static_cast<std::size_t>(row)].edit; }
  QPushButton* addReferenceButton() const { return addReference_; }
  QComboBox* deviceBox() const { return device_; }
  QString totalEstimateText() const;  // the whole set's memory line; empty with fewer than two described models

  void setBusy(bool busy);
  // What the progress bar says once the work stops: "done" (default), "failed", "cancelled".
  void setOutcome(const QString& outcome);
  void setProgress(int done, int total, const QString& stage);
  void setStatus(const QString& message, bool error = false);
  QString statusText() const;

  QPushButton* loadButton() const { return load_; }
  QPushButton* cancelButton() const { return cancel_; }
  QProgressBar* progressBar() const { return progress_; }

 signals:
  void loadRequested();
  void cancelRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  struct FolderRow {
    QWidget* box = nullptr;
    QLineEdit* edit = nullptr;
    QLabel* info = nullptr;
    QToolButton* remove = nullptr;  // references only
  };
  FolderRow folderRow(const QString& label, bool file, bool removable);
  // "HF": a menu of the models in the Hugging Face cache; picking one puts its repo id into `target`.
  QToolButton* cachedModelsButton(QLineEdit* target, QWidget* parent);
  void addReferenceRow(const QString& folder = {});
  void removeReferenceRow(QWidget* box);
  void renumberReferences();
  void refreshInfo();
  void styleStatus();

  FolderRow hybrid_, tokenizer_;
  std::vector<FolderRow> references_;
  QVBoxLayout* referenceRows_ = nullptr;
  QPushButton* addReference_ = nullptr;
  QLabel* total_ = nullptr;
  QComboBox* device_ = nullptr;
  QPushButton* load_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QString outcome_;
  bool statusIsError_ = false;
};

}  // namespace hl::ui
