#pragma once
// BoundModel: a ModelSpec checked against a Checkpoint. Every tensor the plan needs (tensor_plan.h) must exist
// with the exact shape and the model's dtype (F32 also accepted for small state parameters); the first offender
// is reported by name with expected vs found. Tensors the plan does not use become warnings.
//
// Lookups return TensorViews pointing into the checkpoint's mapping: the Checkpoint must outlive the BoundModel.
// Roles are canonical and family-independent (see tensor_plan.h), e.g.
//   bound.layer(3).get("attn.q")          // [H·hd, d] (2·H·hd with Qwen3-Next's output gate)
//   bound.layer(0).get("mamba.in_proj")   // [2·d_inner + 2·G·N + H, d]
//   bound.shared_block(0).get("mlp.gate_up")
// The forward pass reads them as typed structs filled once from these roles (bind_weights, layer_weights.h).
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/tensor_view.h"
#include "core/model/model_spec.h"

namespace hl {

class BoundParams {
 public:
  const TensorView& get(std::string_view role) const;  // throws CheckpointError if the plan has no such role
  const TensorView* find(std::string_view role) const;  // nullptr if absent
  const std::map<std::string, TensorView, std::less<>>& all() const { return params_; }
  std::int64_t parameter_count() const;  // buffers (TensorRequirement::optional_buffer) not included
  void add(std::string role, TensorView view, bool buffer = false) {
    if (buffer) buffers_.insert(role);
    params_.emplace(std::move(role), std::move(view));
  }

 private:
  std::map<std::string, TensorView, std::less<>> params_;
  std::set<std::string, std::less<>> buffers_;
};

struct BoundModel {
  // Throws CheckpointError naming the first missing / misshapen / wrongly typed tensor.
  static BoundModel bind(const ModelSpec& spec, const Checkpoint& checkpoint);

  const BoundParams& layer(std::size_t i) const { return layers.at(i); }
  const BoundParams& shared_block(std::size_t b) const { return shared_blocks.at(b); }

  DType dtype = DType::BF16;       // the embedding's dtype; all weight matrices share it
  BoundParams globals;             // embedding, final_norm(.bias), lm_head (the embedding itself when tied)
  std::vector<BoundParams> layers;
  std::vector<BoundParams> shared_blocks;
  std::vector<std::string> unused_tensors;  // in the checkpoint but not in the plan (sorted)
  std::vector<std::string> warnings;        // one line each, for the user
};

}  // namespace hl
