// ModelRunner: Kimi-Linear's two token mixers, Kimi Delta Attention (HF KimiLinearDeltaAttention) and multi-head
// latent attention (HF KimiLinearAttention).
#include <cmath>
#include <vector>

#include "core/engine/model_runner.h"

namespace hl::engine {

// [q | k | v] = act(conv_p(p_proj(x))) per part; f = f_b(f_a(x)) (Bailing: f_proj(x)); b = b_proj(x);
// o = KDA(q, k, v, f, b); o = RMSNorm(o per head) · σ(g_b(g_a(x))) (Bailing: σ(g_proj(x))); o_proj.
Tensor ModelRunner::kimi_delta(Context& c, const LayerPlan& layer, const Tensor& x) {
  const KimiDeltaSpec& s = layer.mixer.kda;
  const std::int64_t T = c.T, d = s.dim();
  const KimiDeltaWeights& kw = weights_of(layer).kda;
  const auto w = [&](const TensorView* view) -> const Tensor& { return weights_(view); };
  Tensor qkv = backend_.alloc(DType::f32, {T, 3 * d});
  const std::pair<const TensorView*, const TensorView*> parts[] = {
      {kw.q_proj, kw.q_conv}, {kw.k_proj, kw.k_conv}, {kw.v_proj, kw.v_conv}};
  int part = 0;
  for (const auto& [proj, conv] : parts) {
    const Tensor projected = project(x, w(proj));
    const Tensor out = qkv.slice(1, part * d, (part + 1) * d);
    backend_.causal_conv1d(projected, w(conv), nullptr, out, s.conv_activation == hl::Activation::SiLU);
    if (s.conv_activation != hl::Activation::SiLU) backend_.activation(s.conv_activation, out, out);
    ++part;
  }
  Backend::KimiDeltaArgs a;
  a.q = qkv.slice(1, 0, d);
  a.k = qkv.slice(1, d, 2 * d);
  a.v = qkv.slice(1, 2 * d, 3 * d);
  const bool low_rank_f = s.forget_gate == KimiDeltaSpec::ForgetGate::KimiLowRank;
  a.f = low_rank_f ? project(project(x, w(kw.f_a_proj)), w(kw.f_b_proj)) : project(x, w(kw.f_proj));
  switch (s.forget_gate) {
    case KimiDeltaSpec::ForgetGate::KimiLowRank: a.gate = Backend::KdaGate::kimi_softplus; break;
    case KimiDeltaSpec::ForgetGate::Softplus: a.gate = Backend::KdaGate::softplus; break;
    case KimiDeltaSpec::ForgetGate::SafeSigmoid: a.gate = Backend::KdaGate::safe_sigmoid; break;
  }
  a.lower_bound = static_cast<float>(s.gate_lower_bound);
  a.b = project(x, w(kw.b_proj));
  a.A_log = w(kw.A_log);
  a.dt_bias = w(kw.dt_bias);
  a.heads = s.heads;
  a.head_dim = s.head_dim;
  a.y = backend_.alloc(DType::f32, {T, d});
  a.state_norms = state_norm_output(c, layer, s.heads);
  backend_.kimi_delta_attention(a);
  NormParams np;
  np.eps = static_cast<float>(s.norm_eps);
  np.group_size = s.head_dim;
  backend_.rms_norm(a.y, w(kw.o_norm), a.y, np);
  const Tensor gate = s.low_rank_output_gate ? project(project(x, w(kw.g_a_proj)), w(kw.g_b_proj))
                                             : project(x, w(kw.g_proj));
  backend_.gated_activation(Activation::Sigmoid, gate, a.y, a.y);
  return project(a.y, w(kw.o_proj));
}

// q = q_proj(x) | q_b(RMSNorm(q_a(x))); [c | k_rot] = kv_a(x); [k_nope_h | v_h] = kv_b(RMSNorm(c)) per head;
// k_h = [k_nope_h | k_rot] (k_rot shared; rotated with q's rope part where the spec has RoPE, in GPT-J pairs:
// Bailing's de-interleaving output permutes q and k alike, which leaves q·k unchanged); softmax((q·k) · scale) v;
// · σ(g_proj(x)) per head (Bailing); o_proj.
Tensor ModelRunner::latent_attention(Context& c, const LayerPlan& layer, const Tensor& x) {
  const LatentAttentionSpec& m = layer.mixer.mla;
  const std::int64_t T = c.T, H = m.heads, nope = m.qk_nope_dim, rope = m.qk_rope_dim, dv = m.v_head_dim;
  const std::int64_t qk = m.qk_dim(), r = m.kv_lora_rank;
  const LatentAttentionWeights& w = weights_of(layer).mla;
  NormParams np;
  np.eps = static_cast<float>(m.norm_eps);
  Tensor q;
  if (m.q_lora_rank > 0) {
    Tensor low = project(x, w.q_a_proj);
    backend_.rms_norm(low, weights_(w.q_a_norm), low, np);
    q = project(low, w.q_b_proj);
  } else {
    q = project(x, w.q_proj);
  }
  const Tensor ckv = project(x, w.kv_a_proj);
  Tensor latent = backend_.alloc(DType::f32, {T, r});
  backend_.rms_norm(ckv.slice(1, 0, r), weights_(w.kv_a_norm), latent, np);
  const Tensor kv = project(latent, w.kv_b_proj);  // per head [k_nope | v]
  // Keys assembled per head: the head's k_nope, then the shared k_rot.
  Tensor k = backend_.alloc(DType::f32, {T, H * qk});
  const Tensor k_rot = ckv.slice(1, r, r + rope);
  if (m.rope.type != hl::RopeType::None) {
    const auto& [cos, sin] = rope_cos_sin(c, m.rope, rope);
    backend_.rope(q.strided({T, H, rope}, {q.stride(0), qk, 1, 0}, nope), cos, sin, /*interleaved=*/true);
    backend_.rope(k_rot.strided({T, 1, rope}, {ckv.stride(0), rope, 1, 0}, 0), cos, sin, /*interleaved=*/true);
  }
  for (std::int64_t h = 0; h < H; ++h) {
    backend_.residual_add(k.slice(1, h * qk, h * qk + nope), kv.slice(1, h * (nope + dv), h * (nope + dv) + nope), 1.f);
    backend_.residual_add(k.slice(1, h * qk + nope, (h + 1) * qk), k_rot, 1.f);
  }
  Tensor out = backend_.alloc(DType::f32, {T, H * dv});
  AttentionParams ap;
  ap.scale = static_cast<float>(m.softmax_scale > 0 ? m.softmax_scale : 1.0 / std::sqrt(static_cast<double>(qk)));
  backend_.attention(q.reshape({T, H, qk}), k.reshape({T, H, qk}),
                     kv.strided({T, H, dv}, {kv.stride(0), nope + dv, 1, 0}, nope), out, ap);
  if (m.head_gate) {
    // out_h *= σ(g_proj(x))_h. g_proj's row h repeated dv times (derived once) gives the head's gate in each of its
    // dv columns, the same dot product, so one gated activation covers every head.
    std::vector<RowRange> rows;
    for (std::int64_t h = 0; h < H; ++h)
      for (std::int64_t j = 0; j < dv; ++j) rows.push_back({w.head_gate.weight, h, h + 1});
    const Tensor g = project(x, derived_rows("per_value_column", rows));
    backend_.gated_activation(Activation::Sigmoid, g, out, out);
  }
  return project(out, w.o_proj);
}

}  // namespace hl::engine
