#pragma once
// A small tensor / buffer handle for the inference engine.
//
// A Tensor is a typed, shaped view of memory on one device, optionally owning that memory:
//   - dtype: f32 (activations), bf16 / f16 (weights as stored in the checkpoint), i32 (token ids, positions);
//   - shape: up to 4 dims, row-major; strides are in ELEMENTS, so a view can select a slice of a wider row (e.g. the
//     q part of a fused qkv projection, or q inside Qwen3-Next's per-head [q_h | gate_h] layout). Every primitive
//     requires the LAST dim to be contiguous (stride 1); the other strides are free unless a primitive says otherwise.
//   - ownership: `owner` keeps the allocation alive (shared, like torch). A non-owning view (owner == nullptr) points
//     into memory someone else keeps alive -- e.g. a weight inside the mmapped safetensors file.
// Copying a Tensor copies the handle, never the data.
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace hl::engine {

enum class Device : std::uint8_t { cpu, cuda };
enum class DType : std::uint8_t { f32, bf16, f16, i32 };

std::size_t dtype_size(DType t);
const char* dtype_name(DType t);
const char* device_name(Device d);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() { return DType::f32; }
template <>
constexpr DType dtype_of<std::int32_t>() { return DType::i32; }

constexpr int kMaxDims = 4;

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<std::int64_t> dims);
  int rank() const { return rank_; }
  std::int64_t operator[](int i) const { return dims_[static_cast<std::size_t>(i)]; }
  std::int64_t& operator[](int i) { return dims_[static_cast<std::size_t>(i)]; }
  std::int64_t numel() const;
  bool operator==(const Shape& o) const;
  std::string str() const;  // "[2, 3]"
  static Shape of_rank(int rank);

 private:
  std::array<std::int64_t, kMaxDims> dims_{};
  int rank_ = 0;
};

class Tensor {
 public:
  Tensor() = default;

  // Contiguous row-major allocation on the host, 64-byte aligned, zero-filled.
  static Tensor empty(DType dtype, Shape shape);
  // Non-owning contiguous view of `data` (host or device memory).
  static Tensor view(void* data, DType dtype, Shape shape, Device device = Device::cpu);
  static Tensor view(const void* data, DType dtype, Shape shape, Device device = Device::cpu) {
    return view(const_cast<void*>(data), dtype, shape, device);
  }
  // Adopt memory with a custom deleter (used by device backends for their allocations).
  static Tensor adopt(void* data, DType dtype, Shape shape, Device device, std::shared_ptr<void> owner);

  bool defined() const { return data_ != nullptr || shape_.numel() == 0; }
  void* data() const { return data_; }
  template <class T>
  T* ptr() const {  // checked typed access: f32 -> float, i32 -> int32_t, bf16/f16 -> uint16_t
    check_ptr_type(sizeof(T), is_float_type<T>(), is_int_type<T>());
    return static_cast<T*>(data_);
  }
  DType dtype() const { return dtype_; }
  Device device() const { return device_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  std::int64_t dim(int i) const;      // negative i counts from the end
  std::int64_t stride(int i) const;   // in elements; negative i counts from the end
  std::int64_t numel() const { return shape_.numel(); }
  std::size_t nbytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype_); }
  bool is_contiguous() const;
  bool owns_memory() const { return owner_ != nullptr; }

  // Views sharing ownership.
  Tensor reshape(Shape shape) const;                                // requires a contiguous tensor
  Tensor slice(int dim, std::int64_t begin, std::int64_t end) const;  // [begin, end) along dim, strides kept
  Tensor select_rows(std::int64_t begin, std::int64_t end) const { return slice(0, begin, end); }
  // A view with explicit shape/strides over the same memory, starting `offset` elements in.
  Tensor strided(Shape shape, std::array<std::int64_t, kMaxDims> strides, std::int64_t offset = 0) const;

  std::string describe() const;  // "f32[4, 8] cpu" (+ " strided" / " view")

 private:
  template <class T>
  static constexpr bool is_float_type() { return std::is_same_v<std::remove_cv_t<T>, float>; }
  template <class T>
  static constexpr bool is_int_type() { return std::is_same_v<std::remove_cv_t<T>, std::int32_t>; }
  void check_ptr_type(std::size_t size, bool is_float, bool is_int) const;

  void* data_ = nullptr;
  DType dtype_ = DType::f32;
  Device device_ = Device::cpu;
  Shape shape_;
  std::array<std::int64_t, kMaxDims> strides_{};
  std::shared_ptr<void> owner_;
};

// Thrown on shape / dtype / device mismatches (a programming error in the engine composition, or a malformed model).
class TensorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hl::engine
