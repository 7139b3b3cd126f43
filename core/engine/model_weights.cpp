#include "core/engine/model_weights.h"

#include <cstring>
#include <stdexcept>

namespace hl::engine {

DType engine_dtype(hl::DType t) {
  switch (t) {
    case hl::DType::BF16:
      return DType::bf16;
    case hl::DType::F16:
      return DType::f16;
    case hl::DType::F32:
      return DType::f32;
  }
  throw std::logic_error("unknown checkpoint dtype");
}

Shape engine_shape(const TensorView& v) {
  if (v.shape.size() > static_cast<std::size_t>(kMaxDims))
    throw std::runtime_error("tensor '" + v.name + "' has " + std::to_string(v.shape.size()) +
                             " dimensions; the engine supports at most 4");
  Shape s = Shape::of_rank(static_cast<int>(v.shape.size()));
  for (std::size_t i = 0; i < v.shape.size(); ++i) s[static_cast<int>(i)] = v.shape[i];
  return s;
}

const Tensor& ModelWeights::operator()(const TensorView* view) {
  if (const Tensor* t = optional(view)) return *t;
  throw std::logic_error("the forward pass reads a weight the model plan does not bind (core/model/tensor_plan.cpp)");
}

const Tensor* ModelWeights::optional(const TensorView* view) {
  if (view == nullptr) return nullptr;
  const auto key = std::make_pair(view->data, view->nbytes);
  if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
  const DType dt = engine_dtype(view->dtype);
  const Shape shape = engine_shape(*view);
  Tensor host;
  if (reinterpret_cast<std::uintptr_t>(view->data) % dtype_size(dt) == 0) {
    host = Tensor::view(static_cast<const void*>(view->data), dt, shape);
  } else {
    host = Tensor::empty(dt, shape);
    std::memcpy(host.data(), view->data, view->nbytes);
  }
  return &cache_.emplace(key, backend_.upload(host)).first->second;
}

}  // namespace hl::engine
