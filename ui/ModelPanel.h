#pragma once
// The model panel: folder pickers for the hybrid and the reference (and an optional tokenizer for folders without
// tokenizer.json), a description of each folder read from core before loading (family, layer pattern, memory
// estimate), the Load button, and the scoring progress with Cancel.
#include <QString>
#include <cstdint>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace hl::ui {

// "family · pattern · layers · weights · memory for N tokens", from config.json and the safetensors headers; or the
// one-line error. Cheap: reads headers only.
QString describeModelFolder(const QString& folder, std::int64_t tokens = 2048);

class ModelPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ModelPanel(QWidget* parent = nullptr);

  QString hybridFolder() const;
  QString referenceFolder() const;
  QString tokenizerPath() const;
  void setFolders(const QString& hybrid, const QString& reference, const QString& tokenizer = {});

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
  QWidget* folderRow(const QString& label, QLineEdit*& edit, QLabel*& info, bool file);
  void refreshInfo();
  void styleStatus();

  QLineEdit* hybrid_ = nullptr;
  QLineEdit* reference_ = nullptr;
  QLineEdit* tokenizer_ = nullptr;
  QLabel* hybridInfo_ = nullptr;
  QLabel* referenceInfo_ = nullptr;
  QLabel* tokenizerInfo_ = nullptr;
  QPushButton* load_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QString outcome_;
  bool statusIsError_ = false;
};

}  // namespace hl::ui
