// MoE routing and expert dispatch primitives (Backend::route / gather_rows / scatter_add_rows) on the CPU backend,
// against hand-computed expectations of the transformers routers (Qwen3-Next / Jamba softmax-then-top-k,
// GraniteMoE top-k-then-softmax, Nemotron-H / DeepSeek-V3 sigmoid with correction bias and groups).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/engine/cpu_backend.h"

using hl::engine::Backend;
using hl::engine::CpuBackend;
using hl::engine::DType;
using hl::engine::Tensor;

namespace {

Tensor rows_of(const std::vector<float>& v, std::int64_t T, std::int64_t E) {
  Tensor t = Tensor::empty(DType::f32, {T, E});
  std::copy(v.begin(), v.end(), t.ptr<float>());
  return t;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

TEST_CASE("moe routing: softmax then top-k, with and without renormalisation", "[unit][moe]") {
  CpuBackend b(1);
  const std::vector<float> l = {1.0f, 3.0f, 2.0f, 0.5f};
  const Tensor logits = rows_of(l, 1, 4);
  double z = 0;
  for (float v : l) z += std::exp(v);
  Backend::RouterParams p;
  p.scoring = Backend::RouterScoring::softmax_topk;
  p.top_k = 2;
  auto r = b.route(logits, nullptr, p);
  REQUIRE(r.experts == std::vector<std::int32_t>{1, 2});
  CHECK(r.weights[0] == Approx(std::exp(3.0) / z).epsilon(1e-6));
  CHECK(r.weights[1] == Approx(std::exp(2.0) / z).epsilon(1e-6));
  p.renormalize = true;
  p.routed_scaling = 2.0f;
  r = b.route(logits, nullptr, p);
  const double s = std::exp(3.0) + std::exp(2.0);
  CHECK(r.weights[0] == Approx(2 * std::exp(3.0) / s).epsilon(1e-6));
  CHECK(r.weights[1] == Approx(2 * std::exp(2.0) / s).epsilon(1e-6));
}

TEST_CASE("moe routing: top-k then softmax (GraniteMoE)", "[unit][moe]") {
  CpuBackend b(1);
  const Tensor logits = rows_of({0.0f, -1.0f, 4.0f, 3.0f, /*token 1*/ 2.0f, 2.5f, -3.0f, 0.0f}, 2, 4);
  Backend::RouterParams p;
  p.scoring = Backend::RouterScoring::topk_softmax;
  p.top_k = 2;
  const auto r = b.route(logits, nullptr, p);
  REQUIRE(r.T == 2);
  REQUIRE(r.experts == std::vector<std::int32_t>{2, 3, 1, 0});
  CHECK(r.weights[0] == Approx(sigmoid(1.0)).epsilon(1e-6));  // softmax of (4, 3) = sigmoid(1)
  CHECK(r.weights[1] == Approx(sigmoid(-1.0)).epsilon(1e-6));
  CHECK(r.weights[2] == Approx(sigmoid(0.5)).epsilon(1e-6));
}

TEST_CASE("moe routing: sigmoid with correction bias and groups (Nemotron-H)", "[unit][moe]") {
  CpuBackend b(1);
  // 4 experts in 2 groups {0,1}, {2,3}; the bias moves the choice but not the weights.
  const std::vector<float> l = {2.0f, 1.0f, 0.0f, 1.5f};
  const Tensor logits = rows_of(l, 1, 4);
  const Tensor bias = rows_of({0.0f, 0.0f, 5.0f, 0.0f}, 1, 4).reshape({4});
  Backend::RouterParams p;
  p.scoring = Backend::RouterScoring::sigmoid_grouped;
  p.top_k = 2;
  p.renormalize = false;
  p.routed_scaling = 1.5f;
  auto r = b.route(logits, &bias, p);
  REQUIRE(r.experts == std::vector<std::int32_t>{2, 0});
  CHECK(r.weights[0] == Approx(1.5 * sigmoid(0.0)).epsilon(1e-6));
  CHECK(r.weights[1] == Approx(1.5 * sigmoid(2.0)).epsilon(1e-6));
  // One group of two kept: group {2,3} scores (sigmoid(0)+5) + sigmoid(1.5) > group {0,1}.
  p.n_group = 2;
  p.topk_group = 1;
  p.renormalize = true;
  p.routed_scaling = 1.0f;
  r = b.route(logits, &bias, p);
  REQUIRE(r.experts == std::vector<std::int32_t>{2, 3});
  const double s = sigmoid(0.0) + sigmoid(1.5);
  CHECK(r.weights[0] == Approx(sigmoid(0.0) / s).epsilon(1e-6));
  CHECK(r.weights[1] == Approx(sigmoid(1.5) / s).epsilon(1e-6));
}

TEST_CASE("moe routing: invalid configurations throw", "[unit][moe]") {
  CpuBackend b(1);
  const Tensor logits = rows_of({0.f, 1.f, 2.f}, 1, 3);
  Backend::RouterParams p;
  p.top_k = 4;
  CHECK_THROWS(b.route(logits, nullptr, p));
  p.top_k = 1;
  p.scoring = Backend::RouterScoring::sigmoid_grouped;
  p.n_group = 2;  // does not divide 3 experts
  CHECK_THROWS(b.route(logits, nullptr, p));
}

TEST_CASE("moe dispatch: gather rows and weighted scatter-add", "[unit][moe]") {
  CpuBackend b(1);
  const Tensor x = rows_of({1, 2, 3, 4, 5, 6}, 3, 2);
  const std::vector<std::int32_t> rows = {2, 0};
  Tensor g = b.alloc(DType::f32, {2, 2});
  b.gather_rows(x, rows, g);
  CHECK(std::vector<float>(g.ptr<float>(), g.ptr<float>() + 4) == std::vector<float>{5, 6, 1, 2});
  Tensor dst = rows_of({1, 1, 1, 1, 1, 1}, 3, 2);
  const std::vector<float> w = {0.5f, 2.0f};
  b.scatter_add_rows(g, rows, w, dst);
  CHECK(std::vector<float>(dst.ptr<float>(), dst.ptr<float>() + 6) == std::vector<float>{3, 5, 1, 1, 3.5f, 4});
  const std::vector<std::int32_t> bad = {3};
  Tensor one = b.alloc(DType::f32, {1, 2});
  CHECK_THROWS(b.gather_rows(x, bad, one));
}
