// ModelRunner: the recurrent token mixers (Mamba1, Mamba2, Gated DeltaNet, LFM2 short conv), composed from the
// Backend's recurrent primitives. One parameterised path per mixer kind; family differences are spec options
// (docs/engine.md, "Recurrent mixers in the engine").
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/engine/model_runner.h"

namespace hl::engine {

namespace {

// act(causal depthwise conv(x)): transformers applies the config's hidden_act after every recurrent mixer's conv
// (causal_conv1d_fn(..., activation=hidden_act)); SiLU, by far the common case, is fused into the conv.
void conv_then_activation(Backend& b, const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y,
                          hl::Activation act) {
  const bool silu = act == hl::Activation::SiLU;
  b.causal_conv1d(x, w, bias, y, silu);
  if (!silu) b.activation(act, y, y);
}

}  // namespace

const Tensor& ModelRunner::derived_rows(const std::string& transform, const std::vector<RowRange>& parts) {
  if (parts.empty()) throw std::logic_error("derived_rows: no parts");
  const DerivedKey key{parts[0].tensor, transform};
  if (auto it = derived_.find(key); it != derived_.end()) return it->second;
  std::int64_t rows = 0, width = -1;
  DType dt = DType::f32;
  Shape rest;
  for (const RowRange& p : parts) {
    const TensorView& v = *p.tensor;
    if (v.shape.empty()) throw std::runtime_error("tensor '" + v.name + "' is a scalar");
    std::int64_t w = 1;
    for (std::size_t i = 1; i < v.shape.size(); ++i) w *= v.shape[i];
    if (width < 0) {
      width = w;
      dt = engine_dtype(v.dtype);
      rest = Shape::of_rank(static_cast<int>(v.shape.size()));
      for (std::size_t i = 1; i < v.shape.size(); ++i) rest[static_cast<int>(i)] = v.shape[i];
    } else if (w != width || engine_dtype(v.dtype) != dt) {
      throw std::runtime_error("tensor '" + v.name + "' does not match the dtype / row width of '" +
                               parts[0].tensor->name + "'");
    }
    if (p.begin < 0 || p.end > v.shape[0] || p.begin > p.end)
      throw std::runtime_error("tensor '" + v.name + "': row range out of bounds");
    rows += p.end - p.begin;
  }
  rest[0] = rows;
  Tensor host = Tensor::empty(dt, rest);
  const std::size_t row_bytes = static_cast<std::size_t>(width) * dtype_size(dt);
  auto* out = static_cast<std::byte*>(host.data());
  for (const RowRange& p : parts) {
    const std::size_t n = static_cast<std::size_t>(p.end - p.begin) * row_bytes;
    std::memcpy(out, p.tensor->data + static_cast<std::size_t>(p.begin) * row_bytes, n);
    out += n;
  }
  return derived_.emplace(key, backend_.upload(host)).first->second;
}

const Tensor& ModelRunner::head_transposed(const TensorView& v, std::int64_t head) {
  const DerivedKey key{&v, "transposed/" + std::to_string(head)};
  if (auto it = derived_.find(key); it != derived_.end()) return it->second;
  if (v.shape.size() != 3 || head < 0 || head >= v.shape[0])
    throw std::runtime_error("tensor '" + v.name + "' is not [heads, in, out] with head " + std::to_string(head));
  const std::int64_t in = v.shape[1], out = v.shape[2];
  const DType dt = engine_dtype(v.dtype);
  const std::size_t es = dtype_size(dt);
  Tensor host = Tensor::empty(dt, {out, in});
  const std::byte* src = v.data + static_cast<std::size_t>(head * in * out) * es;
  auto* dst = static_cast<std::byte*>(host.data());
  for (std::int64_t i = 0; i < in; ++i)
    for (std::int64_t o = 0; o < out; ++o)
      std::memcpy(dst + static_cast<std::size_t>(o * in + i) * es, src + static_cast<std::size_t>(i * out + o) * es, es);
  return derived_.emplace(key, backend_.upload(host)).first->second;
}

const Tensor& ModelRunner::ones(std::int64_t n) {
  const DerivedKey key{nullptr, "ones/" + std::to_string(n)};
  if (auto it = derived_.find(key); it != derived_.end()) return it->second;
  Tensor host = Tensor::empty(DType::f32, {n});
  std::fill(host.ptr<float>(), host.ptr<float>() + n, 1.f);
  return derived_.emplace(key, backend_.upload(host)).first->second;
}

const Tensor* ModelRunner::state_norm_output(Context& c, const LayerPlan& layer, std::int64_t heads) {
  if (!c.options->state_norms) return nullptr;
  auto& slot = c.state_norm_buffers[layer.index];
  slot = backend_.alloc(DType::f32, {c.T, heads});
  c.result->state_norm_heads[layer.index] = static_cast<int>(heads);
  return &slot;
}

// HF MambaMixer / FalconMambaMixer / JambaMambaMixer / ZambaMambaMixer (slow path):
//   [x | z] = in_proj(h); u = act(conv(x)) (act = hidden_act); [dt_r | B | C] = x_proj(u) (+ dt/B/C RMSNorms: jamba learned,
//   falcon_mamba weightless); delta = dt_proj(dt_r) (bias inside); y = scan(u, delta, A, B, C, D) * silu(z); out_proj.
Tensor ModelRunner::mamba1(Context& c, const LayerPlan& layer, const Mamba1Spec& m, const Tensor& x) {
  const std::int64_t T = c.T, D = m.d_inner, N = m.d_state, R = m.dt_rank;
  const MambaWeights& w = weights_of(layer).mamba;

  // Zamba's in_proj interleaves x and z per channel (rows 2c, 2c + 1): regrouped once into [x | z].
  const Tensor* w_in = &weights_(w.in_proj.weight);
  const Tensor* b_in = weights_.optional(w.in_proj.bias);
  if (m.interleaved_in_proj) {
    auto halves = [&](const TensorView* t) {
      std::vector<RowRange> rows;
      for (int half = 0; half < 2; ++half)
        for (std::int64_t ch = 0; ch < D; ++ch) rows.push_back({t, 2 * ch + half, 2 * ch + half + 1});
      return &derived_rows("deinterleaved", rows);
    };
    w_in = halves(w.in_proj.weight);
    if (b_in) b_in = halves(w.in_proj.bias);
  }
  Tensor xz = backend_.alloc(DType::f32, {T, 2 * D});
  backend_.linear(x, *w_in, b_in, xz);
  Tensor u = backend_.alloc(DType::f32, {T, D});
  conv_then_activation(backend_, xz.slice(1, 0, D), weights_(w.conv.weight), weights_.optional(w.conv.bias), u,
                       m.conv_activation);
  const Tensor z = xz.slice(1, D, 2 * D);
  Tensor y = backend_.alloc(DType::f32, {T, D});
  const Tensor* norms = state_norm_output(c, layer, m.heads);

  // One selective scan per head over its P channels (heads = 1: the whole d_inner), each with its own B and C.
  const std::int64_t H = m.heads, P = D / H;
  const bool stacked = H > 1 || m.interleaved_in_proj;
  const auto head_of = [&](const TensorView* weight, std::int64_t h, Shape shape) {
    const Tensor& t = weights_(weight);
    return stacked ? t.slice(0, h, h + 1).reshape(shape) : t;
  };
  for (std::int64_t h = 0; h < H; ++h) {
    const Tensor u_h = u.slice(1, h * P, (h + 1) * P);
    Tensor dbc = backend_.alloc(DType::f32, {T, R + 2 * N});
    backend_.linear(u_h, head_of(w.x_proj.weight, h, {R + 2 * N, P}), nullptr, dbc);
    const Tensor dt_r = dbc.slice(1, 0, R), B = dbc.slice(1, R, R + N), C = dbc.slice(1, R + N, R + 2 * N);
    if (m.dt_bc_norm != Mamba1Spec::DtBcNorm::None) {
      NormParams np;
      np.eps = static_cast<float>(m.dt_bc_norm_eps);
      const bool learned = m.dt_bc_norm == Mamba1Spec::DtBcNorm::Learned;
      backend_.rms_norm(dt_r, learned ? weights_(w.dt_norm) : ones(R), dt_r, np);
      backend_.rms_norm(B, learned ? weights_(w.b_norm) : ones(N), B, np);
      backend_.rms_norm(C, learned ? weights_(w.c_norm) : ones(N), C, np);
    }
    Tensor delta = backend_.alloc(DType::f32, {T, P});
    backend_.linear(dt_r, head_of(w.dt_proj.weight, h, {P, R}), nullptr, delta);
    const Tensor delta_bias = head_of(w.dt_proj.bias, h, {P});
    const Tensor A_log = head_of(w.A_log, h, {P, N});
    const Tensor Dskip = head_of(w.D, h, {P});
    const Tensor z_h = z.slice(1, h * P, (h + 1) * P);

    Backend::Mamba1ScanArgs a;
    a.u = u_h;
    a.delta = delta;
    a.delta_bias = &delta_bias;
    a.A_log = A_log;
    a.B = B;
    a.C = C;
    a.Dskip = &Dskip;
    a.z = &z_h;
    a.y = H == 1 ? y : backend_.alloc(DType::f32, {T, P});
    Tensor head_norms;
    if (norms) head_norms = H == 1 ? *norms : backend_.alloc(DType::f32, {T, 1});
    a.state_norms = norms ? &head_norms : nullptr;
    backend_.mamba1_scan(a);
    if (H > 1) {
      backend_.residual_add(y.slice(1, h * P, (h + 1) * P), a.y, 1.f);
      if (norms) backend_.residual_add(norms->slice(1, h, h + 1), head_norms, 1.f);
    }
  }

  return project(y, w.out_proj);
}

// HF Mamba2Mixer / BambaMixer / NemotronHMamba2Mixer / GraniteMoeHybridMambaLayer (torch_forward):
//   [z | xBC | dt] = in_proj(h); xBC = silu(conv(xBC)); [x | B | C] = xBC;
//   y = SSD(x, dt, A, B, C) + D x with dt = clamp(softplus(dt + dt_bias), dt_min, dt_max);
//   y = gated RMSNorm(y, z) over groups of norm_group_size; out_proj.
Tensor ModelRunner::mamba2(Context& c, const LayerPlan& layer, const Mamba2Spec& m, const Tensor& x) {
  const std::int64_t T = c.T, DI = m.d_inner, H = m.n_heads, G = m.n_groups, N = m.d_state;
  const std::int64_t conv_dim = m.conv_dim();
  const MambaWeights& w = weights_of(layer).mamba;
  const Tensor& w_in = weights_(w.in_proj.weight);
  // Some checkpoints carry an extra MLP split (d_mlp) in front: [z0 | x0 | z | xBC | dt].
  const std::int64_t extra = w_in.dim(0) - m.in_proj_dim();
  if (extra != 0) throw std::runtime_error("mamba2: in_proj has " + std::to_string(w_in.dim(0)) + " rows, expected " +
                                           std::to_string(m.in_proj_dim()));
  Tensor proj = backend_.alloc(DType::f32, {T, m.in_proj_dim()});
  backend_.linear(x, w_in, weights_.optional(w.in_proj.bias), proj);
  // falcon_h1 mup_vector: the [z | x | B | C | dt] column segments of the projection scaled by ssm_multipliers.
  const auto& seg = spec_.multipliers.ssm_segments;
  if (seg.size() == 5) {
    const std::int64_t bounds[6] = {0, DI, 2 * DI, 2 * DI + G * N, 2 * DI + 2 * G * N, m.in_proj_dim()};
    for (int i = 0; i < 5; ++i)
      if (seg[static_cast<std::size_t>(i)] != 1.0)
        backend_.scale(proj.slice(1, bounds[i], bounds[i + 1]), static_cast<float>(seg[static_cast<std::size_t>(i)]));
  }
  const Tensor z = proj.slice(1, 0, DI);
  const Tensor xBC_raw = proj.slice(1, DI, DI + conv_dim);
  const Tensor dt = proj.slice(1, DI + conv_dim, DI + conv_dim + H);
  Tensor xBC = backend_.alloc(DType::f32, {T, conv_dim});
  conv_then_activation(backend_, xBC_raw, weights_(w.conv.weight), weights_.optional(w.conv.bias), xBC,
                       m.conv_activation);

  Backend::Mamba2ScanArgs a;
  a.x = xBC.slice(1, 0, DI);
  a.B = xBC.slice(1, DI, DI + G * N);
  a.C = xBC.slice(1, DI + G * N, DI + 2 * G * N);
  a.dt = dt;
  a.A_log = weights_(w.A_log);
  a.D = &weights_(w.D);
  a.dt_bias = &weights_(w.dt_bias);
  a.heads = H;
  a.head_dim = m.head_dim;
  a.groups = G;
  a.state = N;
  a.dt_min = static_cast<float>(m.dt_min);
  a.dt_max = std::isfinite(m.dt_max) ? static_cast<float>(m.dt_max) : std::numeric_limits<float>::infinity();
  a.chunk_size = m.chunk_size;
  a.y = backend_.alloc(DType::f32, {T, DI});
  a.state_norms = state_norm_output(c, layer, H);
  backend_.mamba2_scan(a);

  Tensor y = a.y;
  if (m.gated_norm == GatedNormKind::None) {
    backend_.gated_activation(Activation::SiLU, z, a.y, a.y);
  } else {
    NormParams np;
    np.eps = static_cast<float>(m.norm_eps);
    np.group_size = m.norm_group_size > 0 ? m.norm_group_size : DI;
    y = backend_.alloc(DType::f32, {T, DI});
    backend_.rms_norm_gated(a.y, z, weights_(w.norm), y, np,
                            m.gated_norm == GatedNormKind::NormThenGate);
  }
  return project(y, w.out_proj);
}

// HF Qwen3NextGatedDeltaNet / OlmoHybridGatedDeltaNet:
//   qkv = act(conv([q | k | v])) with act = hidden_act (silu in released models); beta = sigmoid(b) (·2 when allow_neg_eigval); g = -exp(A_log) softplus(a + dt_bias);
//   o = chunked gated delta rule (l2-normalised q, k); o = RMSNorm(o per value head) · w · silu(gate); out_proj.
// Qwen3-Next's fused in_proj_qkvz / in_proj_ba are grouped per key head ([q_g | k_g | v_g | z_g], [b_g | a_g]); their
// rows are regrouped once into [q | k | v | z] / [b | a]. Qwen3.5 stores [q | k | v] and z, b, a apart. OLMo-hybrid's checkpoint stores the one concatenated conv
// weight split in three row chunks (q_conv1d / k_conv1d / v_conv1d); they are concatenated back.
Tensor ModelRunner::gated_delta_net(Context& c, const LayerPlan& layer, const GatedDeltaNetSpec& g, const Tensor& x) {
  const std::int64_t T = c.T, Hk = g.num_key_heads, Hv = g.num_value_heads, Dk = g.key_head_dim,
                     Dv = g.value_head_dim;
  const std::int64_t kd = g.key_dim(), vd = g.value_dim(), conv_dim = 2 * kd + vd;
  const GatedDeltaNetWeights& w = weights_of(layer).gdn;
  if (Hk <= 0 || Hv % Hk != 0) throw std::runtime_error("gated deltanet: value heads must be a multiple of key heads");

  Tensor qkv_raw, z, ba;  // qkv_raw [T, conv_dim] (view), z [T, vd] (view), ba [T, 2 Hv] = [b | a]
  const Tensor* conv_w = nullptr;
  if (g.projections == GatedDeltaNetSpec::Projections::SplitQkv) {
    qkv_raw = backend_.alloc(DType::f32, {T, conv_dim});
    backend_.linear(x, weights_(w.in_proj_qkv), nullptr, qkv_raw);
    z = backend_.alloc(DType::f32, {T, vd});
    backend_.linear(x, weights_(w.in_proj_z), nullptr, z);
    ba = backend_.alloc(DType::f32, {T, 2 * Hv});
    backend_.linear(x, weights_(w.in_proj_b), nullptr, ba.slice(1, 0, Hv));
    backend_.linear(x, weights_(w.in_proj_a), nullptr, ba.slice(1, Hv, 2 * Hv));
    conv_w = &weights_(w.conv);
  } else if (g.projections == GatedDeltaNetSpec::Projections::GroupedQkvz) {
    const std::int64_t r = Hv / Hk, W = 2 * Dk + 2 * r * Dv;
    std::vector<RowRange> rows;
    for (int part = 0; part < 4; ++part)
      for (std::int64_t h = 0; h < Hk; ++h) {
        const std::int64_t off = part == 0 ? 0 : part == 1 ? Dk : part == 2 ? 2 * Dk : 2 * Dk + r * Dv;
        const std::int64_t len = part < 2 ? Dk : r * Dv;
        rows.push_back({w.in_proj_qkvz, h * W + off, h * W + off + len});
      }
    const Tensor& w_qkvz = derived_rows("regrouped", rows);
    rows.clear();
    for (int part = 0; part < 2; ++part)
      for (std::int64_t h = 0; h < Hk; ++h)
        rows.push_back({w.in_proj_ba, h * 2 * r + part * r, h * 2 * r + part * r + r});
    const Tensor& w_ba = derived_rows("regrouped", rows);
    Tensor qkvz = backend_.alloc(DType::f32, {T, 2 * kd + 2 * vd});
    backend_.linear(x, w_qkvz, nullptr, qkvz);
    ba = backend_.alloc(DType::f32, {T, 2 * Hv});
    backend_.linear(x, w_ba, nullptr, ba);
    qkv_raw = qkvz.slice(1, 0, conv_dim);
    z = qkvz.slice(1, conv_dim, conv_dim + vd);
    conv_w = &weights_(w.conv);
  } else {
    Tensor qkv = backend_.alloc(DType::f32, {T, conv_dim});
    backend_.linear(x, weights_(w.q_proj), nullptr, qkv.slice(1, 0, kd));
    backend_.linear(x, weights_(w.k_proj), nullptr, qkv.slice(1, kd, 2 * kd));
    backend_.linear(x, weights_(w.v_proj), nullptr, qkv.slice(1, 2 * kd, conv_dim));
    ba = backend_.alloc(DType::f32, {T, 2 * Hv});
    backend_.linear(x, weights_(w.b_proj), nullptr, ba.slice(1, 0, Hv));
    backend_.linear(x, weights_(w.a_proj), nullptr, ba.slice(1, Hv, 2 * Hv));
    z = backend_.alloc(DType::f32, {T, vd});
    backend_.linear(x, weights_(w.g_proj), nullptr, z);
    qkv_raw = qkv;
    std::vector<RowRange> rows;
    for (const TensorView* part : {w.q_conv, w.k_conv, w.v_conv}) rows.push_back({part, 0, part->shape[0]});
    conv_w = &derived_rows("concatenated", rows);
  }
  if (conv_w->dim(0) != conv_dim)
    throw std::runtime_error("gated deltanet: conv weight has " + std::to_string(conv_w->dim(0)) + " channels, expected " +
                             std::to_string(conv_dim));
  Tensor qkv = backend_.alloc(DType::f32, {T, conv_dim});
  conv_then_activation(backend_, qkv_raw, *conv_w, nullptr, qkv, g.conv_activation);

  Backend::GdnScanArgs a;
  a.q = qkv.slice(1, 0, kd);
  a.k = qkv.slice(1, kd, 2 * kd);
  a.v = qkv.slice(1, 2 * kd, conv_dim);
  a.b = ba.slice(1, 0, Hv);
  a.a = ba.slice(1, Hv, 2 * Hv);
  a.A_log = weights_(w.A_log);
  a.dt_bias = &weights_(w.dt_bias);
  a.key_heads = Hk;
  a.value_heads = Hv;
  a.key_dim = Dk;
  a.value_dim = Dv;
  a.beta_scale = g.allow_neg_eigval ? 2.f : 1.f;
  a.y = backend_.alloc(DType::f32, {T, vd});
  a.state_norms = state_norm_output(c, layer, Hv);
  backend_.gated_delta_net(a);

  NormParams np;
  np.eps = static_cast<float>(g.norm_eps);
  np.group_size = Dv;
  Tensor y = backend_.alloc(DType::f32, {T, vd});
  backend_.rms_norm_gated(a.y, z, weights_(w.norm), y, np, /*norm_before_gate=*/true);
  return project(y, weights_(w.out_proj));
}

// HF Lfm2ShortConv: [B | C | x] = in_proj(h); y = C * conv(B * x); out_proj.
Tensor ModelRunner::short_conv(Context& c, const LayerPlan& layer, const Tensor& x) {
  const std::int64_t T = c.T, d = spec_.hidden_size;
  const ShortConvWeights& w = weights_of(layer).conv;
  const Tensor bcx = project(x, w.in_proj);
  Tensor y = backend_.alloc(DType::f32, {T, d});
  backend_.short_conv(bcx, weights_(w.conv.weight), weights_.optional(w.conv.bias), y);
  return project(y, w.out_proj);
}

}  // namespace hl::engine
