#include "app/cli/backends.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#ifdef HL_WITH_CUDA
#include "kernels/cuda_backend.h"
#include "kernels/memory_estimate.h"
#endif

namespace hl::cli {

namespace {

// Peak resident set size of this process in MiB (VmHWM), 0 when /proc is unavailable.
double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

#ifdef HL_WITH_CUDA
engine::CudaBackend* as_cuda(engine::Backend& b) {
  return b.device() == engine::Device::cuda ? dynamic_cast<engine::CudaBackend*>(&b) : nullptr;
}
#endif

}  // namespace

std::unique_ptr<engine::Backend> make_backend(const std::string& device) {
  if (device == "cpu") return engine::make_cpu_backend();
  if (device == "cuda") {
#ifdef HL_WITH_CUDA
    try {
      return std::make_unique<engine::CudaBackend>();
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("--device cuda: ") + e.what());
    }
#else
    throw std::runtime_error("--device cuda: this build has no CUDA backend (configure with -DHL_CUDA=ON)");
#endif
  }
  throw std::runtime_error("--device must be cpu or cuda, got '" + device + "'");
}

void check_device_memory(engine::Backend& backend, const std::vector<const engine::LoadedModel*>& models,
                         std::int64_t tokens) {
#ifdef HL_WITH_CUDA
  engine::CudaBackend* cuda = as_cuda(backend);
  if (cuda == nullptr || models.empty()) return;
  std::uint64_t weights = 0, activations = 0;
  std::string names;
  for (const engine::LoadedModel* m : models) {
    const cuda::GpuMemoryEstimate e = cuda::estimate_gpu_memory(m->spec(), m->checkpoint(), tokens);
    weights += e.weights;
    activations = std::max(activations, e.activations);  // models are scored one after another
    names += (names.empty() ? "" : " + ") + m->name();
  }
  cuda::GpuMemoryEstimate total;
  total.weights = weights;
  total.activations = activations;
  cuda->ensure_fits(total.total(), names + " (" + total.describe(tokens) + ")");
#else
  (void)backend;
  (void)models;
  (void)tokens;
#endif
}

double time_work_ms(engine::Backend& backend, const std::function<void()>& work) {
#ifdef HL_WITH_CUDA
  if (engine::CudaBackend* cuda = as_cuda(backend)) return cuda->time_ms(work);
#endif
  const auto start = std::chrono::steady_clock::now();
  work();
  backend.synchronize();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void reset_peak_memory(engine::Backend& backend) {
#ifdef HL_WITH_CUDA
  if (engine::CudaBackend* cuda = as_cuda(backend)) cuda->reset_peak_memory();
#else
  (void)backend;
#endif
}

std::string peak_memory_text(engine::Backend& backend) {
  char buf[256];
#ifdef HL_WITH_CUDA
  if (engine::CudaBackend* cuda = as_cuda(backend)) {
    std::snprintf(buf, sizeof buf, "peak GPU memory %.0f MiB (engine allocations, %s), peak RSS %.0f MiB",
                  static_cast<double>(cuda->peak_memory()) / (1024.0 * 1024.0), cuda->device_description().c_str(),
                  peak_rss_mib());
    return buf;
  }
#endif
  (void)backend;
  std::snprintf(buf, sizeof buf, "peak RSS %.0f MiB", peak_rss_mib());
  return buf;
}

}  // namespace hl::cli
