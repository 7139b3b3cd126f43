// ModelRunner: Griffin's recurrent block (HF RecurrentGemmaRecurrentBlock + RecurrentGemmaRglru).
#include "core/engine/model_runner.h"

namespace hl::engine {

// y = act(linear_y(h)); x = conv_1d(linear_x(h)) (bias, no activation); gates from x per head block (stored [in, out],
// so each block is transposed once); x = RG-LRU(x); linear_out(x · y). Every Linear has a bias.
Tensor ModelRunner::rg_lru_block(Context& c, const LayerPlan& layer, const Tensor& h) {
  const RgLruSpec& g = layer.mixer.rg_lru;
  const std::int64_t T = c.T, W = g.width, H = g.heads, bw = W / H;
  const RgLruWeights& w = weights_of(layer).rg_lru;
  const Tensor y = project(h, w.linear_y);
  backend_.activation(g.activation, y, y);
  const Tensor x_in = project(h, w.linear_x);
  Tensor x = backend_.alloc(DType::f32, {T, W});
  backend_.causal_conv1d(x_in, weights_(w.conv.weight), &weights_(w.conv.bias), x, false);

  // [input gate | recurrence gate] logits; head k's block reads and writes columns [k·bw, (k+1)·bw) of each half.
  Tensor gates = backend_.alloc(DType::f32, {T, 2 * W});
  for (int half = 0; half < 2; ++half) {
    const LinearWeights& gate = half == 0 ? w.input_gate : w.recurrent_gate;
    const Tensor& bias = weights_(gate.bias);
    for (std::int64_t k = 0; k < H; ++k) {
      const Tensor b = bias.slice(0, k, k + 1);
      backend_.linear(x.slice(1, k * bw, (k + 1) * bw), head_transposed(*gate.weight, k), &b,
                      gates.slice(1, half * W + k * bw, half * W + (k + 1) * bw));
    }
  }
  Backend::RgLruScanArgs a;
  a.x = x;
  a.input_gate = gates.slice(1, 0, W);
  a.recurrent_gate = gates.slice(1, W, 2 * W);
  a.recurrent_param = weights_(w.recurrent_param);
  a.y = backend_.alloc(DType::f32, {T, W});
  backend_.rg_lru_scan(a);
  // The output is the state h_t: its per-head norms are the state norms.
  if (const Tensor* norms = state_norm_output(c, layer, H))
    backend_.l2_norm_rows(a.y.reshape({T * H, bw}), norms->reshape({T * H}));
  backend_.gated_activation(Activation::Identity, a.y, y, a.y);
  return project(a.y, w.linear_out);
}

}  // namespace hl::engine
