#pragma once
// Bound checkpoint tensors (core/model/layer_weights.h) as engine Tensors on a backend, one cached lookup keyed by
// the tensor's bytes in the mapping (a tied lm_head and the embedding are one tensor).
//
// On the CPU the engine reads weights in place from the memory mapping, in their stored dtype. safetensors only
// guarantees byte alignment, so a tensor whose offset is not a multiple of its element size is copied once into an
// aligned buffer (rare: HF writers pack tensors back to back, and odd-sized bf16 tensors can shift the next ones).
// On a device backend every weight is uploaded once, on first use.
#include <cstddef>
#include <map>
#include <utility>

#include "core/checkpoint/tensor_view.h"
#include "core/engine/backend.h"
#include "core/engine/tensor.h"

namespace hl::engine {

// The engine dtype of a checkpoint dtype.
DType engine_dtype(hl::DType t);
// The engine shape of a checkpoint tensor; throws naming it beyond the engine's rank limit.
Shape engine_shape(const TensorView& v);

class ModelWeights {
 public:
  explicit ModelWeights(Backend& backend) : backend_(backend) {}

  // The tensor of a weight the forward pass needs. A null view here means the model plan (tensor_plan.cpp) does
  // not bind what the engine reads for this spec: a logic error, since bind reports missing checkpoint tensors.
  const Tensor& operator()(const TensorView* view);
  // nullptr when the plan binds no such tensor (optional biases and buffers).
  const Tensor* optional(const TensorView* view);

 private:
  Backend& backend_;
  std::map<std::pair<const std::byte*, std::size_t>, Tensor> cache_;
};

}  // namespace hl::engine
