// ModelRunner: RWKV-4's two blocks (HF RwkvSelfAttention, RwkvFeedForward), both built on the token shift: every
// projection reads a per-channel interpolation between the token and the one before it.
#include "core/engine/model_runner.h"

namespace hl::engine {

// One projection of a token-shift mix: linear(token_shift_mix(x, <prefix>time_mix_<part>), <prefix><part>).
Tensor ModelRunner::shifted_projection(const std::string& prefix, const std::string& part, const Tensor& x) {
  Tensor mixed = backend_.alloc(DType::f32, x.shape());
  backend_.token_shift_mix(x, weights_.get(prefix + "time_mix_" + part), mixed);
  return project(mixed, weights_.get(prefix + part + ".weight"));
}

// output(sigmoid(r) · wkv(k, v)); the WKV state's norm is the layer's recurrent-state norm (one head).
Tensor ModelRunner::rwkv_time_mix(Context& c, const LayerPlan& layer, const Tensor& x) {
  const std::string p = weights_.layer_name(layer.index, layer.mixer.module + ".");
  const Tensor k = shifted_projection(p, "key", x), v = shifted_projection(p, "value", x);
  const Tensor r = shifted_projection(p, "receptance", x);
  Backend::Rwkv4ScanArgs a;
  a.k = k;
  a.v = v;
  a.time_decay = weights_.get(p + "time_decay");
  a.time_first = weights_.get(p + "time_first");
  a.y = backend_.alloc(DType::f32, k.shape());
  a.state_norms = state_norm_output(c, layer, 1);
  backend_.rwkv4_scan(a);
  backend_.gated_activation(Activation::sigmoid, r, a.y, a.y);
  return project(a.y, weights_.get(p + "output.weight"));
}

// sigmoid(receptance(r_mix)) · value(relu(key(k_mix))²).
Tensor ModelRunner::rwkv_channel_mix(const LayerPlan& layer, const Tensor& x) {
  const std::string p = weights_.layer_name(layer.index, layer.ffn.module + ".");
  const Tensor k = shifted_projection(p, "key", x);
  backend_.activation(Activation::relu2, k, k);
  const Tensor v = project(k, weights_.get(p + "value.weight"));
  backend_.gated_activation(Activation::sigmoid, shifted_projection(p, "receptance", x), v, v);
  return v;
}

}  // namespace hl::engine
