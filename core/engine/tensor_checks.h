#pragma once
// The argument checks every backend runs before a primitive, so that a caller's mistake reads the same on every
// device: "<op>: <name> <what is wrong>: <the tensor>" as a TensorError.
#include <string>

#include "core/engine/tensor.h"

namespace hl::engine {

[[noreturn]] void fail_op(const char* op, const std::string& what);
// Defined, on `device`, and with a contiguous last dim (strided rows are fine).
void check_on_device(const char* op, const char* name, const Tensor& t, Device device);
// check_on_device, f32, and (rank > 0) of that rank.
void check_f32_on(const char* op, const char* name, const Tensor& t, int rank, Device device);
void check_same_shape(const char* op, const Tensor& a, const Tensor& b);

}  // namespace hl::engine
