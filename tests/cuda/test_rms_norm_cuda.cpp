#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/cpu/rms_norm.h"
#include "kernels/cuda_check.h"
#include "kernels/gemm.h"
#include "kernels/rms_norm.h"
#include "support/random.h"

namespace {

// Owns a device buffer; poisoned with NaN so a kernel that skips an element cannot pass.
struct DeviceBuffer {
  float* p = nullptr;
  std::size_t n = 0;
  explicit DeviceBuffer(std::size_t count) : n(count) {
    HL_CUDA_CHECK(cudaMalloc(&p, n * sizeof(float)));
    HL_CUDA_CHECK(cudaMemset(p, 0xff, n * sizeof(float)));
  }
  explicit DeviceBuffer(const std::vector<float>& h) : DeviceBuffer(h.size()) {
    HL_CUDA_CHECK(cudaMemcpy(p, h.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  }
  ~DeviceBuffer() { cudaFree(p); }
  std::vector<float> to_host() const {
    std::vector<float> h(n);
    HL_CUDA_CHECK(cudaMemcpy(h.data(), p, n * sizeof(float), cudaMemcpyDeviceToHost));
    return h;
  }
};

double max_rel_err(const std::vector<float>& got, const std::vector<float>& want) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    num = std::max(num, std::fabs(static_cast<double>(got[i]) - want[i]));
    den = std::max(den, std::fabs(static_cast<double>(want[i])));
  }
  return std::isfinite(num) ? num / std::max(den, 1e-30) : INFINITY;
}

}  // namespace

TEST_CASE("cuda rms_norm matches its CPU twin", "[cuda]") {
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  const std::size_t rows = 37, cols = 1000;
  const auto x = hl::test::random_floats(rows * cols, seed);
  const auto w = hl::test::random_floats(cols, seed + 1);
  std::vector<float> want(rows * cols);
  hl::cpu::rms_norm(x.data(), w.data(), want.data(), rows, cols, 1e-6f);
  DeviceBuffer dx(x), dw(w), dy(rows * cols);
  hl::cuda::rms_norm(dx.p, dw.p, dy.p, rows, cols, 1e-6f);
  CHECK(max_rel_err(dy.to_host(), want) < 1e-5);
}

TEST_CASE("cublas gemm_abt matches a CPU product", "[cuda]") {
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  const std::size_t m = 17, n = 33, k = 65;
  const auto a = hl::test::random_floats(m * k, seed);
  const auto b = hl::test::random_floats(n * k, seed + 1);
  std::vector<float> want(m * n);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t l = 0; l < k; ++l) s += static_cast<double>(a[i * k + l]) * b[j * k + l];
      want[i * n + j] = static_cast<float>(s);
    }
  DeviceBuffer da(a), db(b), dc(m * n);
  hl::cuda::gemm_abt(da.p, db.p, dc.p, m, n, k);
  CHECK(max_rel_err(dc.to_host(), want) < 1e-5);
}
