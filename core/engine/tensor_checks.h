#pragma once
// The argument checks every backend runs before a primitive, so that a caller's mistake reads the same on every
// device: "<op>: <name> <what is wrong>: <the tensor>" as a TensorError.
#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/engine/tensor.h"

namespace hl::engine {

[[noreturn]] void fail_op(const char* op, const std::string& what);
// Defined, on `device`, and with a contiguous last dim (strided rows are fine).
void check_on_device(const char* op, const char* name, const Tensor& t, Device device);
// check_on_device, f32, and (rank > 0) of that rank.
void check_f32_on(const char* op, const char* name, const Tensor& t, int rank, Device device);
void check_same_shape(const char* op, const Tensor& a, const Tensor& b);
// A float weight on `device`, as that backend's weight-type enum (cpu::WType, cuda::WType: f32, bf16, f16).
template <class WType>
WType weight_type(const char* op, const char* name, const Tensor& t, Device device) {
  check_on_device(op, name, t, device);
  switch (t.dtype()) {
    case DType::f32: return WType::f32;
    case DType::bf16: return WType::bf16;
    case DType::f16: return WType::f16;
    case DType::i32: break;
  }
  fail_op(op, std::string(name) + " must be a float tensor: " + t.describe());
}

// An f32 activation [T, width] (rank 2, or rank >= 2 views) whose token rows are packed; returns its token stride.
std::int64_t activation_row_stride(const char* op, const char* name, const Tensor& t, std::int64_t T,
                                   std::int64_t width, Device device);
// activation_row_stride for several activations that must also share one token stride (column views into one
// projection: q and k, B and C, a pair of gates); returns that stride.
struct NamedTensor {
  const char* name;
  const Tensor& t;
};
std::int64_t shared_row_stride(const char* op, std::initializer_list<NamedTensor> ts, std::int64_t T,
                               std::int64_t width, Device device);
// A contiguous f32 output [T, width]; returns its data.
float* packed_output(const char* op, const char* name, const Tensor& t, std::int64_t T, std::int64_t width,
                     Device device);
// ScanArgs::state_norms: null, or contiguous f32 [T, heads].
float* state_norms_output(const char* op, const Tensor* t, std::int64_t T, std::int64_t heads, Device device);
// rope(): x [T, H, D] and cos/sin [T, rotary_dim / 2], contiguous; returns rotary_dim.
std::int64_t rope_rotary_dim(const char* op, const Tensor& x, const Tensor& cos, const Tensor& sin, Device device);

// causal_conv1d(): w a depthwise conv weight [C, 1, K]; x and y f32 [T, C] with packed token rows, y not aliasing x.
// short_conv(): the same w; x is bcx [T, 3C] = [B | C | x], y contiguous [T, C].
struct ConvShape {
  std::int64_t T = 0, C = 0, K = 0, x_stride = 0, y_stride = 0;
};
ConvShape causal_conv_shape(const char* op, const Tensor& x, const Tensor& w, const Tensor& y, Device device);
ConvShape short_conv_shape(const char* op, const Tensor& bcx, const Tensor& w, const Tensor& y, Device device);

// lightning_attention(): q, k, v f32 [T, H, D] with one shape and one set of strides, D contiguous; block_size > 0.
struct LightningShape {
  std::int64_t T = 0, H = 0, D = 0, token_stride = 0, head_stride = 0;
};
LightningShape lightning_shape(const char* op, const Tensor& q, const Tensor& k, const Tensor& v,
                               std::int64_t block_size, Device device);

// attention(): q [T, Hq, D], k [T, Hkv, D], v [T, Hkv, Dv] f32 with Hkv | Hq; out [T, Hq, Dv] or [T, Hq·Dv];
// sliding_window >= 0.
struct AttentionShape {
  std::int64_t T = 0, Hq = 0, Hkv = 0, D = 0, Dv = 0, out_token_stride = 0, out_head_stride = 0;
};
AttentionShape attention_shape(const char* op, const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out,
                               std::int64_t sliding_window, Device device);

}  // namespace hl::engine
