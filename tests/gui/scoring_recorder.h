#pragma once
// Counts what a ScoringController reports (results, failures, cancellations, loads, progress) for the tests.
#include <QObject>
#include <QString>
#include <utility>
#include <vector>

#include "ui/ScoringController.h"

namespace hl::test {

struct Recorder {
  using Controller = hl::ui::ScoringController;
  int ready = 0, failures = 0, cancels = 0, models = 0;
  QString lastError, summary;
  std::vector<std::pair<int, int>> progress;
  explicit Recorder(Controller& c) {
    QObject::connect(&c, &Controller::reportReady, [this] { ++ready; });
    QObject::connect(&c, &Controller::failed, [this](const QString& m) {
      ++failures;
      lastError = m;
    });
    QObject::connect(&c, &Controller::cancelled, [this] { ++cancels; });
    QObject::connect(&c, &Controller::modelsReady, [this](const QString& s) {
      ++models;
      summary = s;
    });
    QObject::connect(&c, &Controller::progress, [this](int d, int t, const QString&) { progress.emplace_back(d, t); });
  }
};

}  // namespace hl::test
