#include "core/engine/loaded_model.h"

#include <algorithm>

#include "core/checkpoint/hf_cache.h"
#include "core/model/weight_sharing.h"

namespace hl::engine {

LoadedModel::LoadedModel(std::filesystem::path folder, ModelSpec spec, Checkpoint checkpoint)
    : folder_(std::move(folder)), spec_(std::move(spec)), checkpoint_(std::move(checkpoint)) {}

std::unique_ptr<LoadedModel> LoadedModel::open(const std::filesystem::path& model, Backend& backend) {
  const std::filesystem::path folder = resolve_model_folder(model.string());  // a folder, or org/name in the HF cache
  ModelPlan plan = open_model_plan(folder);
  std::unique_ptr<LoadedModel> m(new LoadedModel(folder, std::move(plan.spec), std::move(plan.checkpoint)));
  m->warnings_ = std::move(plan.warnings);
  // Binding checks every tensor the plan needs, with its shape and dtype, before any work: the first offender is
  // named. The runner keeps references to the spec and checkpoint, which live as long as this object.
  m->runner_ = std::make_unique<ModelRunner>(m->spec_, m->checkpoint_, backend);
  for (const auto& w : m->runner_->bound().warnings) m->warnings_.push_back(w);
  if (std::filesystem::exists(folder / "tokenizer.json")) m->tokenizer_ = tok::Tokenizer::from_file(folder);
  return m;
}

std::int64_t LoadedModel::scored_vocab_size() const {
  if (!tokenizer_) return spec_.vocab_size;
  return std::min(spec_.vocab_size, static_cast<std::int64_t>(tokenizer_->vocab_size()));
}

tok::Encoding LoadedModel::encode(std::string_view text, bool add_special_tokens) const {
  if (!tokenizer_)
    throw std::runtime_error(folder_.string() + ": no tokenizer.json (give one with --tokenizer, or score ids)");
  tok::Encoding enc = tokenizer_->encode(text, add_special_tokens);
  for (std::size_t i = 0; i < enc.ids.size(); ++i)
    if (enc.ids[i] < 0 || enc.ids[i] >= spec_.vocab_size)
      throw std::runtime_error(name() + ": token " + std::to_string(i) + " has id " + std::to_string(enc.ids[i]) +
                               ", outside the model's vocabulary of " + std::to_string(spec_.vocab_size) +
                               " (is this the model's tokenizer?)");
  return enc;
}

ScoreResult LoadedModel::score(std::span<const std::int32_t> ids, const ScoreOptions& options,
                               const WindowOptions& window) {
  ScoreOptions o = options;
  if (o.vocab_limit == 0) o.vocab_limit = scored_vocab_size();
  return window.window > 0 ? score_windowed(*runner_, ids, window, o) : runner_->score(ids, o);
}

}  // namespace hl::engine
