#pragma once
// Measuring hybridlens-cli bench: peak memory per device (time: Backend::time_ms). The device factory is
// core/engine/device_backend.h.
#include <string>

#include "core/engine/backend.h"

namespace hl::cli {

// "peak GPU memory 1234 MiB (engine allocations; NVIDIA H100 ...)" for CUDA, "peak RSS 567 MiB" on the CPU.
std::string peak_memory_text(engine::Backend& backend);

}  // namespace hl::cli
