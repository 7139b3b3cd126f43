// ModelRunner: MiniMax's lightning (linear) attention layer (HF MiniMaxLightningAttention).
#include <cmath>

#include "core/engine/model_runner.h"

namespace hl::engine {

namespace {

// What MiniMaxPreTrainedModel._init_weights computes for a checkpoint that does not store the decay buffers
// (get_slope_rate / decay_factors, fp32): slope [H]; query_decay, key_decay [H, B]; diagonal_decay [H, B, B].
struct LightningDecays {
  Tensor slope, query_decay, key_decay, diagonal_decay;
};

LightningDecays computed_decays(const LightningAttentionSpec& l) {
  const std::int64_t H = l.heads, B = l.block_size;
  LightningDecays d{Tensor::empty(DType::f32, {H}), Tensor::empty(DType::f32, {H, B}),
                    Tensor::empty(DType::f32, {H, B}), Tensor::empty(DType::f32, {H, B, B})};
  const double base = 1.0 / std::pow(2.0, 8.0 / static_cast<double>(H));
  const double factor = 1.0 - l.layer_index / (l.layer_count - 1 + 1e-5) + 1e-5;
  for (std::int64_t h = 0; h < H; ++h) {
    const float s = static_cast<float>(std::pow(base, static_cast<double>(h + 1))) * static_cast<float>(factor);
    d.slope.ptr<float>()[h] = s;
    for (std::int64_t n = 0; n < B; ++n) {
      d.query_decay.ptr<float>()[h * B + n] = std::exp(-s * static_cast<float>(n + 1));
      d.key_decay.ptr<float>()[h * B + n] = std::exp(-s * static_cast<float>(B - (n + 1)));
      for (std::int64_t j = 0; j < B; ++j)
        d.diagonal_decay.ptr<float>()[(h * B + n) * B + j] = n >= j ? std::exp(-(s * static_cast<float>(n - j))) : 0.f;
    }
  }
  return d;
}

}  // namespace

// [q_h | k_h | v_h] = act(qkv_proj(x)) per head; o = lightning(q, k, v); RMSNorm(o) over every head (eps 1e-6);
// o · sigmoid(output_gate(x)); out_proj. The decays are the checkpoint's buffers when it stores them (transformers
// loads and uses them, rounded as stored), else what transformers computes.
Tensor ModelRunner::lightning_attention(Context& c, const LayerPlan& layer, const Tensor& x) {
  const LightningAttentionSpec& l = layer.mixer.lightning;
  const std::int64_t T = c.T, H = l.heads, D = l.head_dim;
  const LightningWeights& w = weights_of(layer).lightning;
  const Tensor qkv = project(x, weights_(w.qkv));
  backend_.activation(l.activation, qkv, qkv);
  Backend::LightningArgs a;
  const std::int64_t row = qkv.stride(0);
  a.q = qkv.strided({T, H, D}, {row, 3 * D, 1, 0}, 0);
  a.k = qkv.strided({T, H, D}, {row, 3 * D, 1, 0}, D);
  a.v = qkv.strided({T, H, D}, {row, 3 * D, 1, 0}, 2 * D);
  a.block_size = l.block_size;
  if (const Tensor* stored = weights_.optional(w.slope_rate)) {
    a.slope = *stored;
    a.query_decay = weights_(w.query_decay);
    a.key_decay = weights_(w.key_decay);
    a.diagonal_decay = weights_(w.diagonal_decay);
  } else {  // cached under the layer's weights, which they stand in for
    const auto key = [&](const char* decay) { return DerivedKey{&w, std::string("computed ") + decay}; };
    if (!derived_.count(key("slope"))) {
      const LightningDecays d = computed_decays(l);
      derived_.emplace(key("slope"), backend_.upload(d.slope));
      derived_.emplace(key("query"), backend_.upload(d.query_decay));
      derived_.emplace(key("key"), backend_.upload(d.key_decay));
      derived_.emplace(key("diagonal"), backend_.upload(d.diagonal_decay));
    }
    a.slope = derived_.at(key("slope"));
    a.query_decay = derived_.at(key("query"));
    a.key_decay = derived_.at(key("key"));
    a.diagonal_decay = derived_.at(key("diagonal"));
  }
  a.y = backend_.alloc(DType::f32, {T, H * D});
  a.state_norms = state_norm_output(c, layer, H);
  backend_.lightning_attention(a);
  NormParams np;
  np.eps = static_cast<float>(l.norm_eps);
  backend_.rms_norm(a.y, weights_(w.norm), a.y, np);
  backend_.gated_activation(Activation::Sigmoid, project(x, weights_(w.output_gate)), a.y, a.y);
  return project(a.y, weights_(w.out_proj));
}

}  // namespace hl::engine
