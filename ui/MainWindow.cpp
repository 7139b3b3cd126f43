#include "ui/MainWindow.h"

#include <QFile>
#include <QFont>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStatusBar>

#include "core/util/build_info.h"

// Resources live in the static hl_ui library; Q_INIT_RESOURCE must be called from the global namespace.
static void initHybridLensResources() { Q_INIT_RESOURCE(hybridlens); }

namespace hl::ui {

QString sampleText() {
  initHybridLensResources();
  QFile f(QStringLiteral(":/sample/sample_text.txt"));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll());
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("HybridLens"));
  editor_ = new QPlainTextEdit(this);
  editor_->setObjectName(QStringLiteral("textEditor"));
  editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  editor_->setPlainText(sampleText());
  setCentralWidget(editor_);
  statusBar()->addWidget(new QLabel(QString::fromStdString(hl::build_info()), this));
  resize(1100, 700);
}

}  // namespace hl::ui
