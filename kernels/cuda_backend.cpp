// CudaBackend: host-side validation (the CPU backend's checks and messages) and dispatch to kernels/ops.h.
#include "kernels/cuda_backend.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "core/engine/tensor_checks.h"
#include "kernels/device_context.h"
#include "kernels/ops.h"

namespace hl::engine {

namespace {

[[noreturn]] void fail(const char* op, const std::string& what) { fail_op(op, what); }

std::string gib(std::uint64_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

void check_f32(const char* op, const char* name, const Tensor& t, int rank) {
  check_f32_on(op, name, t, rank, Device::cuda);
}
void same_shape(const char* op, const Tensor& a, const Tensor& b) { check_same_shape(op, a, b); }

cuda::WType wtype_of(const char* op, const char* name, const Tensor& t) {
  return weight_type<cuda::WType>(op, name, t, Device::cuda);
}

// A contiguous float parameter on the device; n >= 0 checks its element count.
cuda::Param param(const char* op, const char* name, const Tensor& t, std::int64_t n = -1) {
  const cuda::WType wt = wtype_of(op, name, t);
  if (!t.is_contiguous()) fail(op, std::string(name) + " must be contiguous: " + t.describe());
  if (n >= 0 && t.numel() != n)
    fail(op, std::string(name) + " must have " + std::to_string(n) + " entries: " + t.describe());
  return {t.data(), wt};
}
cuda::Param optional_param(const char* op, const char* name, const Tensor* t, std::int64_t n) {
  return t ? param(op, name, *t, n) : cuda::Param{};
}

// The grouping of a norm input (rank 2 [T, C] with group_size, or rank 3 [T, G, S]) into NormArgs.
void grouping(const char* op, const Tensor& x, const Tensor& y, std::int64_t group_size, cuda::NormArgs& a) {
  check_f32(op, "x", x, 0);
  check_f32(op, "y", y, 0);
  same_shape(op, x, y);
  if (x.rank() == 2) {
    const std::int64_t C = x.dim(1), S = group_size > 0 ? group_size : C;
    if (S == 0 || C % S != 0) fail(op, "group_size " + std::to_string(S) + " does not divide " + x.describe());
    a.T = x.dim(0), a.G = C / S, a.S = S;
    a.x_ts = x.stride(0), a.x_gs = S, a.y_ts = y.stride(0), a.y_gs = S;
  } else if (x.rank() == 3) {
    a.T = x.dim(0), a.G = x.dim(1), a.S = x.dim(2);
    a.x_ts = x.stride(0), a.x_gs = x.stride(1), a.y_ts = y.stride(0), a.y_gs = y.stride(1);
  } else {
    fail(op, "x must be [T, C] or [T, G, S]: " + x.describe());
  }
  a.x = x.ptr<float>();
  a.y = y.ptr<float>();
}

void norm_weight(const char* op, const Tensor& w, cuda::NormArgs& a) {
  a.weight = param(op, "weight", w);
  const std::int64_t n = w.numel();
  if (n == a.S) {
    a.weight_per_group = true;
  } else if (n == a.G * a.S) {
    a.weight_per_group = false;
  } else {
    fail(op, "weight " + w.describe() + " has neither S=" + std::to_string(a.S) + " nor G*S=" +
                 std::to_string(a.G * a.S) + " entries");
  }
}

std::int64_t act_rows(const char* op, const char* name, const Tensor& t, std::int64_t T, std::int64_t width) {
  return activation_row_stride(op, name, t, T, width, Device::cuda);
}
float* packed_out(const char* op, const Tensor& y, std::int64_t T, std::int64_t width) {
  return packed_output(op, "y", y, T, width, Device::cuda);
}
float* norms_out(const char* op, const Tensor* t, std::int64_t T, std::int64_t heads) {
  return state_norms_output(op, t, T, heads, Device::cuda);
}

}  // namespace

// ---- construction, memory ----

CudaBackend::CudaBackend(int device) : ctx_(std::make_shared<cuda::DeviceContext>(device)) {}

CudaBackend::~CudaBackend() = default;

Tensor CudaBackend::device_tensor(DType dtype, Shape shape, bool zero) {
  const std::size_t bytes = static_cast<std::size_t>(shape.numel()) * dtype_size(dtype);
  void* p = ctx_->allocate(bytes, zero);
  // The owner keeps the context alive, so a tensor may outlive the backend object (freed on its stream).
  std::shared_ptr<cuda::DeviceContext> ctx = ctx_;
  std::shared_ptr<void> owner(p, [ctx, bytes](void* q) { ctx->release(q, bytes); });
  return Tensor::adopt(p, dtype, shape, Device::cuda, std::move(owner));
}

template <class T>
Tensor CudaBackend::to_device(std::span<const T> host, DType dtype) {
  Tensor t = device_tensor(dtype, {static_cast<std::int64_t>(host.size())}, false);
  ctx_->copy_to_device(t.data(), host.data(), host.size_bytes());
  return t;
}

Tensor CudaBackend::alloc(DType dtype, Shape shape) { return device_tensor(dtype, shape, true); }

Tensor CudaBackend::upload(const Tensor& host) {
  if (!host.defined()) fail("upload", "host tensor is undefined");
  if (host.device() != Device::cpu) fail("upload", "source must be a cpu tensor: " + host.describe());
  if (!host.is_contiguous()) fail("upload", "source must be contiguous: " + host.describe());
  Tensor t = device_tensor(host.dtype(), host.shape(), false);
  ctx_->copy_to_device(t.data(), host.data(), host.nbytes());
  return t;
}

void CudaBackend::download(const Tensor& src, void* host_dst) {
  if (!src.defined() || src.device() != Device::cuda) fail("download", "src is not a cuda tensor: " + src.describe());
  if (!src.is_contiguous()) fail("download", "src must be contiguous: " + src.describe());
  ctx_->copy_to_host(host_dst, src.data(), src.nbytes());
}

void CudaBackend::synchronize() { ctx_->synchronize(); }

std::string CudaBackend::device_description() const { return ctx_->device_name(); }

std::uint64_t CudaBackend::free_memory() const {
  std::size_t f = 0, t = 0;
  ctx_->memory_info(f, t);
  return f;
}

std::uint64_t CudaBackend::total_memory() const {
  std::size_t f = 0, t = 0;
  ctx_->memory_info(f, t);
  return t;
}

void CudaBackend::ensure_fits(std::uint64_t needed, const std::string& what) const {
  const std::uint64_t free_b = free_memory();
  if (needed <= free_b) return;
  throw std::runtime_error("--device cuda: " + what + " needs about " + gib(needed) + " of GPU memory but " +
                           ctx_->device_name() + " has " + gib(free_b) +
                           " free; use --device cpu (or score fewer tokens)");
}

std::uint64_t CudaBackend::memory_in_use() const { return ctx_->bytes_in_use(); }
std::uint64_t CudaBackend::peak_memory() const { return ctx_->peak_bytes(); }
void CudaBackend::reset_peak_memory() { ctx_->reset_peak(); }

double CudaBackend::time_ms(const std::function<void()>& work) { return ctx_->time_ms(work); }

// ---- primitives ----

void CudaBackend::linear(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y) {
  const char* op = "linear";
  check_f32(op, "x", x, 2);
  check_f32(op, "y", y, 2);
  const cuda::Param wp = param(op, "w", w);
  if (w.rank() != 2 || w.dim(1) != x.dim(1) || y.dim(0) != x.dim(0) || y.dim(1) != w.dim(0))
    fail(op, "expected x [T, in], w [out, in], y [T, out]; got " + x.describe() + ", " + w.describe() + ", " +
                 y.describe());
  const cuda::Param bp = optional_param(op, "bias", bias, w.dim(0));
  const std::int64_t T = x.dim(0), in = x.dim(1);
  Tensor scratch;
  if (const std::size_t bytes = cuda::linear_scratch_bytes(wp.t, T, in))
    scratch = device_tensor(DType::bf16, {static_cast<std::int64_t>(bytes / 2)}, false);
  cuda::linear(ctx_->blas(), ctx_->stream(), x.ptr<float>(), x.stride(0), T, in, wp, w.dim(0), bp, y.ptr<float>(),
               y.stride(0), scratch.data());
}

void CudaBackend::rms_norm(const Tensor& x, const Tensor& weight, const Tensor& y, const NormParams& p) {
  const char* op = "rms_norm";
  cuda::NormArgs a;
  grouping(op, x, y, p.group_size, a);
  norm_weight(op, weight, a);
  a.mode = cuda::NormMode::rms;
  a.eps = p.eps;
  a.zero_centered = p.zero_centered;
  cuda::norm_rows(a, ctx_->stream());
}

void CudaBackend::rms_norm_gated(const Tensor& x, const Tensor& z, const Tensor& weight, const Tensor& y,
                                 const NormParams& p, bool norm_before_gate) {
  const char* op = "rms_norm_gated";
  cuda::NormArgs a;
  grouping(op, x, y, p.group_size, a);
  check_f32(op, "z", z, 0);
  same_shape(op, x, z);
  if (z.rank() == 3 && z.stride(1) != z.dim(2)) fail(op, "z groups must be contiguous: " + z.describe());
  norm_weight(op, weight, a);
  if (p.zero_centered) fail(op, "zero_centered is not supported for the gated norm");
  a.mode = norm_before_gate ? cuda::NormMode::rms_gate_last : cuda::NormMode::rms_gate_first;
  a.z = z.ptr<float>();
  a.z_ts = z.stride(0);
  a.eps = p.eps;
  cuda::norm_rows(a, ctx_->stream());
}

void CudaBackend::layer_norm(const Tensor& x, const Tensor& weight, const Tensor* bias, const Tensor& y,
                             const NormParams& p) {
  const char* op = "layer_norm";
  cuda::NormArgs a;
  grouping(op, x, y, p.group_size, a);
  if (weight.numel() != a.S) fail(op, "weight " + weight.describe() + " must have S entries");
  a.weight = param(op, "weight", weight, a.S);
  a.weight_per_group = true;
  if (bias && bias->numel() != a.S) fail(op, "bias " + bias->describe() + " must have S entries");
  a.bias = optional_param(op, "bias", bias, a.S);
  if (p.zero_centered) fail(op, "zero_centered is not supported for layer_norm");
  a.mode = cuda::NormMode::layer;
  a.eps = p.eps;
  cuda::norm_rows(a, ctx_->stream());
}

void CudaBackend::rope(const Tensor& x, const Tensor& cos, const Tensor& sin, bool interleaved) {
  const std::int64_t rot = rope_rotary_dim("rope", x, cos, sin, Device::cuda);
  cuda::rope(x.ptr<float>(), x.dim(0), x.dim(1), x.stride(0), x.stride(1), cos.ptr<float>(), sin.ptr<float>(), rot,
             interleaved, ctx_->stream());
}

void CudaBackend::attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out,
                            const AttentionParams& p) {
  const char* op = "attention";
  const AttentionShape shape = attention_shape(op, q, k, v, out, p.sliding_window, Device::cuda);
  cuda::AttentionArgs a;
  a.T = shape.T, a.Hq = shape.Hq, a.D = shape.D, a.Hkv = shape.Hkv, a.Dv = shape.Dv;
  a.o_ts = shape.out_token_stride, a.o_hs = shape.out_head_stride;
  if (a.Dv > cuda::kAttentionMaxDv) fail(op, "value head size " + std::to_string(a.Dv) + " > 256 is not supported");
  a.q = q.ptr<float>(), a.k = k.ptr<float>(), a.v = v.ptr<float>(), a.out = out.ptr<float>();
  a.q_ts = q.stride(0), a.q_hs = q.stride(1), a.k_ts = k.stride(0), a.k_hs = k.stride(1);
  a.v_ts = v.stride(0), a.v_hs = v.stride(1);
  a.scale = p.scale, a.window = p.sliding_window, a.softcap = p.softcap;
  cuda::attention(a, ctx_->stream());
}

void CudaBackend::activation(Activation act, const Tensor& x, const Tensor& y) {
  const char* op = "activation";
  check_f32(op, "x", x, 2);
  check_f32(op, "y", y, 2);
  same_shape(op, x, y);
  cuda::activation(act, x.ptr<float>(), x.stride(0), y.ptr<float>(), y.stride(0), x.dim(0), x.dim(1),
                   ctx_->stream());
}

void CudaBackend::gated_activation(Activation act, const Tensor& gate, const Tensor& up, const Tensor& y) {
  const char* op = "gated_activation";
  check_f32(op, "gate", gate, 2);
  check_f32(op, "up", up, 2);
  check_f32(op, "y", y, 2);
  same_shape(op, gate, up);
  same_shape(op, gate, y);
  cuda::gated_activation(act, gate.ptr<float>(), gate.stride(0), up.ptr<float>(), up.stride(0),
                         y.ptr<float>(), y.stride(0), y.dim(0), y.dim(1), ctx_->stream());
}

void CudaBackend::embedding(const Tensor& table, std::span<const std::int32_t> ids, const Tensor& out,
                            float multiplier) {
  const char* op = "embedding";
  const cuda::Param tp = param(op, "table", table);
  check_f32(op, "out", out, 2);
  if (table.rank() != 2 || out.dim(1) != table.dim(1) || static_cast<std::size_t>(out.dim(0)) != ids.size())
    fail(op, "expected table [V, H], out [T, H] with T = ids.size(); got " + table.describe() + ", " +
                 out.describe());
  const std::int64_t V = table.dim(0);
  for (std::size_t t = 0; t < ids.size(); ++t)
    if (ids[t] < 0 || ids[t] >= V)
      fail(op, "token id " + std::to_string(ids[t]) + " at position " + std::to_string(t) + " outside [0, " +
                   std::to_string(V) + ")");
  if (ids.empty()) return;
  const Tensor dev_ids = to_device(ids, DType::i32);
  cuda::embedding(tp, table.dim(1), dev_ids.ptr<std::int32_t>(), out.dim(0), multiplier, out.ptr<float>(),
                  out.stride(0), ctx_->stream());
}

void CudaBackend::residual_add(const Tensor& h, const Tensor& r, float s) {
  const char* op = "residual_add";
  check_f32(op, "h", h, 2);
  check_f32(op, "r", r, 2);
  same_shape(op, h, r);
  cuda::residual_add(h.ptr<float>(), h.stride(0), r.ptr<float>(), r.stride(0), h.dim(0), h.dim(1), s, ctx_->stream());
}

void CudaBackend::scale(const Tensor& x, float s) {
  const char* op = "scale";
  check_f32(op, "x", x, 2);
  cuda::scale_rows(x.ptr<float>(), x.stride(0), x.dim(0), x.dim(1), s, ctx_->stream());
}

void CudaBackend::l2_norm_rows(const Tensor& x, const Tensor& out) {
  const char* op = "l2_norm_rows";
  check_f32(op, "x", x, 2);
  check_f32(op, "out", out, 1);
  if (out.dim(0) != x.dim(0)) fail(op, "out " + out.describe() + " must be [T] for x " + x.describe());
  if (!out.is_contiguous()) fail(op, "out must be contiguous: " + out.describe());
  cuda::l2_norm_rows(x.ptr<float>(), x.stride(0), x.dim(0), x.dim(1), out.ptr<float>(), ctx_->stream());
}

// LM head: the GEMM runs over blocks of token rows (each block's [rows, V] fp32 logits <= 256 MiB, or straight into
// full_logits), and token_stats_rows reduces each block on the GPU; only the per-token results are downloaded.
TokenStats CudaBackend::lm_head_stats(const Tensor& hidden, const Tensor& w_lm, const Tensor* bias,
                                      std::span<const std::int32_t> targets, std::size_t k, const LogitParams& p,
                                      const Tensor* full_logits) {
  const char* op = "lm_head_stats";
  check_f32(op, "hidden", hidden, 2);
  const cuda::Param wp = param(op, "w_lm", w_lm);
  if (w_lm.rank() != 2 || w_lm.dim(1) != hidden.dim(1))
    fail(op, "expected hidden [T, H], w_lm [V, H]; got " + hidden.describe() + ", " + w_lm.describe());
  const std::int64_t T = hidden.dim(0), H = hidden.dim(1), V = w_lm.dim(0);
  if (targets.size() != static_cast<std::size_t>(T))
    fail(op, "targets has " + std::to_string(targets.size()) + " entries, T = " + std::to_string(T));
  if (k > static_cast<std::size_t>(cuda::kMaxTopK)) fail(op, "k must be <= 20");
  for (std::size_t t = 0; t < targets.size(); ++t)
    if (targets[t] < -1 || (targets[t] >= 0 && targets[t] >= V))
      fail(op, "target " + std::to_string(targets[t]) + " at position " + std::to_string(t) + " outside [0, " +
                   std::to_string(V) + ")");
  if (bias && bias->numel() != V) fail(op, "bias " + bias->describe() + " must have V entries");
  const cuda::Param bp = optional_param(op, "bias", bias, V);
  float* full = nullptr;
  std::int64_t full_ld = 0;
  if (full_logits) {
    check_f32(op, "full_logits", *full_logits, 2);
    if (full_logits->dim(0) != T || full_logits->dim(1) != V)
      fail(op, "full_logits must be [T, V]: " + full_logits->describe());
    full = full_logits->ptr<float>();
    full_ld = full_logits->stride(0);
  }

  TokenStats st;
  st.T = static_cast<std::size_t>(T);
  st.k = k;
  if (T == 0) return st;
  const cudaStream_t s = ctx_->stream();
  const std::int64_t kk = static_cast<std::int64_t>(k);
  const Tensor dev_targets = to_device(targets, DType::i32);
  const Tensor raw_target = device_tensor(DType::f32, {T}, true);
  Tensor f_out = device_tensor(DType::f32, {5, T}, false);  // nll, prob, entropy, lse, target_logit
  Tensor rank = device_tensor(DType::i32, {T}, false);
  Tensor top_ids = device_tensor(DType::i32, {std::max<std::int64_t>(T * kk, 1)}, false);
  Tensor top_probs = device_tensor(DType::f32, {std::max<std::int64_t>(T * kk, 1)}, false);
  cuda::target_logits(hidden.ptr<float>(), hidden.stride(0), T, H, wp, bp, dev_targets.ptr<std::int32_t>(),
                      raw_target.ptr<float>(), s);

  const std::int64_t rows_per_block =
      full ? T
           : std::clamp<std::int64_t>(static_cast<std::int64_t>(lm_block_bytes_) / std::max<std::int64_t>(V * 4, 1),
                                      1, T);
  Tensor block;
  if (!full) block = device_tensor(DType::f32, {rows_per_block, V}, false);
  Tensor scratch;
  if (const std::size_t bytes = cuda::linear_scratch_bytes(wp.t, rows_per_block, H))
    scratch = device_tensor(DType::bf16, {static_cast<std::int64_t>(bytes / 2)}, false);
  float* fo = f_out.ptr<float>();
  for (std::int64_t t0 = 0; t0 < T; t0 += rows_per_block) {
    const std::int64_t rows = std::min(rows_per_block, T - t0);
    float* logits = full ? full + t0 * full_ld : block.ptr<float>();
    const std::int64_t ld = full ? full_ld : V;
    cuda::linear(ctx_->blas(), s, hidden.ptr<float>() + t0 * hidden.stride(0), hidden.stride(0), rows, H, wp, V, {},
                 logits, ld, scratch.data());
    cuda::StatsRows r;
    r.logits = logits, r.ld = ld, r.rows = rows, r.V = V, r.bias = bp;
    r.targets = dev_targets.ptr<std::int32_t>() + t0;
    r.raw_target = raw_target.ptr<float>() + t0;
    r.tf = {p.multiplier, p.divisor, p.softcap};
    r.k = static_cast<int>(k);
    r.nll = fo + t0, r.prob = fo + T + t0, r.entropy = fo + 2 * T + t0, r.lse = fo + 3 * T + t0;
    r.target_logit = fo + 4 * T + t0;
    r.rank = rank.ptr<std::int32_t>() + t0;
    r.topk_ids = top_ids.ptr<std::int32_t>() + t0 * kk;
    r.topk_probs = top_probs.ptr<float>() + t0 * kk;
    cuda::token_stats_rows(r, s);
  }

  std::vector<float> f(static_cast<std::size_t>(5 * T));
  download(f_out, f.data());
  const auto col = [&](int i) { return std::vector<float>(f.begin() + i * T, f.begin() + (i + 1) * T); };
  st.nll = col(0), st.prob = col(1), st.entropy = col(2), st.lse = col(3), st.target_logit = col(4);
  st.rank.resize(static_cast<std::size_t>(T));
  download(rank, st.rank.data());
  st.topk_ids.resize(static_cast<std::size_t>(T * kk));
  st.topk_probs.resize(static_cast<std::size_t>(T * kk));
  if (kk > 0) {
    ctx_->copy_to_host(st.topk_ids.data(), top_ids.data(), st.topk_ids.size() * sizeof(std::int32_t));
    ctx_->copy_to_host(st.topk_probs.data(), top_probs.data(), st.topk_probs.size() * sizeof(float));
  }
  return st;
}

// ---- recurrent mixers ----

void CudaBackend::causal_conv1d(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y, bool silu) {
  const char* op = "causal_conv1d";
  const ConvShape s = causal_conv_shape(op, x, w, y, Device::cuda);
  cuda::causal_conv1d(x.ptr<float>(), s.x_stride, param(op, "w", w, s.C * s.K), optional_param(op, "bias", bias, s.C),
                      y.ptr<float>(), s.y_stride, s.T, s.C, s.K, silu, ctx_->stream());
}

void CudaBackend::short_conv(const Tensor& bcx, const Tensor& w, const Tensor* bias, const Tensor& y) {
  const char* op = "short_conv";
  const ConvShape s = short_conv_shape(op, bcx, w, y, Device::cuda);
  cuda::short_conv(bcx.ptr<float>(), s.x_stride, param(op, "w", w, s.C * s.K), optional_param(op, "bias", bias, s.C),
                   y.ptr<float>(), s.T, s.C, s.K, ctx_->stream());
}

Tensor CudaBackend::norm_partials(const float* state_norms, std::int64_t token_heads, std::int64_t state_rows,
                                  float*& partials) {
  if (state_norms == nullptr) return {};
  Tensor t = device_tensor(DType::f32, {token_heads, cuda::scan_norm_parts(state_rows)}, false);
  partials = t.ptr<float>();
  return t;
}

void CudaBackend::mamba1_scan(const Mamba1ScanArgs& a) {
  const char* op = "mamba1_scan";
  if (a.A_log.rank() != 2) fail(op, "A_log must be [D, N]: " + a.A_log.describe());
  cuda::Mamba1ScanArgs c;
  c.T = a.u.dim(0), c.D = a.A_log.dim(0), c.N = a.A_log.dim(1);
  c.u_ts = act_rows(op, "u", a.u, c.T, c.D);
  c.delta_ts = act_rows(op, "delta", a.delta, c.T, c.D);
  c.bc_ts = shared_row_stride(op, {{"B", a.B}, {"C", a.C}}, c.T, c.N, Device::cuda);
  c.A_log = param(op, "A_log", a.A_log, c.D * c.N);
  c.delta_bias = optional_param(op, "delta_bias", a.delta_bias, c.D);
  c.Dskip = optional_param(op, "Dskip", a.Dskip, c.D);
  c.u = a.u.ptr<float>(), c.delta = a.delta.ptr<float>(), c.B = a.B.ptr<float>(), c.C = a.C.ptr<float>();
  if (a.z) {
    c.z_ts = act_rows(op, "z", *a.z, c.T, c.D);
    c.z = a.z->ptr<float>();
  }
  c.y = packed_out(op, a.y, c.T, c.D);
  c.state_norms = norms_out(op, a.state_norms, c.T, 1);
  const Tensor partials = norm_partials(c.state_norms, c.T, c.D, c.norm_partials);
  cuda::mamba1_scan(c, ctx_->stream());
}

void CudaBackend::mamba2_scan(const Mamba2ScanArgs& a) {
  const char* op = "mamba2_scan";
  cuda::Mamba2ScanArgs c;
  c.T = a.x.dim(0), c.H = a.heads, c.P = a.head_dim, c.G = a.groups, c.N = a.state;
  if (c.G <= 0 || c.H % c.G != 0) fail(op, "heads must be a multiple of groups");
  c.x_ts = act_rows(op, "x", a.x, c.T, c.H * c.P);
  c.dt_ts = act_rows(op, "dt", a.dt, c.T, c.H);
  c.bc_ts = shared_row_stride(op, {{"B", a.B}, {"C", a.C}}, c.T, c.G * c.N, Device::cuda);
  c.A_log = param(op, "A_log", a.A_log, c.H);
  c.D = optional_param(op, "D", a.D, c.H);
  c.dt_bias = optional_param(op, "dt_bias", a.dt_bias, c.H);
  c.x = a.x.ptr<float>(), c.dt = a.dt.ptr<float>(), c.B = a.B.ptr<float>(), c.C = a.C.ptr<float>();
  c.dt_min = a.dt_min, c.dt_max = a.dt_max;
  c.y = packed_out(op, a.y, c.T, c.H * c.P);
  c.state_norms = norms_out(op, a.state_norms, c.T, c.H);
  const Tensor partials = norm_partials(c.state_norms, c.T * c.H, c.P, c.norm_partials);
  cuda::mamba2_scan(c, ctx_->stream());  // sequential form: a.chunk_size only shapes the CPU's chunked SSD
}

void CudaBackend::gated_delta_net(const GdnScanArgs& a) {
  const char* op = "gated_delta_net";
  cuda::GdnScanArgs c;
  c.T = a.q.dim(0), c.Hk = a.key_heads, c.Hv = a.value_heads, c.Dk = a.key_dim, c.Dv = a.value_dim;
  if (c.Hk <= 0 || c.Hv % c.Hk != 0) fail(op, "value heads must be a multiple of key heads");
  c.qk_ts = shared_row_stride(op, {{"q", a.q}, {"k", a.k}}, c.T, c.Hk * c.Dk, Device::cuda);
  c.v_ts = act_rows(op, "v", a.v, c.T, c.Hv * c.Dv);
  c.ab_ts = shared_row_stride(op, {{"b", a.b}, {"a", a.a}}, c.T, c.Hv, Device::cuda);
  c.A_log = param(op, "A_log", a.A_log, c.Hv);
  c.dt_bias = optional_param(op, "dt_bias", a.dt_bias, c.Hv);
  c.q = a.q.ptr<float>(), c.k = a.k.ptr<float>(), c.v = a.v.ptr<float>();
  c.b = a.b.ptr<float>(), c.a = a.a.ptr<float>();
  c.beta_scale = a.beta_scale;
  c.y = packed_out(op, a.y, c.T, c.Hv * c.Dv);
  c.state_norms = norms_out(op, a.state_norms, c.T, c.Hv);
  const Tensor partials = norm_partials(c.state_norms, c.T * c.Hv, c.Dv, c.norm_partials);
  cuda::gdn_scan(c, ctx_->stream());
}

void CudaBackend::token_shift_mix(const Tensor& x, const Tensor& mix, const Tensor& y) {
  const char* op = "token_shift_mix";
  const std::int64_t T = x.dim(0), C = mix.numel();
  const std::int64_t xs = act_rows(op, "x", x, T, C);
  float* yp = packed_out(op, y, T, C);
  if (x.data() == y.data()) fail(op, "y must not alias x");
  cuda::token_shift_mix(x.ptr<float>(), xs, param(op, "mix", mix, C), yp, T, C, ctx_->stream());
}

void CudaBackend::rwkv4_scan(const Rwkv4ScanArgs& a) {
  const char* op = "rwkv4_scan";
  cuda::Rwkv4ScanArgs c;
  c.T = a.k.dim(0), c.C = a.time_decay.numel();
  c.k_ts = act_rows(op, "k", a.k, c.T, c.C);
  c.v_ts = act_rows(op, "v", a.v, c.T, c.C);
  c.time_decay = param(op, "time_decay", a.time_decay, c.C);
  c.time_first = param(op, "time_first", a.time_first, c.C);
  c.k = a.k.ptr<float>(), c.v = a.v.ptr<float>();
  c.y = packed_out(op, a.y, c.T, c.C);
  c.state_norms = norms_out(op, a.state_norms, c.T, 1);
  Tensor ratio;
  if (c.state_norms) {
    ratio = device_tensor(DType::f32, {c.T, c.C}, false);
    c.ratio = ratio.ptr<float>();
  }
  cuda::rwkv4_wkv(c, ctx_->stream());
}

void CudaBackend::rg_lru_scan(const RgLruScanArgs& a) {
  const char* op = "rg_lru_scan";
  cuda::RgLruScanArgs c;
  c.T = a.x.dim(0), c.W = a.recurrent_param.numel();
  c.x_ts = act_rows(op, "x", a.x, c.T, c.W);
  c.gate_ts = shared_row_stride(op, {{"input_gate", a.input_gate}, {"recurrent_gate", a.recurrent_gate}}, c.T, c.W,
                                Device::cuda);
  c.recurrent_param = param(op, "recurrent_param", a.recurrent_param, c.W);
  c.x = a.x.ptr<float>(), c.input_gate = a.input_gate.ptr<float>(), c.recurrent_gate = a.recurrent_gate.ptr<float>();
  c.y = packed_out(op, a.y, c.T, c.W);
  cuda::rg_lru_scan(c, ctx_->stream());
}

void CudaBackend::lightning_attention(const LightningArgs& a) {
  const char* op = "lightning_attention";
  const LightningShape sh = lightning_shape(op, a.q, a.k, a.v, a.block_size, Device::cuda);
  cuda::LightningArgs c;
  c.T = sh.T, c.H = sh.H, c.D = sh.D, c.B = a.block_size, c.ts = sh.token_stride, c.hs = sh.head_stride;
  c.q = a.q.ptr<float>(), c.k = a.k.ptr<float>(), c.v = a.v.ptr<float>();
  c.slope = param(op, "slope", a.slope, c.H);
  c.query_decay = param(op, "query_decay", a.query_decay, c.H * c.B);
  c.key_decay = param(op, "key_decay", a.key_decay, c.H * c.B);
  c.diagonal_decay = param(op, "diagonal_decay", a.diagonal_decay, c.H * c.B * c.B);
  c.y = packed_out(op, a.y, c.T, c.H * c.D);
  c.state_norms = norms_out(op, a.state_norms, c.T, c.H);
  const Tensor kv = device_tensor(DType::f32, {c.H * c.D * c.D}, false);
  const Tensor scores = device_tensor(DType::f32, {c.H * c.B * c.B}, false);
  Tensor state;
  if (c.state_norms) state = device_tensor(DType::f32, {c.H * c.D * c.D}, false);
  c.kv_scratch = kv.ptr<float>(), c.score_scratch = scores.ptr<float>();
  c.state_scratch = c.state_norms ? state.ptr<float>() : nullptr;
  cuda::lightning_attention(c, ctx_->stream());
}

void CudaBackend::kimi_delta_attention(const KimiDeltaArgs& a) {
  const char* op = "kimi_delta_attention";
  cuda::KimiDeltaArgs c;
  c.T = a.q.dim(0), c.H = a.heads, c.D = a.head_dim;
  c.qkv_ts = shared_row_stride(op, {{"q", a.q}, {"k", a.k}, {"v", a.v}}, c.T, c.H * c.D, Device::cuda);
  c.f_ts = act_rows(op, "f", a.f, c.T, c.H * c.D);
  c.b_ts = act_rows(op, "b", a.b, c.T, c.H);
  c.A_log = param(op, "A_log", a.A_log, c.H);
  c.dt_bias = param(op, "dt_bias", a.dt_bias, c.H * c.D);
  c.gate = static_cast<int>(a.gate);
  c.lower_bound = a.lower_bound;
  c.q = a.q.ptr<float>(), c.k = a.k.ptr<float>(), c.v = a.v.ptr<float>(), c.f = a.f.ptr<float>(), c.b = a.b.ptr<float>();
  c.y = packed_out(op, a.y, c.T, c.H * c.D);
  c.state_norms = norms_out(op, a.state_norms, c.T, c.H);
  const Tensor state = device_tensor(DType::f32, {c.H * c.D * c.D}, false);
  c.state = state.ptr<float>();
  cuda::kimi_delta_attention(c, ctx_->stream());
}

void CudaBackend::mlstm(const MLstmArgs& a) {
  const char* op = "mlstm";
  cuda::MLstmArgs c;
  c.T = a.q.dim(0), c.H = a.heads;
  if (c.H <= 0 || a.q.numel() % (c.T * c.H) != 0 || a.v.numel() % (c.T * c.H) != 0)
    fail(op, "heads must divide q and v");
  c.Dk = a.q.numel() / (c.T * c.H), c.Dv = a.v.numel() / (c.T * c.H);
  c.qk_ts = shared_row_stride(op, {{"q", a.q}, {"k", a.k}}, c.T, c.H * c.Dk, Device::cuda);
  c.v_ts = act_rows(op, "v", a.v, c.T, c.H * c.Dv);
  c.gate_ts = shared_row_stride(op, {{"i", a.i}, {"f", a.f}}, c.T, c.H, Device::cuda);
  c.q = a.q.ptr<float>(), c.k = a.k.ptr<float>(), c.v = a.v.ptr<float>(), c.i = a.i.ptr<float>(), c.f = a.f.ptr<float>();
  c.eps = a.eps;
  c.y = packed_out(op, a.y, c.T, c.H * c.Dv);
  c.state_norms = norms_out(op, a.state_norms, c.T, c.H);
  const Tensor state = device_tensor(DType::f32, {c.H * (c.Dk * c.Dv + c.Dk)}, false);
  c.state = state.ptr<float>();
  cuda::mlstm(c, ctx_->stream());
}

// ---- routing ----

Backend::Routing CudaBackend::route(const Tensor& logits, const Tensor* correction_bias, const RouterParams& p) {
  const char* op = "route";
  if (logits.rank() != 2) fail(op, "logits must be [T, E]: " + logits.describe());
  cuda::RouteArgs a;
  a.T = logits.dim(0), a.E = logits.dim(1), a.k = p.top_k;
  a.ld = act_rows(op, "logits", logits, a.T, a.E);
  switch (p.scoring) {
    case RouterScoring::softmax_topk: a.rule = cuda::RouterRule::softmax_topk; break;
    case RouterScoring::topk_softmax: a.rule = cuda::RouterRule::topk_softmax; break;
    case RouterScoring::sigmoid_grouped: a.rule = cuda::RouterRule::sigmoid_grouped; break;
  }
  if (a.E == 0 || a.k <= 0 || a.k > a.E) fail(op, "route_topk: need 0 < k <= E");
  if (p.scoring == RouterScoring::sigmoid_grouped &&
      (p.n_group <= 0 || a.E % p.n_group != 0 || p.topk_group <= 0 || p.topk_group > p.n_group))
    fail(op, "route_topk: n_group must divide E and 0 < topk_group <= n_group");
  if (p.scoring == RouterScoring::sigmoid_grouped && p.n_group > 64) fail(op, "n_group > 64 is not supported");
  a.logits = logits.ptr<float>();
  a.renormalize = p.renormalize;
  a.renormalize_eps = p.renormalize_eps;
  a.routed_scaling = p.routed_scaling;
  a.n_group = p.n_group, a.topk_group = p.topk_group;
  a.correction_bias = optional_param(op, "correction_bias", correction_bias, a.E);
  Routing r;
  r.T = static_cast<std::size_t>(a.T);
  r.k = static_cast<std::size_t>(a.k);
  r.experts.resize(r.T * r.k);
  r.weights.resize(r.T * r.k);
  if (a.T == 0) return r;
  Tensor ex = device_tensor(DType::i32, {a.T, a.k}, false), w = device_tensor(DType::f32, {a.T, a.k}, false);
  a.experts = ex.ptr<std::int32_t>();
  a.weights = w.ptr<float>();
  cuda::route(a, ctx_->stream());
  download(ex, r.experts.data());
  download(w, r.weights.data());
  return r;
}

void CudaBackend::gather_rows(const Tensor& x, std::span<const std::int32_t> rows, const Tensor& out) {
  const char* op = "gather_rows";
  if (x.rank() != 2 || out.rank() != 2 || out.dim(1) != x.dim(1) ||
      out.dim(0) != static_cast<std::int64_t>(rows.size()))
    fail(op, "expected x [T, d], out [n, d]; got " + x.describe() + ", " + out.describe());
  const std::int64_t xs = act_rows(op, "x", x, x.dim(0), x.dim(1)), os = act_rows(op, "out", out, out.dim(0), out.dim(1));
  for (const std::int32_t r : rows)
    if (r < 0 || r >= x.dim(0)) fail(op, "row index out of range");
  if (rows.empty()) return;
  const Tensor dev_rows = to_device(rows, DType::i32);
  cuda::gather_rows(x.ptr<float>(), xs, x.dim(1), dev_rows.ptr<std::int32_t>(), out.dim(0), out.ptr<float>(), os,
                    ctx_->stream());
}

void CudaBackend::scatter_add_rows(const Tensor& src, std::span<const std::int32_t> rows,
                                   std::span<const float> weights, const Tensor& dst) {
  const char* op = "scatter_add_rows";
  if (src.rank() != 2 || dst.rank() != 2 || src.dim(1) != dst.dim(1) ||
      src.dim(0) != static_cast<std::int64_t>(rows.size()) || weights.size() != rows.size())
    fail(op, "expected src [n, d], dst [T, d], n rows and weights; got " + src.describe() + ", " + dst.describe());
  const std::int64_t ss = act_rows(op, "src", src, src.dim(0), src.dim(1)),
                     ds = act_rows(op, "dst", dst, dst.dim(0), dst.dim(1));
  for (const std::int32_t r : rows)
    if (r < 0 || r >= dst.dim(0)) fail(op, "row index out of range");
  if (rows.empty()) return;
  const Tensor dev_rows = to_device(rows, DType::i32);
  const Tensor dev_w = to_device(weights, DType::f32);
  // One launch per run of distinct rows: a repeated row starts a new batch, so additions into the same row happen in
  // the CPU's order (and no two threads of one launch add into the same element).
  std::vector<char> seen(static_cast<std::size_t>(dst.dim(0)), 0);
  std::size_t begin = 0;
  const auto flush = [&](std::size_t end) {
    cuda::scatter_add_rows(src.ptr<float>() + static_cast<std::int64_t>(begin) * ss, ss, src.dim(1),
                           dev_rows.ptr<std::int32_t>() + begin, dev_w.ptr<float>() + begin,
                           static_cast<std::int64_t>(end - begin), dst.ptr<float>(), ds, ctx_->stream());
    for (std::size_t i = begin; i < end; ++i) seen[static_cast<std::size_t>(rows[i])] = 0;
    begin = end;
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (seen[static_cast<std::size_t>(rows[i])]) flush(i);
    seen[static_cast<std::size_t>(rows[i])] = 1;
  }
  flush(rows.size());
}

}  // namespace hl::engine
