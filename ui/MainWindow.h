#pragma once
#include <QMainWindow>

class QPlainTextEdit;

namespace hl::ui {

// The application window. At this stage: the text editor with the built-in sample text; the model panel, token view
// and analysis panels are docked around it by later work.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  QPlainTextEdit* textEditor() const { return editor_; }

 private:
  QPlainTextEdit* editor_ = nullptr;
};

// The sample text shipped in resources/sample/.
QString sampleText();

}  // namespace hl::ui
