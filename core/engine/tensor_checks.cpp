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

}  // namespace hl::engine
