// GUI tests need one QApplication for the whole run; CTest sets QT_QPA_PLATFORM=offscreen so no display is needed.
#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
  QApplication app(argc, argv);
  return Catch::Session().run(argc, argv);
}
