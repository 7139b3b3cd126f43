#include "core/engine/tensor.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <type_traits>

namespace hl::engine {

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::bf16: return 2;
    case DType::f16: return 2;
    case DType::i32: return 4;
  }
  return 0;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::f32: return "f32";
    case DType::bf16: return "bf16";
    case DType::f16: return "f16";
    case DType::i32: return "i32";
  }
  return "?";
}

const char* device_name(Device d) { return d == Device::cpu ? "cpu" : "cuda"; }

Shape::Shape(std::initializer_list<std::int64_t> dims) {
  if (dims.size() > kMaxDims) throw TensorError("Shape: more than 4 dims");
  for (std::int64_t d : dims) {
    if (d < 0) throw TensorError("Shape: negative dim");
    dims_[static_cast<std::size_t>(rank_++)] = d;
  }
}

Shape Shape::of_rank(int rank) {
  if (rank < 0 || rank > kMaxDims) throw TensorError("Shape: bad rank");
  Shape s;
  s.rank_ = rank;
  return s;
}

std::int64_t Shape::numel() const {
  std::int64_t n = 1;
  for (int i = 0; i < rank_; ++i) n *= dims_[static_cast<std::size_t>(i)];
  return n;
}

bool Shape::operator==(const Shape& o) const {
  if (rank_ != o.rank_) return false;
  for (int i = 0; i < rank_; ++i)
    if (dims_[static_cast<std::size_t>(i)] != o.dims_[static_cast<std::size_t>(i)]) return false;
  return true;
}

std::string Shape::str() const {
  std::ostringstream os;
  os << '[';
  for (int i = 0; i < rank_; ++i) os << (i ? ", " : "") << dims_[static_cast<std::size_t>(i)];
  os << ']';
  return os.str();
}

namespace {
std::array<std::int64_t, kMaxDims> contiguous_strides(const Shape& s) {
  std::array<std::int64_t, kMaxDims> st{};
  std::int64_t acc = 1;
  for (int i = s.rank() - 1; i >= 0; --i) {
    st[static_cast<std::size_t>(i)] = acc;
    acc *= s[i];
  }
  return st;
}
}  // namespace

Tensor Tensor::empty(DType dtype, Shape shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = shape;
  t.strides_ = contiguous_strides(shape);
  t.device_ = Device::cpu;
  const std::size_t bytes = t.nbytes();
  if (bytes > 0) {
    const std::size_t rounded = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, rounded);
    t.owner_ = std::shared_ptr<void>(p, [](void* q) { std::free(q); });
    t.data_ = p;
  }
  return t;
}

Tensor Tensor::view(void* data, DType dtype, Shape shape, Device device) {
  Tensor t;
  t.data_ = data;
  t.dtype_ = dtype;
  t.shape_ = shape;
  t.strides_ = contiguous_strides(shape);
  t.device_ = device;
  return t;
}

Tensor Tensor::adopt(void* data, DType dtype, Shape shape, Device device, std::shared_ptr<void> owner) {
  Tensor t = view(data, dtype, shape, device);
  t.owner_ = std::move(owner);
  return t;
}

std::int64_t Tensor::dim(int i) const {
  const int r = rank();
  if (i < 0) i += r;
  if (i < 0 || i >= r) throw TensorError("Tensor::dim out of range for " + describe());
  return shape_[i];
}

std::int64_t Tensor::stride(int i) const {
  const int r = rank();
  if (i < 0) i += r;
  if (i < 0 || i >= r) throw TensorError("Tensor::stride out of range for " + describe());
  return strides_[static_cast<std::size_t>(i)];
}

bool Tensor::is_contiguous() const { return strides_ == contiguous_strides(shape_) || numel() <= 1; }

Tensor Tensor::reshape(Shape shape) const {
  if (!is_contiguous()) throw TensorError("reshape of a strided tensor " + describe());
  if (shape.numel() != numel())
    throw TensorError("reshape " + describe() + " to " + shape.str() + ": element count differs");
  Tensor t = *this;
  t.shape_ = shape;
  t.strides_ = contiguous_strides(shape);
  return t;
}

Tensor Tensor::slice(int d, std::int64_t begin, std::int64_t end) const {
  if (d < 0) d += rank();
  if (d < 0 || d >= rank()) throw TensorError("slice: bad dim for " + describe());
  if (begin < 0 || end < begin || end > shape_[d]) throw TensorError("slice: bad range for " + describe());
  Tensor t = *this;
  t.shape_[d] = end - begin;
  t.data_ = static_cast<char*>(data_) +
            static_cast<std::ptrdiff_t>(begin * strides_[static_cast<std::size_t>(d)]) *
                static_cast<std::ptrdiff_t>(dtype_size(dtype_));
  return t;
}

Tensor Tensor::strided(Shape shape, std::array<std::int64_t, kMaxDims> strides, std::int64_t offset) const {
  Tensor t = *this;
  t.shape_ = shape;
  for (int i = shape.rank(); i < kMaxDims; ++i) strides[static_cast<std::size_t>(i)] = 0;
  t.strides_ = strides;
  t.data_ = static_cast<char*>(data_) + static_cast<std::ptrdiff_t>(offset) * static_cast<std::ptrdiff_t>(dtype_size(dtype_));
  return t;
}

void Tensor::check_ptr_type(std::size_t size, bool is_float, bool is_int) const {
  bool ok = false;
  switch (dtype_) {
    case DType::f32: ok = is_float; break;
    case DType::i32: ok = is_int; break;
    case DType::bf16:
    case DType::f16: ok = size == 2 && !is_float && !is_int; break;
  }
  if (!ok) throw TensorError(std::string("Tensor::ptr: wrong element type for ") + describe());
}

std::string Tensor::describe() const {
  std::string s = std::string(dtype_name(dtype_)) + shape_.str() + " " + device_name(device_);
  if (!is_contiguous()) s += " strided";
  if (!owner_) s += " view";
  return s;
}

}  // namespace hl::engine
