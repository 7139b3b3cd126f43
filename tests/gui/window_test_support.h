#pragma once
// A main window scored on two fixture models, for the tests that look at what a scored window shows.
#include <QCoreApplication>
#include <QString>

#include "gui_test_support.h"
#include "ui/MainWindow.h"
#include "ui/ScoringController.h"

namespace hl::test {

// Shows the window at `size`, loads the fixture pair (with the tiny tokenizer) and waits until the window's text
// is scored; returns the controller's error ("" on success).
inline QString loadAndScore(hl::ui::MainWindow& w, const char* hybrid, const char* reference, QSize size = {1400, 860}) {
  w.resize(size);
  w.show();
  w.loadModels(fixtureModel(hybrid), {fixtureModel(reference)}, tinyTokenizer());
  auto* c = w.controller();
  QString error;
  const auto connection =
      QObject::connect(c, &hl::ui::ScoringController::failed, [&error](const QString& m) { error = m; });
  const bool done = waitUntil([&] { return (c->report() != nullptr && !c->busy()) || !error.isEmpty(); });
  QObject::disconnect(connection);
  QCoreApplication::processEvents();
  if (!done && error.isEmpty()) error = QStringLiteral("timed out waiting for the report");
  return error;
}

}  // namespace hl::test
