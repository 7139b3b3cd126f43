#pragma once
// A model folder opened for scoring: its spec (config.json), its memory-mapped weights, its tokenizer (when the
// folder has a tokenizer.json) and a runner on a backend. The unit the CLI and the GUI work with.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/hf_cache.h"
#include "core/engine/backend.h"
#include "core/engine/model_runner.h"
#include "core/engine/windowed_scoring.h"
#include "core/model/model_spec.h"
#include "core/tokenizer/tokenizer.h"

namespace hl::engine {

class LoadedModel {
 public:
  // `model` is a folder or a Hugging Face cache repo id (resolve_model_folder). Throws with a one-line message on
  // any problem with the folder (config, weights, tokenizer).
  static std::unique_ptr<LoadedModel> open(const std::filesystem::path& model, Backend& backend);

  const std::filesystem::path& folder() const { return folder_; }
  // The name reports key models by (model_folder_name): "llama" for models/llama/, "name" for org/name's snapshot.
  std::string name() const { return model_folder_name(folder_); }
  const ModelSpec& spec() const { return spec_; }
  const Checkpoint& checkpoint() const { return checkpoint_; }
  const tok::Tokenizer* tokenizer() const { return tokenizer_ ? &*tokenizer_ : nullptr; }
  ModelRunner& runner() { return *runner_; }
  const std::vector<std::string>& warnings() const { return warnings_; }  // e.g. tensors the plan does not use
  // Use this tokenizer instead of (or in the absence of) the folder's tokenizer.json.
  void set_tokenizer(tok::Tokenizer tokenizer) { tokenizer_ = std::move(tokenizer); }

  // Encodes with the model's tokenizer and checks every id against the model's vocabulary (one-line errors).
  tok::Encoding encode(std::string_view text, bool add_special_tokens) const;
  // The vocabulary the softmax runs over: the tokenizer's when it is smaller than the model's (padded embedding
  // rows are never a real token), else the model's.
  std::int64_t scored_vocab_size() const;
  // Scores ids over scored_vocab_size() (unless options set vocab_limit), in windows when window.window > 0.
  ScoreResult score(std::span<const std::int32_t> ids, const ScoreOptions& options, const WindowOptions& window = {});

 private:
  LoadedModel(std::filesystem::path folder, ModelSpec spec, Checkpoint checkpoint);

  std::filesystem::path folder_;
  ModelSpec spec_;
  Checkpoint checkpoint_;
  std::optional<tok::Tokenizer> tokenizer_;
  std::unique_ptr<ModelRunner> runner_;
  std::vector<std::string> warnings_;
};

}  // namespace hl::engine
