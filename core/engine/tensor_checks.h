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

// lightning_attention(): q, k, v f32 [T, H, D] with one shape and one set of strides, D contiguous; block_size > 0.
struct LightningShape {
  std::int64_t T = 0, H = 0, D = 0, token_stride = 0, head_stride = 0;
};
LightningShape lightning_shape(const char* op, const Tensor& q, const Tensor& k, const Tensor& v,
                               std::int64_t block_size, Device device);

}  // namespace hl::engine
