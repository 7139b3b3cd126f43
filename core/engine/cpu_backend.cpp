#include "core/engine/cpu_backend.h"

#include <cstring>
#include <string>

#include "core/cpu/activations.h"
#include "core/cpu/attention.h"
#include "core/cpu/embedding.h"
#include "core/cpu/gemm.h"
#include "core/cpu/norms.h"
#include "core/cpu/parallel.h"
#include "core/cpu/rope.h"
#include "core/cpu/token_stats.h"
#include "core/engine/tensor_checks.h"

namespace hl::engine {

namespace {

[[noreturn]] void fail(const char* op, const std::string& what) { fail_op(op, what); }
void check_cpu(const char* op, const char* name, const Tensor& t) { check_on_device(op, name, t, Device::cpu); }
void check_f32(const char* op, const char* name, const Tensor& t, int rank) {
  check_f32_on(op, name, t, rank, Device::cpu);
}

cpu::WType wtype_of(const char* op, const char* name, const Tensor& t) {
  return weight_type<cpu::WType>(op, name, t, Device::cpu);
}

void check_weight_contiguous(const char* op, const char* name, const Tensor& t) {
  if (!t.is_contiguous()) fail(op, std::string(name) + " must be contiguous: " + t.describe());
}

std::size_t us(std::int64_t v) { return static_cast<std::size_t>(v); }

void same_shape(const char* op, const Tensor& a, const Tensor& b) { check_same_shape(op, a, b); }

// Grouping of a norm input: rank 2 [T, C] with group_size, or rank 3 [T, G, S].
cpu::GroupedRows grouping(const char* op, const Tensor& x, const Tensor& y, std::int64_t group_size) {
  check_f32(op, "x", x, 0);
  check_f32(op, "y", y, 0);
  same_shape(op, x, y);
  cpu::GroupedRows g{};
  if (x.rank() == 2) {
    const std::int64_t C = x.dim(1);
    const std::int64_t S = group_size > 0 ? group_size : C;
    if (C % S != 0) fail(op, "group_size " + std::to_string(S) + " does not divide " + x.describe());
    g = {us(x.dim(0)), us(C / S), us(S), us(x.stride(0)), us(S), us(y.stride(0)), us(S)};
  } else if (x.rank() == 3) {
    g = {us(x.dim(0)), us(x.dim(1)), us(x.dim(2)), us(x.stride(0)), us(x.stride(1)), us(y.stride(0)), us(y.stride(1))};
  } else {
    fail(op, "x must be [T, C] or [T, G, S]: " + x.describe());
  }
  return g;
}

bool weight_per_group(const char* op, const Tensor& w, const cpu::GroupedRows& g) {
  const auto n = us(w.numel());
  if (n == g.S) return true;
  if (n == g.G * g.S) return false;
  fail(op, "weight " + w.describe() + " has neither S=" + std::to_string(g.S) + " nor G*S=" +
               std::to_string(g.G * g.S) + " entries");
}

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() { return std::make_unique<CpuBackend>(); }

CpuBackend::CpuBackend(int threads) {
  if (threads > 0) cpu::set_num_threads(threads);
}

Tensor CpuBackend::alloc(DType dtype, Shape shape) { return Tensor::empty(dtype, shape); }

Tensor CpuBackend::upload(const Tensor& host) {
  check_cpu("upload", "host", host);
  return host;
}

void CpuBackend::download(const Tensor& src, void* host_dst) {
  check_cpu("download", "src", src);
  if (!src.is_contiguous()) fail("download", "src must be contiguous: " + src.describe());
  if (src.nbytes()) std::memcpy(host_dst, src.data(), src.nbytes());
}

void CpuBackend::linear(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y) {
  const char* op = "linear";
  check_f32(op, "x", x, 2);
  check_f32(op, "y", y, 2);
  const cpu::WType wt = wtype_of(op, "w", w);
  check_weight_contiguous(op, "w", w);
  if (w.rank() != 2 || w.dim(1) != x.dim(1) || y.dim(0) != x.dim(0) || y.dim(1) != w.dim(0))
    fail(op, "expected x [T, in], w [out, in], y [T, out]; got " + x.describe() + ", " + w.describe() + ", " +
                 y.describe());
  cpu::WType bt = cpu::WType::f32;
  const void* bp = nullptr;
  if (bias) {
    bt = wtype_of(op, "bias", *bias);
    check_weight_contiguous(op, "bias", *bias);
    if (bias->numel() != w.dim(0)) fail(op, "bias " + bias->describe() + " does not match " + w.describe());
    bp = bias->data();
  }
  cpu::linear(x.ptr<float>(), us(x.dim(0)), us(x.dim(1)), us(x.stride(0)), w.data(), wt, us(w.dim(0)), bp, bt,
              y.ptr<float>(), us(y.stride(0)));
}

void CpuBackend::rms_norm(const Tensor& x, const Tensor& weight, const Tensor& y, const NormParams& p) {
  const char* op = "rms_norm";
  const cpu::GroupedRows g = grouping(op, x, y, p.group_size);
  const cpu::WType wt = wtype_of(op, "weight", weight);
  check_weight_contiguous(op, "weight", weight);
  cpu::rms_norm_groups(x.ptr<float>(), y.ptr<float>(), g, weight.data(), wt, weight_per_group(op, weight, g), p.eps,
                       p.zero_centered);
}

void CpuBackend::rms_norm_gated(const Tensor& x, const Tensor& z, const Tensor& weight, const Tensor& y,
                                const NormParams& p, bool norm_before_gate) {
  const char* op = "rms_norm_gated";
  const cpu::GroupedRows g = grouping(op, x, y, p.group_size);
  check_f32(op, "z", z, 0);
  same_shape(op, x, z);
  if (z.rank() == 3 && z.stride(1) != z.dim(2)) fail(op, "z groups must be contiguous: " + z.describe());
  const cpu::WType wt = wtype_of(op, "weight", weight);
  check_weight_contiguous(op, "weight", weight);
  if (p.zero_centered) fail(op, "zero_centered is not supported for the gated norm");
  cpu::rms_norm_gated(x.ptr<float>(), z.ptr<float>(), us(z.stride(0)), y.ptr<float>(), g, weight.data(), wt,
                      weight_per_group(op, weight, g), p.eps, norm_before_gate);
}

void CpuBackend::layer_norm(const Tensor& x, const Tensor& weight, const Tensor* bias, const Tensor& y,
                            const NormParams& p) {
  const char* op = "layer_norm";
  const cpu::GroupedRows g = grouping(op, x, y, p.group_size);
  const cpu::WType wt = wtype_of(op, "weight", weight);
  check_weight_contiguous(op, "weight", weight);
  if (us(weight.numel()) != g.S) fail(op, "weight " + weight.describe() + " must have S entries");
  cpu::WType bt = cpu::WType::f32;
  const void* bp = nullptr;
  if (bias) {
    bt = wtype_of(op, "bias", *bias);
    check_weight_contiguous(op, "bias", *bias);
    if (us(bias->numel()) != g.S) fail(op, "bias " + bias->describe() + " must have S entries");
    bp = bias->data();
  }
  if (p.zero_centered) fail(op, "zero_centered is not supported for layer_norm");
  cpu::layer_norm_groups(x.ptr<float>(), y.ptr<float>(), g, weight.data(), wt, bp, bt, p.eps);
}

void CpuBackend::rope(const Tensor& x, const Tensor& cos, const Tensor& sin, bool interleaved) {
  const std::int64_t rot = rope_rotary_dim("rope", x, cos, sin, Device::cpu);
  cpu::rope_apply(x.ptr<float>(), us(x.dim(0)), us(x.dim(1)), us(x.dim(2)), us(x.stride(0)), us(x.stride(1)),
                  cos.ptr<float>(), sin.ptr<float>(), us(rot), interleaved);
}

void CpuBackend::attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out,
                           const AttentionParams& p) {
  const AttentionShape a = attention_shape("attention", q, k, v, out, p.sliding_window, Device::cpu);
  const cpu::AttentionShape s{us(a.T),         us(a.Hq),        us(a.Hkv),       us(a.D),
                              us(a.Dv),        us(q.stride(0)), us(q.stride(1)), us(k.stride(0)),
                              us(k.stride(1)), us(v.stride(0)), us(v.stride(1)), us(a.out_token_stride),
                              us(a.out_head_stride)};
  cpu::attention_prefill(q.ptr<float>(), k.ptr<float>(), v.ptr<float>(), out.ptr<float>(), s, p.scale,
                         p.sliding_window, p.softcap);
}

void CpuBackend::activation(Activation a, const Tensor& x, const Tensor& y) {
  const char* op = "activation";
  check_f32(op, "x", x, 2);
  check_f32(op, "y", y, 2);
  same_shape(op, x, y);
  cpu::activation(a, x.ptr<float>(), us(x.stride(0)), y.ptr<float>(), us(y.stride(0)), us(x.dim(0)),
                  us(x.dim(1)));
}

void CpuBackend::gated_activation(Activation a, const Tensor& gate, const Tensor& up, const Tensor& y) {
  const char* op = "gated_activation";
  check_f32(op, "gate", gate, 2);
  check_f32(op, "up", up, 2);
  check_f32(op, "y", y, 2);
  same_shape(op, gate, up);
  same_shape(op, gate, y);
  cpu::gated_activation(a, gate.ptr<float>(), us(gate.stride(0)), up.ptr<float>(), us(up.stride(0)),
                        y.ptr<float>(), us(y.stride(0)), us(y.dim(0)), us(y.dim(1)));
}

void CpuBackend::embedding(const Tensor& table, std::span<const std::int32_t> ids, const Tensor& out,
                           float multiplier) {
  const char* op = "embedding";
  const cpu::WType wt = wtype_of(op, "table", table);
  check_weight_contiguous(op, "table", table);
  check_f32(op, "out", out, 2);
  if (table.rank() != 2 || out.dim(1) != table.dim(1) || us(out.dim(0)) != ids.size())
    fail(op, "expected table [V, H], out [T, H] with T = ids.size(); got " + table.describe() + ", " +
                 out.describe());
  const std::int64_t V = table.dim(0);
  for (std::size_t t = 0; t < ids.size(); ++t)
    if (ids[t] < 0 || ids[t] >= V)
      fail(op, "token id " + std::to_string(ids[t]) + " at position " + std::to_string(t) + " outside [0, " +
                   std::to_string(V) + ")");
  cpu::embedding_gather(table.data(), wt, us(V), us(table.dim(1)), ids.data(), ids.size(), multiplier,
                        out.ptr<float>(), us(out.stride(0)));
}

void CpuBackend::residual_add(const Tensor& h, const Tensor& r, float s) {
  const char* op = "residual_add";
  check_f32(op, "h", h, 2);
  check_f32(op, "r", r, 2);
  same_shape(op, h, r);
  cpu::residual_add(h.ptr<float>(), us(h.stride(0)), r.ptr<float>(), us(r.stride(0)), us(h.dim(0)), us(h.dim(1)), s);
}

void CpuBackend::scale(const Tensor& x, float s) {
  const char* op = "scale";
  check_f32(op, "x", x, 2);
  cpu::scale_rows(x.ptr<float>(), us(x.stride(0)), us(x.dim(0)), us(x.dim(1)), s);
}

void CpuBackend::l2_norm_rows(const Tensor& x, const Tensor& out) {
  const char* op = "l2_norm_rows";
  check_f32(op, "x", x, 2);
  check_f32(op, "out", out, 1);
  if (out.dim(0) != x.dim(0)) fail(op, "out " + out.describe() + " must be [T] for x " + x.describe());
  cpu::l2_norm_rows(x.ptr<float>(), us(x.dim(0)), us(x.dim(1)), us(x.stride(0)), out.ptr<float>());
}

TokenStats CpuBackend::lm_head_stats(const Tensor& hidden, const Tensor& w_lm, const Tensor* bias,
                                     std::span<const std::int32_t> targets, std::size_t k, const LogitParams& p,
                                     const Tensor* full_logits) {
  const char* op = "lm_head_stats";
  check_f32(op, "hidden", hidden, 2);
  const cpu::WType wt = wtype_of(op, "w_lm", w_lm);
  check_weight_contiguous(op, "w_lm", w_lm);
  if (w_lm.rank() != 2 || w_lm.dim(1) != hidden.dim(1))
    fail(op, "expected hidden [T, H], w_lm [V, H]; got " + hidden.describe() + ", " + w_lm.describe());
  const std::size_t T = us(hidden.dim(0)), V = us(w_lm.dim(0));
  if (targets.size() != T) fail(op, "targets has " + std::to_string(targets.size()) + " entries, T = " + std::to_string(T));
  if (k > cpu::kMaxTopK) fail(op, "k must be <= 20");
  for (std::size_t t = 0; t < T; ++t)
    if (targets[t] < -1 || (targets[t] >= 0 && us(targets[t]) >= V))
      fail(op, "target " + std::to_string(targets[t]) + " at position " + std::to_string(t) + " outside [0, " +
                   std::to_string(V) + ")");
  cpu::WType bt = cpu::WType::f32;
  const void* bp = nullptr;
  if (bias) {
    bt = wtype_of(op, "bias", *bias);
    check_weight_contiguous(op, "bias", *bias);
    if (us(bias->numel()) != V) fail(op, "bias " + bias->describe() + " must have V entries");
    bp = bias->data();
  }
  cpu::LogitsSink sink;
  if (full_logits) {
    check_f32(op, "full_logits", *full_logits, 2);
    if (us(full_logits->dim(0)) != T || us(full_logits->dim(1)) != V)
      fail(op, "full_logits must be [T, V]: " + full_logits->describe());
    float* dst = full_logits->ptr<float>();
    const std::size_t ld = us(full_logits->stride(0));
    sink = [dst, ld, T](std::size_t v0, std::size_t nv, const float* tile, std::size_t tld) {
      for (std::size_t t = 0; t < T; ++t) std::memcpy(dst + t * ld + v0, tile + t * tld, nv * sizeof(float));
    };
  }
  TokenStats st;
  st.T = T;
  st.k = k;
  st.nll.resize(T);
  st.prob.resize(T);
  st.rank.resize(T);
  st.entropy.resize(T);
  st.lse.resize(T);
  st.target_logit.resize(T);
  st.topk_ids.resize(T * k);
  st.topk_probs.resize(T * k);
  cpu::TokenStatsOut out{st.nll.data(),     st.prob.data(),         st.rank.data(),     st.entropy.data(),
                         st.lse.data(),     st.target_logit.data(), st.topk_ids.data(), st.topk_probs.data()};
  const cpu::LogitTransform tf{p.multiplier, p.divisor, p.softcap};
  cpu::lm_head_stats(hidden.ptr<float>(), T, us(hidden.dim(1)), us(hidden.stride(0)), w_lm.data(), wt, V, bp, bt,
                     targets.data(), k, tf, out, sink);
  return st;
}

}  // namespace hl::engine
