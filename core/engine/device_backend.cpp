#include "core/engine/device_backend.h"

#include <algorithm>
#include <stdexcept>

#include "core/cpu/parallel.h"

#ifdef HL_WITH_CUDA
#include "kernels/cuda_backend.h"
#include "kernels/device.h"
#include "kernels/memory_estimate.h"
#endif

namespace hl::engine {

namespace {

#ifndef HL_WITH_CUDA
constexpr const char* kNoCudaBackend = "this build has no CUDA backend (configure with -DHL_CUDA=ON)";
#endif

DeviceInfo cuda_device() {
#ifdef HL_WITH_CUDA
  // describe_device() names the GPU, or says why there is none ("no CUDA device (driver message)").
  if (cuda::device_count() > 0) return {"cuda", "CUDA: " + cuda::describe_device(), true, ""};
  return {"cuda", "CUDA", false, cuda::describe_device()};
#else
  return {"cuda", "CUDA", false, kNoCudaBackend};
#endif
}

}  // namespace

std::vector<DeviceInfo> available_devices() {
  const std::string cpu_label = "CPU (" + std::to_string(cpu::max_threads()) + " threads, OpenBLAS)";
  return {{"cpu", cpu_label, true, ""}, cuda_device()};
}

std::unique_ptr<Backend> make_backend(const std::string& device) {
  if (device == "cpu") return make_cpu_backend();
  if (device == "cuda") {
#ifdef HL_WITH_CUDA
    try {
      return std::make_unique<CudaBackend>();
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("--device cuda: ") + e.what());
    }
#else
    throw std::runtime_error(std::string("--device cuda: ") + kNoCudaBackend);
#endif
  }
  throw std::runtime_error("--device must be cpu or cuda, got '" + device + "'");
}

void check_device_memory(Backend& backend, const std::vector<const LoadedModel*>& models, std::int64_t tokens) {
  if (backend.device() == Device::cpu || models.empty()) return;
#ifdef HL_WITH_CUDA
  cuda::GpuMemoryEstimate total;
  std::string names;
  for (const LoadedModel* m : models) {
    const cuda::GpuMemoryEstimate e = cuda::estimate_gpu_memory(m->spec(), m->checkpoint(), tokens);
    total.weights += e.weights;
    total.activations = std::max(total.activations, e.activations);  // models are scored one after another
    names += (names.empty() ? "" : " + ") + m->name();
  }
  backend.ensure_fits(total.total(), names + " (" + total.describe(tokens) + ")");
#else
  (void)tokens;
#endif
}

}  // namespace hl::engine
