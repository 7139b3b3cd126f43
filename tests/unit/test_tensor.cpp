#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "core/engine/tensor.h"

using namespace hl::engine;

TEST_CASE("Tensor: owning allocation, shape, strides, typed access", "[engine][tensor]") {
  Tensor t = Tensor::empty(DType::f32, {3, 4, 5});
  CHECK(t.owns_memory());
  CHECK(t.rank() == 3);
  CHECK(t.numel() == 60);
  CHECK(t.nbytes() == 240);
  CHECK(t.stride(0) == 20);
  CHECK(t.stride(-1) == 1);
  CHECK(t.is_contiguous());
  CHECK(reinterpret_cast<std::uintptr_t>(t.data()) % 64 == 0);
  float* p = t.ptr<float>();
  for (int i = 0; i < 60; ++i) CHECK(p[i] == 0.f);
  CHECK_THROWS_AS(t.ptr<std::int32_t>(), TensorError);
  CHECK_THROWS_AS(t.ptr<std::uint16_t>(), TensorError);
  CHECK(dtype_size(DType::bf16) == 2);
  CHECK(std::string(dtype_name(DType::f16)) == "f16");
}

TEST_CASE("Tensor: non-owning views, slices and strided views share memory", "[engine][tensor]") {
  std::vector<std::uint16_t> w(6 * 8, 0);
  Tensor v = Tensor::view(w.data(), DType::bf16, {6, 8});
  CHECK_FALSE(v.owns_memory());
  CHECK(v.ptr<std::uint16_t>() == w.data());
  CHECK_THROWS_AS(v.ptr<float>(), TensorError);

  Tensor qkv = Tensor::empty(DType::f32, {5, 12});  // fused [T, 3*4]
  Tensor k = qkv.slice(1, 4, 8);
  CHECK(k.dim(1) == 4);
  CHECK(k.stride(0) == 12);
  CHECK_FALSE(k.is_contiguous());
  CHECK(k.ptr<float>() == qkv.ptr<float>() + 4);
  CHECK(k.owns_memory());  // shares ownership
  CHECK_THROWS_AS(k.reshape({20}), TensorError);

  // per-head interleaved [q_h | gate_h] view: heads 2, head_dim 3 -> rows of 12
  Tensor qg = Tensor::empty(DType::f32, {5, 12});
  Tensor q = qg.strided({5, 2, 3}, {12, 6, 1}, 0);
  Tensor gate = qg.strided({5, 2, 3}, {12, 6, 1}, 3);
  CHECK(gate.ptr<float>() == qg.ptr<float>() + 3);
  CHECK(q.stride(1) == 6);

  Tensor r = qkv.reshape({5, 3, 4});
  CHECK(r.dim(2) == 4);
  CHECK_THROWS_AS(qkv.reshape({7, 7}), TensorError);
  CHECK_THROWS_AS(qkv.slice(0, 2, 9), TensorError);
  CHECK_THROWS_AS(qkv.dim(3), TensorError);
  CHECK_THROWS_AS((Shape{1, 2, 3, 4, 5}), TensorError);
  CHECK(qkv.describe() == "f32[5, 12] cpu");
}
