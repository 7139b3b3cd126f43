#include "core/engine/model_weights.h"

#include <cstring>
#include <stdexcept>

namespace hl::engine {

DType engine_dtype(hl::DType t) {
  switch (t) {
    case hl::DType::BF16: return DType::bf16;
    case hl::DType::F16: return DType::f16;
    case hl::DType::F32: return DType::f32;
  }
  throw std::logic_error("unknown checkpoint dtype");
}

namespace {

Shape engine_shape(const TensorView& v) {
  if (v.shape.size() > static_cast<std::size_t>(kMaxDims))
    throw std::runtime_error("tensor '" + v.name + "' has " + std::to_string(v.shape.size()) +
                             " dimensions; the engine supports at most 4");
  Shape s = Shape::of_rank(static_cast<int>(v.shape.size()));
  for (std::size_t i = 0; i < v.shape.size(); ++i) s[static_cast<int>(i)] = v.shape[i];
  return s;
}

}  // namespace

ModelWeights::ModelWeights(const Checkpoint& checkpoint, const ModelSpec& spec, Backend& backend)
    : checkpoint_(checkpoint), spec_(spec), backend_(backend) {}

std::string ModelWeights::layer_name(int layer, std::string_view relative) const {
  return spec_.names.layer_prefix + std::to_string(layer) + "." + std::string(relative);
}

const Tensor* ModelWeights::find(const std::string& name) {
  if (auto it = cache_.find(name); it != cache_.end()) return &it->second;
  return load(name);
}

const Tensor& ModelWeights::get(const std::string& name) {
  if (const Tensor* t = find(name)) return *t;
  throw std::runtime_error("checkpoint has no tensor '" + name + "'");
}

const Tensor& ModelWeights::lm_head() {
  if (spec_.tied_embeddings) return embedding();
  return get(spec_.names.lm_head);
}

const Tensor* ModelWeights::load(const std::string& name) {
  const TensorView* v = checkpoint_.find(name);
  if (v == nullptr) return nullptr;
  const DType dt = engine_dtype(v->dtype);
  const Shape shape = engine_shape(*v);
  Tensor host;
  if (reinterpret_cast<std::uintptr_t>(v->data) % dtype_size(dt) == 0) {
    host = Tensor::view(static_cast<const void*>(v->data), dt, shape);
  } else {
    host = Tensor::empty(dt, shape);
    std::memcpy(host.data(), v->data, v->nbytes);
  }
  return &cache_.emplace(name, backend_.upload(host)).first->second;
}

}  // namespace hl::engine
