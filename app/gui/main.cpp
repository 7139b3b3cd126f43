#include <QApplication>

#include "core/util/version.h"
#include "ui/MainWindow.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("HybridLens"));
  QApplication::setOrganizationName(QStringLiteral("HybridLens"));
  QApplication::setApplicationVersion(QString::fromLatin1(hl::kVersion));
  hl::ui::MainWindow w;
  w.show();
  return QApplication::exec();
}
