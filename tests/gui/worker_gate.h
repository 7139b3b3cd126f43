#pragma once
// Holds a ScoringController job at a chosen progress step until the test releases it: the test then does what it
// wants to happen "during" the job (a cancel) while the job is known to be in flight, instead of hoping the machine
// is slow enough. Declare the gate after the controller: its destructor releases a job still held, so a failed
// check never leaves the controller's destructor waiting on a blocked thread.
#include <QString>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "ui/ScoringController.h"

namespace hl::test {

class WorkerGate {
 public:
  // Holds the first step whose stage starts with `stage` and whose `done` is at least `min_done`.
  WorkerGate(hl::ui::ScoringController& c, QString stage, int min_done = 0) : state_(std::make_shared<State>()) {
    c.setStepHook([state = state_, stage = std::move(stage), min_done](int done, int, const QString& s) {
      if (done < min_done || !s.startsWith(stage)) return;
      std::unique_lock lock(state->mutex);
      if (state->passed) return;
      state->holding = true;
      state->changed.notify_all();
      state->changed.wait(lock, [&] { return state->released; });
      state->holding = false;
      state->passed = true;
    });
  }
  ~WorkerGate() { release(); }
  WorkerGate(const WorkerGate&) = delete;
  WorkerGate& operator=(const WorkerGate&) = delete;

  // True once a job waits at the gate (the GUI thread polls this while processing events).
  bool holding() const {
    std::lock_guard lock(state_->mutex);
    return state_->holding;
  }
  void release() {
    std::lock_guard lock(state_->mutex);
    state_->released = true;
    state_->changed.notify_all();
  }

 private:
  struct State {
    mutable std::mutex mutex;
    std::condition_variable changed;
    bool holding = false, released = false, passed = false;
  };
  std::shared_ptr<State> state_;
};

}  // namespace hl::test
