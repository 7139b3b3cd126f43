#pragma once
// Measuring hybridlens-cli bench: time and peak memory per device. The device factory is
// core/engine/device_backend.h.
#include <functional>
#include <string>

#include "core/engine/backend.h"

namespace hl::cli {

// Milliseconds of `work`: CUDA events on the backend's stream for CUDA, the wall clock otherwise.
double time_work_ms(engine::Backend& backend, const std::function<void()>& work);
void reset_peak_memory(engine::Backend& backend);
// "peak GPU memory 1234 MiB (engine allocations; NVIDIA H100 ...)" for CUDA, "peak RSS 567 MiB" on the CPU.
std::string peak_memory_text(engine::Backend& backend);

}  // namespace hl::cli
