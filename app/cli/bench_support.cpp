#include "app/cli/bench_support.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#ifdef HL_WITH_CUDA
#include "kernels/cuda_backend.h"
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
