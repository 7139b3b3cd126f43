#include "core/engine/tensor_checks.h"

namespace hl::engine {

void fail_op(const char* op, const std::string& what) { throw TensorError(std::string(op) + ": " + what); }

void check_on_device(const char* op, const char* name, const Tensor& t, Device device) {
  if (!t.defined()) fail_op(op, std::string(name) + " is undefined");
  if (t.device() != device)
    fail_op(op, std::string(name) + " is not on the " + device_name(device) + " device: " + t.describe());
  if (t.rank() > 0 && t.stride(-1) != 1 && t.dim(-1) > 1)
    fail_op(op, std::string(name) + " last dim is not contiguous: " + t.describe());
}

void check_f32_on(const char* op, const char* name, const Tensor& t, int rank, Device device) {
  check_on_device(op, name, t, device);
  if (t.dtype() != DType::f32) fail_op(op, std::string(name) + " must be f32: " + t.describe());
  if (rank > 0 && t.rank() != rank)
    fail_op(op, std::string(name) + " must have rank " + std::to_string(rank) + ": " + t.describe());
}

void check_same_shape(const char* op, const Tensor& a, const Tensor& b) {
  if (!(a.shape() == b.shape())) fail_op(op, "shape mismatch " + a.describe() + " vs " + b.describe());
}

std::int64_t activation_row_stride(const char* op, const char* name, const Tensor& t, std::int64_t T,
                                   std::int64_t width, Device device) {
  if (!t.defined() || t.device() != device)
    fail_op(op, std::string(name) + " is not a " + device_name(device) + " tensor");
  if (t.dtype() != DType::f32) fail_op(op, std::string(name) + " must be f32: " + t.describe());
  if (t.rank() < 1 || t.dim(0) != T)
    fail_op(op, std::string(name) + " must have " + std::to_string(T) + " rows: " + t.describe());
  std::int64_t w = 1;
  for (int i = 1; i < t.rank(); ++i) w *= t.dim(i);
  if (w != width) fail_op(op, std::string(name) + " must have " + std::to_string(width) + " columns: " + t.describe());
  // Within a token the layout must be packed: the strides of dims 1.. are the packed ones.
  std::int64_t expect = 1;
  for (int i = t.rank() - 1; i >= 1; --i) {
    if (t.dim(i) > 1 && t.stride(i) != expect)
      fail_op(op, std::string(name) + " token row is not packed: " + t.describe());
    expect *= t.dim(i);
  }
  return t.rank() == 1 ? 1 : t.stride(0);
}

float* packed_output(const char* op, const char* name, const Tensor& t, std::int64_t T, std::int64_t width,
                     Device device) {
  if (!t.defined() || t.device() != device || t.dtype() != DType::f32 || !t.is_contiguous() || t.numel() != T * width)
    fail_op(op, std::string(name) + " must be contiguous f32 [" + std::to_string(T) + ", " + std::to_string(width) +
                    "] on the " + device_name(device) + " device: " + t.describe());
  return t.ptr<float>();
}

float* state_norms_output(const char* op, const Tensor* t, std::int64_t T, std::int64_t heads, Device device) {
  return t == nullptr ? nullptr : packed_output(op, "state_norms", *t, T, heads, device);
}

std::int64_t rope_rotary_dim(const char* op, const Tensor& x, const Tensor& cos, const Tensor& sin, Device device) {
  check_f32_on(op, "x", x, 3, device);
  check_f32_on(op, "cos", cos, 2, device);
  check_f32_on(op, "sin", sin, 2, device);
  check_same_shape(op, cos, sin);
  if (!cos.is_contiguous() || !sin.is_contiguous()) fail_op(op, "cos/sin must be contiguous");
  const std::int64_t rot = 2 * cos.dim(1);
  if (cos.dim(0) != x.dim(0) || rot > x.dim(2) || rot == 0)
    fail_op(op, "cos/sin " + cos.describe() + " do not fit x " + x.describe());
  return rot;
}

std::int64_t shared_row_stride(const char* op, std::initializer_list<NamedTensor> ts, std::int64_t T,
                               std::int64_t width, Device device) {
  std::int64_t stride = -1;
  std::string names;
  std::size_t i = 0;
  for (const NamedTensor& n : ts) {
    const std::int64_t s = activation_row_stride(op, n.name, n.t, T, width, device);
    names += (i == 0 ? "" : i + 1 == ts.size() ? " and " : ", ") + std::string(n.name);
    if (stride >= 0 && s != stride) stride = -2;
    if (stride == -1) stride = s;
    ++i;
  }
  if (stride < 0) fail_op(op, names + " must share a token stride");
  return stride;
}

namespace {

ConvShape conv_weight_shape(const char* op, const Tensor& w, std::int64_t T) {
  if (w.rank() != 3 || w.dim(1) != 1) fail_op(op, "w must be [C, 1, K]: " + w.describe());
  return {T, w.dim(0), w.dim(2), 0, 0};
}

}  // namespace

ConvShape causal_conv_shape(const char* op, const Tensor& x, const Tensor& w, const Tensor& y, Device device) {
  ConvShape s = conv_weight_shape(op, w, x.dim(0));
  s.x_stride = activation_row_stride(op, "x", x, s.T, s.C, device);
  s.y_stride = activation_row_stride(op, "y", y, s.T, s.C, device);
  if (x.data() == y.data()) fail_op(op, "y must not alias x");
  return s;
}

ConvShape short_conv_shape(const char* op, const Tensor& bcx, const Tensor& w, const Tensor& y, Device device) {
  ConvShape s = conv_weight_shape(op, w, bcx.dim(0));
  s.x_stride = activation_row_stride(op, "bcx", bcx, s.T, 3 * s.C, device);
  packed_output(op, "y", y, s.T, s.C, device);
  s.y_stride = s.C;
  return s;
}

LightningShape lightning_shape(const char* op, const Tensor& q, const Tensor& k, const Tensor& v,
                               std::int64_t block_size, Device device) {
  check_f32_on(op, "q", q, 3, device);
  check_f32_on(op, "k", k, 3, device);
  check_f32_on(op, "v", v, 3, device);
  check_same_shape(op, q, k);
  check_same_shape(op, q, v);
  for (const Tensor* t : {&k, &v})
    if (t->stride(0) != q.stride(0) || t->stride(1) != q.stride(1))
      fail_op(op, "q, k and v must share their token and head strides: " + q.describe() + " vs " + t->describe());
  if (block_size <= 0) fail_op(op, "block_size must be positive");
  return {q.dim(0), q.dim(1), q.dim(2), q.stride(0), q.stride(1)};
}

AttentionShape attention_shape(const char* op, const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out,
                               std::int64_t sliding_window, Device device) {
  check_f32_on(op, "q", q, 3, device);
  check_f32_on(op, "k", k, 3, device);
  check_f32_on(op, "v", v, 3, device);
  check_f32_on(op, "out", out, 0, device);
  AttentionShape s{q.dim(0), q.dim(1), k.dim(1), q.dim(2), v.dim(2), 0, 0};
  if (k.dim(0) != s.T || v.dim(0) != s.T || k.dim(2) != s.D || v.dim(1) != s.Hkv || s.Hkv == 0 || s.Hq % s.Hkv != 0)
    fail_op(op, "expected q [T, Hq, D], k [T, Hkv, D], v [T, Hkv, Dv] with Hkv | Hq; got " + q.describe() + ", " +
                    k.describe() + ", " + v.describe());
  if (out.rank() == 3 && out.dim(0) == s.T && out.dim(1) == s.Hq && out.dim(2) == s.Dv) {
    s.out_token_stride = out.stride(0), s.out_head_stride = out.stride(1);
  } else if (out.rank() == 2 && out.dim(0) == s.T && out.dim(1) == s.Hq * s.Dv) {
    s.out_token_stride = out.stride(0), s.out_head_stride = s.Dv;
  } else {
    fail_op(op, "out must be [T, Hq, Dv] or [T, Hq*Dv]: " + out.describe());
  }
  if (sliding_window < 0) fail_op(op, "sliding_window must be >= 0");
  return s;
}

}  // namespace hl::engine
