#pragma once
// The models one comparison runs: one or more compared models (the window's hybrid, the CLI's --model folders),
// then one or more references, opened on one backend. The window and hybridlens-cli both open their models here, so
// they follow the same rules: a folder without tokenizer.json uses the given tokenizer or is refused, two models
// that would have the same name are told apart by their role, and the set is opened completely or not at all.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/backend.h"
#include "core/engine/loaded_model.h"

namespace hl::compare {

// Called at each step of long work with (steps done, steps in all, what runs now).
using ProgressFn = std::function<void(int done, int total, const std::string& stage)>;

struct ModelSetPaths {
  std::vector<std::filesystem::path> compared;    // at least one
  std::vector<std::filesystem::path> references;  // at least one; Δ is measured against each in turn
  std::filesystem::path tokenizer;                // tokenizer.json or a folder holding one, for folders without
                                                  // one; may be empty
};

class ModelSet {
 public:
  static constexpr std::size_t kMaxReferences = 8;

  // Opens every folder in order (compared, then references). Throws a one-line std::runtime_error naming the
  // folder for any problem, engine::ScoreCancelled when `cancel` is set before a folder opens. progress steps: one
  // per folder, then (models, models, "models loaded").
  static ModelSet open(const ModelSetPaths& paths, engine::Backend& backend, const ProgressFn& progress = {},
                       const std::atomic<bool>* cancel = nullptr);

  std::size_t size() const { return models_.size(); }
  std::size_t compared_count() const { return compared_; }
  std::size_t reference_count() const { return models_.size() - compared_; }
  // Model m in set order: the compared models, then the references.
  engine::LoadedModel& model(std::size_t m) const { return *models_[m]; }
  // Index of reference r in set order.
  std::size_t reference_index(std::size_t r) const { return compared_ + r; }
  // Names as reports show them: folder names, unique. A name two models share gets its role: "olmo (hybrid)",
  // "olmo (model 2)", "olmo (reference 1)" (the window calls its one compared model the hybrid).
  const std::vector<std::string>& names() const { return names_; }
  // Role of model m for messages: "hybrid" (the only compared model), "model 2", "reference 1".
  std::string role(std::size_t m) const;
  // One line: "hybrid NAME (family, pattern) vs reference NAME (family, pattern), NAME (...)".
  std::string summary() const;
  // The models' weights on the backend: what check_device_memory weighs before a text is scored.
  std::vector<const engine::LoadedModel*> resident() const;

 private:
  std::vector<std::unique_ptr<engine::LoadedModel>> models_;
  std::vector<std::string> names_;
  std::size_t compared_ = 0;
};

}  // namespace hl::compare
