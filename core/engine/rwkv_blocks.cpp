// ModelRunner: RWKV-4's two blocks (HF RwkvSelfAttention, RwkvFeedForward), both built on the token shift: every
// projection reads a per-channel interpolation between the token and the one before it.
#include "core/engine/model_runner.h"

namespace hl::engine {

Tensor ModelRunner::shifted_projection(const TokenShiftProjection& w, const Tensor& x) {
  Tensor mixed = backend_.alloc(DType::f32, x.shape());
  backend_.token_shift_mix(x, weights_(w.mix), mixed);
  return project(mixed, weights_(w.proj));
}

// output(sigmoid(r) · wkv(k, v)); the WKV state's norm is the layer's recurrent-state norm (one head).
Tensor ModelRunner::rwkv_time_mix(Context& c, const LayerPlan& layer, const Tensor& x) {
  const RwkvTimeMixWeights& w = weights_of(layer).rwkv;
  const Tensor k = shifted_projection(w.key, x), v = shifted_projection(w.value, x);
  const Tensor r = shifted_projection(w.receptance, x);
  Backend::Rwkv4ScanArgs a;
  a.k = k;
  a.v = v;
  a.time_decay = weights_(w.time_decay);
  a.time_first = weights_(w.time_first);
  a.y = backend_.alloc(DType::f32, k.shape());
  a.state_norms = state_norm_output(c, layer, 1);
  backend_.rwkv4_scan(a);
  backend_.gated_activation(Activation::Sigmoid, r, a.y, a.y);
  return project(a.y, weights_(w.output));
}

// sigmoid(receptance(r_mix)) · value(relu(key(k_mix))²).
Tensor ModelRunner::rwkv_channel_mix(const LayerPlan& layer, const Tensor& x) {
  const RwkvChannelMixWeights& w = weights_of(layer).channel_mix;
  const Tensor k = shifted_projection(w.key, x);
  backend_.activation(Activation::ReLU2, k, k);
  const Tensor v = project(k, weights_(w.value));
  backend_.gated_activation(Activation::Sigmoid, shifted_projection(w.receptance, x), v, v);
  return v;
}

}  // namespace hl::engine
