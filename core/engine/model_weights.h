#pragma once
// Weight lookup for the engine: checkpoint tensors (core/checkpoint) as engine Tensors on a backend.
//
// On the CPU the engine reads weights in place from the memory mapping, in their stored dtype. safetensors only
// guarantees byte alignment, so a tensor whose offset is not a multiple of its element size is copied once into an
// aligned buffer (rare: HF writers pack tensors back to back, and odd-sized bf16 tensors can shift the next ones).
// On a device backend every weight is uploaded once, on first use.
#include <map>
#include <string>
#include <string_view>

#include "core/checkpoint/checkpoint.h"
#include "core/engine/backend.h"
#include "core/engine/tensor.h"
#include "core/model/model_spec.h"

namespace hl::engine {

// The engine dtype of a checkpoint dtype.
DType engine_dtype(hl::DType t);

class ModelWeights {
 public:
  ModelWeights(const Checkpoint& checkpoint, const ModelSpec& spec, Backend& backend);

  // The tensor `name` (full checkpoint name); throws naming the tensor when it is absent.
  const Tensor& get(const std::string& name);
  // nullptr when absent (optional biases).
  const Tensor* find(const std::string& name);

  // Layer-relative names: layer(3, "self_attn.q_proj.weight") → "model.layers.3.self_attn.q_proj.weight".
  std::string layer_name(int layer, std::string_view relative) const;

  const Tensor& embedding() { return get(spec_.names.embedding); }
  const Tensor& lm_head();

 private:
  const Tensor* load(const std::string& name);

  const Checkpoint& checkpoint_;
  const ModelSpec& spec_;
  Backend& backend_;
  std::map<std::string, Tensor, std::less<>> cache_;
};

}  // namespace hl::engine
