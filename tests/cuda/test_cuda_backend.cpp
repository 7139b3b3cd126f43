// CudaBackend memory, copies, validation and the pre-upload memory check.
#include <algorithm>
#include <cstring>
#include <string>

#include "core/checkpoint/checkpoint.h"
#include "core/engine/model_runner.h"
#include "core/model/config_parser.h"
#include "kernels/memory_estimate.h"
#include "twin.h"

using namespace hl::test;
using hl::engine::TensorError;

TEST_CASE("cuda upload keeps the stored dtype, download round-trips, alloc is zero-filled", "[cuda]") {
  auto& gpu = Twin::get().gpu;
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const auto v = random_floats(1000, seed);
  for (const DType dt : {DType::f32, DType::bf16, DType::f16}) {
    const Tensor h = host_tensor(v, {10, 100}, dt);
    const Tensor d = gpu.upload(h);
    CHECK(d.device() == hl::engine::Device::cuda);
    CHECK(d.dtype() == dt);
    CHECK(d.shape() == h.shape());
    std::vector<std::uint8_t> back(h.nbytes());
    gpu.download(d, back.data());
    CHECK(std::memcmp(back.data(), h.data(), h.nbytes()) == 0);
  }
  const Tensor z = gpu.alloc(DType::f32, {7, 13});
  const auto zv = gpu_values(z);
  CHECK(std::all_of(zv.begin(), zv.end(), [](float x) { return x == 0.f; }));
}

TEST_CASE("cuda backend rejects host tensors, wrong dtypes and shapes with the CPU backend's errors", "[cuda]") {
  auto& gpu = Twin::get().gpu;
  const Tensor host = host_tensor(std::vector<float>(12, 1.f), {3, 4});
  const Tensor dev = gpu.upload(host);
  CHECK_THROWS_AS(gpu.scale(host, 2.f), TensorError);
  CHECK_THROWS_AS(gpu.residual_add(dev, gpu.alloc(DType::f32, {4, 3})), TensorError);
  CHECK_THROWS_AS(gpu.activation(hl::Activation::SiLU, gpu.alloc(DType::bf16, {3, 4}), dev), TensorError);
  const std::vector<std::int32_t> targets = {0, 7, -1};
  CHECK_THROWS_AS(gpu.lm_head_stats(dev, gpu.alloc(DType::f32, {5, 4}), nullptr, targets, 1, {}), TensorError);
}

TEST_CASE("cuda ensure_fits names both numbers and suggests --device cpu", "[cuda]") {
  auto& gpu = Twin::get().gpu;
  CHECK(gpu.free_memory() > 0);
  CHECK(gpu.free_memory() <= gpu.total_memory());
  CHECK_NOTHROW(gpu.ensure_fits(1 << 20, "a small model"));
  try {
    gpu.ensure_fits(std::uint64_t{1} << 50, "a huge model (weights 1024 TiB)");
    FAIL("ensure_fits accepted 1 PiB");
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    INFO(m);
    CHECK(m.find("a huge model") != std::string::npos);
    CHECK(m.find("GiB") != std::string::npos);
    CHECK(m.find("free") != std::string::npos);
    CHECK(m.find("--device cpu") != std::string::npos);
  }
}

TEST_CASE("cuda memory estimate of a fixture covers its weights and what one score allocates", "[cuda]") {
  auto& gpu = Twin::get().gpu;
  const std::string dir = std::string(HL_TEST_DATA_DIR) + "/fixtures/models/olmo_hybrid";
  const hl::ModelSpec spec = hl::load_model_spec(dir);
  const hl::Checkpoint ckpt = hl::Checkpoint::open(dir);
  const auto e = hl::cuda::estimate_gpu_memory(spec, ckpt, 131);
  CHECK(e.weights == ckpt.tensor_bytes());
  hl::engine::ModelRunner runner(spec, ckpt, gpu);
  std::vector<std::int32_t> ids(131);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>((i * 37) % 100);
  const auto before = gpu.memory_in_use();
  gpu.reset_peak_memory();
  hl::engine::ScoreOptions opt;
  opt.state_norms = true;
  runner.score(ids, opt);
  INFO("estimate " << e.describe(131) << ", measured peak " << gpu.peak_memory() - before << " bytes above "
                   << before);
  CHECK(gpu.peak_memory() <= before + e.total());
}

TEST_CASE("cuda time_ms measures device time with events", "[cuda]") {
  auto& gpu = Twin::get().gpu;
  const Tensor x = gpu.alloc(DType::f32, {1024, 1024});
  const float ms = gpu.time_ms([&] {
    for (int i = 0; i < 10; ++i) gpu.scale(x, 1.0001f);
  });
  CHECK(ms >= 0.f);
  CHECK(ms < 10000.f);
}
