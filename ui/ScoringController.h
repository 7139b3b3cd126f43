#pragma once
// Loads a hybrid and one or more references, and scores text with all of them, off the GUI thread. The models, the backend and every call into core's
// engine live on one scoring thread; the controller (GUI thread) posts jobs to it and receives results back as
// signals. Every scoring job has its own cancel flag (ScoreOptions::cancel): a new request, or cancel(), sets the
// flag of the job in flight, so a long run stops at its next layer boundary. Errors arrive as one-line messages
// (failed()), never as exceptions.
#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/compare/model_set.h"
#include "core/model/model_spec.h"
#include "ui/RecentModels.h"

class QThread;
class QTimer;

namespace hl::analysis {
struct Report;
}

namespace hl::ui {

struct ScoringEngine;  // the scoring thread's state (ScoringController.cpp)

// What the layer views draw for one scored model: its plan and, per layer, the residual-stream and recurrent-state
// norms of the last scored text (token indices are the model's own, as in the report's ModelTokens).
struct ModelProfile {
  std::string name;  // as in the report
  ModelSpec spec;
  std::vector<std::vector<float>> residual_norms;  // [layers + 1][T]: l = 0 the embeddings, l the output of layer l-1
  std::map<int, std::vector<float>> state_norms;   // recurrent layer → [T, heads] (token-major)
  std::map<int, int> state_norm_heads;             // recurrent layer → heads
};

class ScoringController : public QObject {
  Q_OBJECT
 public:
  explicit ScoringController(QObject* parent = nullptr);
  ~ScoringController() override;  // cancels, then waits for the scoring thread

  // Opens the hybrid's and every reference's folder on the scoring thread, on `device` ("cpu" or "cuda").
  // tokenizer: a tokenizer.json or a folder holding one, used for models whose folder has none (may be empty). The
  // new set replaces the loaded one only once every folder opened: when one fails (failed()) or the load is
  // cancelled (cancelled()), the previous models stay loaded. At most kMaxReferences references.
  static constexpr int kMaxReferences = static_cast<int>(compare::ModelSet::kMaxReferences);
  void loadModels(const QString& hybrid, const QStringList& references, const QString& tokenizer = {},
                  const QString& device = QStringLiteral("cpu"));
  // Scores now, cancelling any run in flight. Before the models are loaded the text is kept and scored once they are.
  void scoreText(const QString& text);
  // Scores after debounceInterval() ms without a further call (typing), cancelling any run in flight at once.
  void scheduleScore(const QString& text);
  // The run in flight stops at its next layer (scoring) or before the next model folder (loading); the last report
  // and the loaded models stay.
  void cancel();
  // Which reference Δ is measured against (an index into referenceNames()). Every reference's report is built
  // with each scoring run, so switching is immediate: report() changes and reportReady() is emitted, nothing is
  // re-scored. Out of range: ignored. Kept across loads while in range.
  void setActiveReference(int reference);
  int activeReference() const { return active_; }

  // Called on the scoring thread at every progress step, before that step's progress() is queued, with the same
  // arguments. A job posted after the call uses it. Tests hold a job at a known step with it (a latch they release
  // after cancel()), so that what they check never depends on how fast the machine loads or scores.
  using StepHook = std::function<void(int done, int total, const QString& stage)>;
  void setStepHook(StepHook hook) { step_hook_ = std::move(hook); }

  void setDebounceInterval(int ms);
  int debounceInterval() const;
  bool modelsLoaded() const { return loaded_; }
  bool busy() const { return in_flight_ > 0; }
  // The folders of the loaded models (and the tokenizer given with them); empty before the first successful load.
  const ModelSet& loadedFolders() const { return loaded_folders_; }
  QString loadedDevice() const { return loaded_device_; }  // "cpu" or "cuda"; empty before the first load
  QString hybridName() const { return names_.value(0); }
  QString referenceName() const { return names_.value(1 + active_); }  // the active reference
  QStringList referenceNames() const { return names_.mid(1); }
  // The loaded models' plans: [0] the hybrid, then the references in order; empty until modelsReady.
  const std::vector<ModelSpec>& modelSpecs() const { return specs_; }
  // The last finished comparison of the hybrid with the active reference: models [hybrid, reference 1, ...],
  // comparison.reference = 1 + activeReference(), so Δ of model 0 is the hybrid's gain over that reference. Null
  // before the first one or for an empty text.
  std::shared_ptr<const analysis::Report> report() const;
  // The same run's report against each reference, in reference order (report() is one of them).
  const std::vector<std::shared_ptr<const analysis::Report>>& reports() const { return reports_; }
  // The layer data of the same run, in the reports' model order; null when report() is.
  std::shared_ptr<const std::vector<ModelProfile>> profiles() const { return profiles_; }
  double lastScoreSeconds() const { return last_seconds_; }
  // Set when report() covers only the start of a very long text (more than 100,000 tokens): one line saying how
  // much was scored; empty otherwise.
  QString scoredPrefixNotice() const { return notice_; }

 signals:
  void busyChanged(bool busy);
  void progress(int done, int total, const QString& stage);
  void modelsReady(const QString& summary);  // one line: names, families and patterns, device
  void reportReady();                        // report() changed
  void activeReferenceChanged(int reference);
  void failed(const QString& message);       // one line
  void cancelled();

 private:
  void post(std::function<void()> job);
  void jobDone();
  void startScore();

  QThread* thread_ = nullptr;
  QObject* context_ = nullptr;  // lives on thread_; jobs are queued to it
  QTimer* debounce_ = nullptr;
  std::shared_ptr<ScoringEngine> engine_;
  std::shared_ptr<std::atomic<bool>> current_cancel_;
  std::shared_ptr<std::atomic<bool>> load_cancel_;
  StepHook step_hook_;
  std::vector<std::shared_ptr<const analysis::Report>> reports_;
  std::shared_ptr<const std::vector<ModelProfile>> profiles_;
  QString text_;
  QString notice_;
  QStringList names_;  // [0] the hybrid, then the references; unique (reports key by name)
  ModelSet loaded_folders_;
  QString loaded_device_;
  std::vector<ModelSpec> specs_;
  int active_ = 0;
  bool loaded_ = false;
  int in_flight_ = 0;
  quint64 load_generation_ = 0;
  quint64 score_generation_ = 0;
  double last_seconds_ = 0;
};

}  // namespace hl::ui
