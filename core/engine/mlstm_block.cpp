// ModelRunner: xLSTM's mLSTM layer (HF xLSTMLayer).
#include "core/engine/model_runner.h"

namespace hl::engine {

// q, k, v, o and the gate pre-activations from x; i, f soft-capped; h = mLSTM(q, k, v, i, f); per-head LayerNorm (no
// bias); σ(o) · h; out_proj.
Tensor ModelRunner::mlstm(Context& c, const LayerPlan& layer, const Tensor& x) {
  const MLstmSpec& m = layer.mixer.mlstm;
  const std::int64_t T = c.T, H = m.heads, dv = m.v_dim;
  const std::string p = weights_.layer_name(layer.index, layer.mixer.module + ".");
  auto linear = [&](const std::string& name) { return project(x, weights_.get(p + name + ".weight")); };
  const Tensor q = linear("q"), k = linear("k"), v = linear("v"), o = linear("ogate_preact");
  Tensor gates = backend_.alloc(DType::f32, {T, 2 * H});  // [i | f]
  backend_.linear(x, weights_.get(p + "igate_preact.weight"), &weights_.get(p + "igate_preact.bias"),
                  gates.slice(1, 0, H));
  backend_.linear(x, weights_.get(p + "fgate_preact.weight"), &weights_.get(p + "fgate_preact.bias"),
                  gates.slice(1, H, 2 * H));
  {  // cap · tanh(x / cap)
    const auto cap = static_cast<float>(m.gate_soft_cap);
    backend_.scale(gates, 1.f / cap);
    backend_.activation(Activation::tanh, gates, gates);
    backend_.scale(gates, cap);
  }
  Backend::MLstmArgs a;
  a.q = q, a.k = k, a.v = v;
  a.i = gates.slice(1, 0, H), a.f = gates.slice(1, H, 2 * H);
  a.heads = H;
  a.eps = static_cast<float>(m.eps);
  a.y = backend_.alloc(DType::f32, {T, dv});
  a.state_norms = state_norm_output(c, layer, H);
  backend_.mlstm(a);
  NormParams np;
  np.eps = static_cast<float>(m.norm_eps);
  const std::int64_t dh = dv / H;  // each head normalised over its dh values, with its own slice of the weight
  const Tensor& norm_w = weights_.get(p + "multihead_norm.weight");
  for (std::int64_t h = 0; h < H; ++h) {
    const Tensor head = a.y.slice(1, h * dh, (h + 1) * dh);
    backend_.layer_norm(head, norm_w.slice(0, h * dh, (h + 1) * dh), nullptr, head, np);
  }
  backend_.gated_activation(Activation::sigmoid, o, a.y, a.y);
  return project(a.y, weights_.get(p + "out_proj.weight"));
}

}  // namespace hl::engine
