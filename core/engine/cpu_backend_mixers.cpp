// CpuBackend: the recurrent-mixer and MoE-routing primitives (backend.h "recurrent mixers" / "routing"), over the
// kernels in core/cpu/{conv1d,short_conv,mamba1_scan,mamba2_ssd,gated_delta_net,token_shift,rwkv4_wkv,rg_lru,
// lightning_attention,kimi_delta,mlstm,moe_routing}.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/cpu/conv1d.h"
#include "core/cpu/gated_delta_net.h"
#include "core/cpu/half.h"
#include "core/cpu/mamba1_scan.h"
#include "core/cpu/mamba2_ssd.h"
#include "core/cpu/moe_routing.h"
#include "core/cpu/kimi_delta.h"
#include "core/cpu/lightning_attention.h"
#include "core/cpu/mlstm.h"
#include "core/cpu/rg_lru.h"
#include "core/cpu/rwkv4_wkv.h"
#include "core/cpu/short_conv.h"
#include "core/cpu/token_shift.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/tensor_checks.h"

namespace hl::engine {

namespace {

[[noreturn]] void fail(const char* op, const std::string& what) { fail_op(op, what); }

std::size_t us(std::int64_t v) { return static_cast<std::size_t>(v); }

std::size_t act_rows(const char* op, const char* name, const Tensor& t, std::int64_t T, std::int64_t width) {
  return us(activation_row_stride(op, name, t, T, width, Device::cpu));
}

// Any float parameter tensor as a contiguous f32 vector with n entries.
std::vector<float> param(const char* op, const char* name, const Tensor& t, std::int64_t n) {
  if (!t.defined() || t.device() != Device::cpu) fail(op, std::string(name) + " is not a cpu tensor");
  if (!t.is_contiguous()) fail(op, std::string(name) + " must be contiguous: " + t.describe());
  if (t.numel() != n) fail(op, std::string(name) + " must have " + std::to_string(n) + " entries: " + t.describe());
  cpu::WType wt = cpu::WType::f32;
  switch (t.dtype()) {
    case DType::f32: wt = cpu::WType::f32; break;
    case DType::bf16: wt = cpu::WType::bf16; break;
    case DType::f16: wt = cpu::WType::f16; break;
    case DType::i32: fail(op, std::string(name) + " must be a float tensor: " + t.describe());
  }
  std::vector<float> v(us(n));
  if (n) cpu::widen_to_f32(t.data(), wt, v.data(), us(n));
  return v;
}

std::vector<float> neg_exp(std::vector<float> a) {
  for (float& x : a) x = -std::exp(x);
  return a;
}

float* norms_out(const char* op, const Tensor* t, std::int64_t T, std::int64_t heads) {
  return state_norms_output(op, t, T, heads, Device::cpu);
}

float* packed_out(const char* op, const Tensor& y, std::int64_t T, std::int64_t width) {
  return packed_output(op, "y", y, T, width, Device::cpu);
}

}  // namespace

// ---- recurrent mixers ----

void CpuBackend::causal_conv1d(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y, bool silu) {
  const char* op = "causal_conv1d";
  const ConvShape s = causal_conv_shape(op, x, w, y, Device::cpu);
  const auto wf = param(op, "w", w, s.C * s.K);
  std::vector<float> bf;
  if (bias) bf = param(op, "bias", *bias, s.C);
  cpu::causal_conv1d(x.ptr<float>(), us(s.x_stride), wf.data(), bias ? bf.data() : nullptr, nullptr, y.ptr<float>(),
                     us(s.y_stride), us(s.T), us(s.C), us(s.K), silu);
}

void CpuBackend::short_conv(const Tensor& bcx, const Tensor& w, const Tensor* bias, const Tensor& y) {
  const char* op = "short_conv";
  const ConvShape s = short_conv_shape(op, bcx, w, y, Device::cpu);
  const auto wf = param(op, "w", w, s.C * s.K);
  std::vector<float> bf;
  if (bias) bf = param(op, "bias", *bias, s.C);
  cpu::short_conv(bcx.ptr<float>(), us(s.x_stride), wf.data(), bias ? bf.data() : nullptr, nullptr, y.ptr<float>(),
                  us(s.T), us(s.C), us(s.K));
}

void CpuBackend::mamba1_scan(const Mamba1ScanArgs& a) {
  const char* op = "mamba1_scan";
  if (a.A_log.rank() != 2) fail(op, "A_log must be [D, N]: " + a.A_log.describe());
  const std::int64_t T = a.u.dim(0), D = a.A_log.dim(0), N = a.A_log.dim(1);
  cpu::Mamba1Inputs in;
  in.u_stride = act_rows(op, "u", a.u, T, D);
  in.delta_stride = act_rows(op, "delta", a.delta, T, D);
  in.bc_stride = us(shared_row_stride(op, {{"B", a.B}, {"C", a.C}}, T, N, Device::cpu));
  const auto A = neg_exp(param(op, "A_log", a.A_log, D * N));
  std::vector<float> db, Ds;
  if (a.delta_bias) db = param(op, "delta_bias", *a.delta_bias, D);
  if (a.Dskip) Ds = param(op, "Dskip", *a.Dskip, D);
  in.u = a.u.ptr<float>();
  in.delta = a.delta.ptr<float>();
  in.delta_bias = a.delta_bias ? db.data() : nullptr;
  in.A = A.data();
  in.B = a.B.ptr<float>();
  in.C = a.C.ptr<float>();
  in.Dskip = a.Dskip ? Ds.data() : nullptr;
  if (a.z) {
    in.z_stride = act_rows(op, "z", *a.z, T, D);
    in.z = a.z->ptr<float>();
  }
  cpu::ScanOutputs out;
  out.y = packed_out(op, a.y, T, D);
  out.state_norms = norms_out(op, a.state_norms, T, 1);
  cpu::mamba1_scan({us(T), us(D), us(N)}, in, out);
}

void CpuBackend::mamba2_scan(const Mamba2ScanArgs& a) {
  const char* op = "mamba2_scan";
  const std::int64_t T = a.x.dim(0), H = a.heads, P = a.head_dim, G = a.groups, N = a.state;
  cpu::Mamba2Inputs in;
  in.x_stride = act_rows(op, "x", a.x, T, H * P);
  in.dt_stride = act_rows(op, "dt", a.dt, T, H);
  in.bc_stride = us(shared_row_stride(op, {{"B", a.B}, {"C", a.C}}, T, G * N, Device::cpu));
  const auto A = neg_exp(param(op, "A_log", a.A_log, H));
  std::vector<float> Ds, dtb;
  if (a.D) Ds = param(op, "D", *a.D, H);
  if (a.dt_bias) dtb = param(op, "dt_bias", *a.dt_bias, H);
  in.x = a.x.ptr<float>();
  in.dt = a.dt.ptr<float>();
  in.A = A.data();
  in.B = a.B.ptr<float>();
  in.C = a.C.ptr<float>();
  in.D = a.D ? Ds.data() : nullptr;
  in.dt_bias = a.dt_bias ? dtb.data() : nullptr;
  in.dt_min = a.dt_min;
  in.dt_max = a.dt_max;
  cpu::ScanOutputs out;
  out.y = packed_out(op, a.y, T, H * P);
  out.state_norms = norms_out(op, a.state_norms, T, H);
  cpu::mamba2_ssd_chunked({us(T), us(H), us(P), us(N), us(G)}, in, out,
                          us(a.chunk_size > 0 ? a.chunk_size : 256));
}

void CpuBackend::gated_delta_net(const GdnScanArgs& a) {
  const char* op = "gated_delta_net";
  const std::int64_t T = a.q.dim(0), Hk = a.key_heads, Hv = a.value_heads, Dk = a.key_dim, Dv = a.value_dim;
  cpu::GdnInputs in;
  in.qk_stride = us(shared_row_stride(op, {{"q", a.q}, {"k", a.k}}, T, Hk * Dk, Device::cpu));
  in.v_stride = act_rows(op, "v", a.v, T, Hv * Dv);
  in.ab_stride = us(shared_row_stride(op, {{"b", a.b}, {"a", a.a}}, T, Hv, Device::cpu));
  const auto A_log = param(op, "A_log", a.A_log, Hv);
  std::vector<float> dtb;
  if (a.dt_bias) dtb = param(op, "dt_bias", *a.dt_bias, Hv);
  in.q = a.q.ptr<float>();
  in.k = a.k.ptr<float>();
  in.v = a.v.ptr<float>();
  in.b = a.b.ptr<float>();
  in.a = a.a.ptr<float>();
  in.A_log = A_log.data();
  in.dt_bias = a.dt_bias ? dtb.data() : nullptr;
  in.gates_raw = true;
  in.beta_scale = a.beta_scale;
  in.l2norm_qk = true;
  cpu::ScanOutputs out;
  out.y = packed_out(op, a.y, T, Hv * Dv);
  out.state_norms = norms_out(op, a.state_norms, T, Hv);
  cpu::gated_delta_net_chunked({us(T), us(Hk), us(Hv), us(Dk), us(Dv)}, in, out,
                               us(a.chunk_size > 0 ? a.chunk_size : 64));
}

void CpuBackend::token_shift_mix(const Tensor& x, const Tensor& mix, const Tensor& y) {
  const char* op = "token_shift_mix";
  const std::int64_t T = x.dim(0), C = mix.numel();
  const std::size_t xs = act_rows(op, "x", x, T, C);
  float* yp = packed_out(op, y, T, C);
  if (x.data() == y.data()) fail(op, "y must not alias x");
  const auto m = param(op, "mix", mix, C);
  cpu::token_shift_mix(x.ptr<float>(), xs, m.data(), yp, us(T), us(C));
}

void CpuBackend::rwkv4_scan(const Rwkv4ScanArgs& a) {
  const char* op = "rwkv4_scan";
  const std::int64_t T = a.k.dim(0), C = a.time_decay.numel();
  cpu::Rwkv4Inputs in;
  in.k_stride = act_rows(op, "k", a.k, T, C);
  in.v_stride = act_rows(op, "v", a.v, T, C);
  const auto decay = param(op, "time_decay", a.time_decay, C), first = param(op, "time_first", a.time_first, C);
  in.k = a.k.ptr<float>();
  in.v = a.v.ptr<float>();
  in.time_decay = decay.data();
  in.time_first = first.data();
  cpu::rwkv4_wkv(in, packed_out(op, a.y, T, C), norms_out(op, a.state_norms, T, 1), us(T), us(C));
}

void CpuBackend::rg_lru_scan(const RgLruScanArgs& a) {
  const char* op = "rg_lru_scan";
  const std::int64_t T = a.x.dim(0), W = a.recurrent_param.numel();
  cpu::RgLruInputs in;
  in.x_stride = act_rows(op, "x", a.x, T, W);
  in.gate_stride = us(shared_row_stride(op, {{"input_gate", a.input_gate}, {"recurrent_gate", a.recurrent_gate}},
                                         T, W, Device::cpu));
  const auto rp = param(op, "recurrent_param", a.recurrent_param, W);
  in.x = a.x.ptr<float>();
  in.input_gate = a.input_gate.ptr<float>();
  in.recurrent_gate = a.recurrent_gate.ptr<float>();
  in.recurrent_param = rp.data();
  cpu::rg_lru_scan(in, packed_out(op, a.y, T, W), us(T), us(W));
}

void CpuBackend::lightning_attention(const LightningArgs& a) {
  const char* op = "lightning_attention";
  const LightningShape s = lightning_shape(op, a.q, a.k, a.v, a.block_size, Device::cpu);
  const std::int64_t B = a.block_size;
  const auto slope = param(op, "slope", a.slope, s.H);
  const auto qd = param(op, "query_decay", a.query_decay, s.H * B), kd = param(op, "key_decay", a.key_decay, s.H * B);
  const auto dd = param(op, "diagonal_decay", a.diagonal_decay, s.H * B * B);
  cpu::LightningInputs in;
  in.q = a.q.ptr<float>(), in.k = a.k.ptr<float>(), in.v = a.v.ptr<float>();
  in.token_stride = us(s.token_stride), in.head_stride = us(s.head_stride);
  in.slope = slope.data(), in.query_decay = qd.data(), in.key_decay = kd.data(), in.diagonal_decay = dd.data();
  cpu::lightning_attention({us(s.T), us(s.H), us(s.D), us(B)}, in, packed_out(op, a.y, s.T, s.H * s.D),
                           norms_out(op, a.state_norms, s.T, s.H));
}

void CpuBackend::kimi_delta_attention(const KimiDeltaArgs& a) {
  const char* op = "kimi_delta_attention";
  const std::int64_t T = a.q.dim(0), H = a.heads, D = a.head_dim;
  cpu::KimiDeltaInputs in;
  in.qkv_stride = us(shared_row_stride(op, {{"q", a.q}, {"k", a.k}, {"v", a.v}}, T, H * D, Device::cpu));
  in.f_stride = act_rows(op, "f", a.f, T, H * D);
  in.b_stride = act_rows(op, "b", a.b, T, H);
  const auto A_log = param(op, "A_log", a.A_log, H), dt_bias = param(op, "dt_bias", a.dt_bias, H * D);
  in.q = a.q.ptr<float>(), in.k = a.k.ptr<float>(), in.v = a.v.ptr<float>();
  in.f = a.f.ptr<float>(), in.b = a.b.ptr<float>();
  in.A_log = A_log.data(), in.dt_bias = dt_bias.data();
  switch (a.gate) {
    case KdaGate::kimi_softplus: in.gate = cpu::KimiDeltaGate::KimiSoftplus; break;
    case KdaGate::softplus: in.gate = cpu::KimiDeltaGate::Softplus; break;
    case KdaGate::safe_sigmoid: in.gate = cpu::KimiDeltaGate::SafeSigmoid; break;
  }
  in.lower_bound = a.lower_bound;
  cpu::kimi_delta_attention(in, packed_out(op, a.y, T, H * D), norms_out(op, a.state_norms, T, H), us(T), us(H),
                            us(D));
}

void CpuBackend::mlstm(const MLstmArgs& a) {
  const char* op = "mlstm";
  const std::int64_t T = a.q.dim(0), H = a.heads;
  if (H <= 0 || a.q.numel() % (T * H) != 0 || a.v.numel() % (T * H) != 0) fail(op, "heads must divide q and v");
  const std::int64_t Dk = a.q.numel() / (T * H), Dv = a.v.numel() / (T * H);
  cpu::MLstmInputs in;
  in.qk_stride = us(shared_row_stride(op, {{"q", a.q}, {"k", a.k}}, T, H * Dk, Device::cpu));
  in.v_stride = act_rows(op, "v", a.v, T, H * Dv);
  in.gate_stride = us(shared_row_stride(op, {{"i", a.i}, {"f", a.f}}, T, H, Device::cpu));
  in.q = a.q.ptr<float>(), in.k = a.k.ptr<float>(), in.v = a.v.ptr<float>();
  in.i = a.i.ptr<float>(), in.f = a.f.ptr<float>();
  in.eps = a.eps;
  cpu::mlstm(in, packed_out(op, a.y, T, H * Dv), norms_out(op, a.state_norms, T, H), us(T), us(H), us(Dk), us(Dv));
}

// ---- routing ----

Backend::Routing CpuBackend::route(const Tensor& logits, const Tensor* correction_bias, const RouterParams& p) {
  const char* op = "route";
  if (logits.rank() != 2) fail(op, "logits must be [T, E]: " + logits.describe());
  const std::int64_t T = logits.dim(0), E = logits.dim(1);
  const std::size_t ls = act_rows(op, "logits", logits, T, E);
  cpu::RouterConfig cfg;
  switch (p.scoring) {
    case RouterScoring::softmax_topk: cfg.rule = cpu::RouterRule::SoftmaxTopK; break;
    case RouterScoring::topk_softmax: cfg.rule = cpu::RouterRule::TopKSoftmax; break;
    case RouterScoring::sigmoid_grouped: cfg.rule = cpu::RouterRule::SigmoidGrouped; break;
  }
  cfg.E = us(E);
  cfg.k = us(p.top_k);
  cfg.renormalize = p.renormalize;
  cfg.renormalize_eps = p.renormalize_eps;
  cfg.routed_scaling = p.routed_scaling;
  cfg.n_group = us(p.n_group);
  cfg.topk_group = us(p.topk_group);
  std::vector<float> bias;
  if (correction_bias) bias = param(op, "correction_bias", *correction_bias, E);
  Routing r;
  r.T = us(T);
  r.k = us(p.top_k);
  r.experts.resize(r.T * r.k);
  r.weights.resize(r.T * r.k);
  try {
    cpu::route_topk(logits.ptr<float>(), ls, us(T), cfg, correction_bias ? bias.data() : nullptr, r.experts.data(),
                    r.weights.data());
  } catch (const std::invalid_argument& e) {
    fail(op, e.what());
  }
  return r;
}

void CpuBackend::gather_rows(const Tensor& x, std::span<const std::int32_t> rows, const Tensor& out) {
  const char* op = "gather_rows";
  if (x.rank() != 2 || out.rank() != 2 || out.dim(1) != x.dim(1) || out.dim(0) != static_cast<std::int64_t>(rows.size()))
    fail(op, "expected x [T, d], out [n, d]; got " + x.describe() + ", " + out.describe());
  const std::size_t xs = act_rows(op, "x", x, x.dim(0), x.dim(1)), os = act_rows(op, "out", out, out.dim(0), out.dim(1));
  const std::size_t d = us(x.dim(1));
  const float* xp = x.ptr<float>();
  float* op_ = out.ptr<float>();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < 0 || rows[i] >= x.dim(0)) fail(op, "row index out of range");
    std::memcpy(op_ + i * os, xp + us(rows[i]) * xs, d * sizeof(float));
  }
}

void CpuBackend::scatter_add_rows(const Tensor& src, std::span<const std::int32_t> rows, std::span<const float> weights,
                                  const Tensor& dst) {
  const char* op = "scatter_add_rows";
  if (src.rank() != 2 || dst.rank() != 2 || src.dim(1) != dst.dim(1) ||
      src.dim(0) != static_cast<std::int64_t>(rows.size()) || weights.size() != rows.size())
    fail(op, "expected src [n, d], dst [T, d], n rows and weights; got " + src.describe() + ", " + dst.describe());
  const std::size_t ss = act_rows(op, "src", src, src.dim(0), src.dim(1)),
                    ds = act_rows(op, "dst", dst, dst.dim(0), dst.dim(1));
  const std::size_t d = us(src.dim(1));
  const float* sp = src.ptr<float>();
  float* dp = dst.ptr<float>();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < 0 || rows[i] >= dst.dim(0)) fail(op, "row index out of range");
    float* drow = dp + us(rows[i]) * ds;
    const float* srow = sp + i * ss;
    const float w = weights[i];
    for (std::size_t j = 0; j < d; ++j) drow[j] += w * srow[j];
  }
}

}  // namespace hl::engine
