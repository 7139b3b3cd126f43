#pragma once
// Which tensors a model shares is decided by config.json *and* the checkpoint, as in transformers 5
// (PreTrainedModel.tie_weights): a pair the config ties (lm_head → embedding, Zamba2's later uses of a shared block
// → its first copy) is tied only when the checkpoint does not store the later one with different values; a stored,
// different copy is used. resolve_weight_sharing rewrites the plan to say what the model computes with these files
// (spec.tied_embeddings, Zamba2's shared_blocks) and returns one line for every place where config and checkpoint
// disagree. docs/checkpoints.md lists the rules per family. Call it before binding or running the plan.
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.h"
#include "core/model/model_spec.h"

namespace hl {

std::vector<std::string> resolve_weight_sharing(ModelSpec& spec, const Checkpoint& checkpoint);

// A model folder opened for binding: config.json first (its errors come before the checkpoint's), then the
// checkpoint, then the plan resolved against it.
struct ModelPlan {
  ModelSpec spec;
  Checkpoint checkpoint;
  std::vector<std::string> warnings;  // resolve_weight_sharing's
};
ModelPlan open_model_plan(const std::filesystem::path& folder);

}  // namespace hl
