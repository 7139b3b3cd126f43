// GUI tests need one QApplication for the whole run; CTest sets QT_QPA_PLATFORM=offscreen so no display is needed.
#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
  QApplication app(argc, argv);
  // Tests never read or write the user's settings: QSettings files go to a folder of this process's own (CTest runs
  // test cases in parallel processes), removed at exit, so every run starts from no settings.
  QApplication::setOrganizationName(QStringLiteral("HybridLensTests"));
  QApplication::setApplicationName(QStringLiteral("hl_gui_tests"));
  QStandardPaths::setTestModeEnabled(true);
  const QTemporaryDir settingsDir;
  if (!settingsDir.isValid()) return 1;
  for (auto scope : {QSettings::UserScope, QSettings::SystemScope}) {
    QSettings::setPath(QSettings::NativeFormat, scope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, scope, settingsDir.path());
  }
  return Catch::Session().run(argc, argv);
}
