// ModelRunner: xLSTM's mLSTM layer (HF xLSTMLayer).
#include "core/engine/model_runner.h"

namespace hl::engine {

// q, k, v, o and the gate pre-activations from x; i, f soft-capped; h = mLSTM(q, k, v, i, f); per-head LayerNorm (no
// bias); σ(o) · h; out_proj.
Tensor ModelRunner::mlstm(Context& c, const LayerPlan& layer, const Tensor& x) {
  const MLstmSpec& m = layer.mixer.mlstm;
  const std::int64_t T = c.T, H = m.heads, dv = m.v_dim;
  const MLstmWeights& w = weights_of(layer).mlstm;
  auto linear = [&](const TensorView* weight) { return project(x, weights_(weight)); };
  const Tensor q = linear(w.q), k = linear(w.k), v = linear(w.v), o = linear(w.o_gate);
  Tensor gates = backend_.alloc(DType::f32, {T, 2 * H});  // [i | f]
  backend_.linear(x, weights_(w.i_gate.weight), &weights_(w.i_gate.bias), gates.slice(1, 0, H));
  backend_.linear(x, weights_(w.f_gate.weight), &weights_(w.f_gate.bias), gates.slice(1, H, 2 * H));
  {  // cap · tanh(x / cap)
    const auto cap = static_cast<float>(m.gate_soft_cap);
    backend_.scale(gates, 1.f / cap);
    backend_.activation(Activation::Tanh, gates, gates);
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
  const Tensor& norm_w = weights_(w.norm);
  for (std::int64_t h = 0; h < H; ++h) {
    const Tensor head = a.y.slice(1, h * dh, (h + 1) * dh);
    backend_.layer_norm(head, norm_w.slice(0, h * dh, (h + 1) * dh), nullptr, head, np);
  }
  backend_.gated_activation(Activation::Sigmoid, o, a.y, a.y);
  return project(a.y, weights_(w.out_proj));
}

}  // namespace hl::engine
