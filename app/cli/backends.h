#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/backend.h"
#include "core/engine/loaded_model.h"

namespace hl::cli {

// "cpu" or "cuda"; throws a one-line error when the device is unknown or not available in this build / machine.
std::unique_ptr<engine::Backend> make_backend(const std::string& device);

// Before scoring up to `tokens` tokens with `models` on `backend`: on CUDA, estimates the GPU memory (all models'
// weights + the activations of the largest) and throws a one-line error naming the estimate and the free memory
// when it does not fit. Nothing on the CPU.
void check_device_memory(engine::Backend& backend, const std::vector<const engine::LoadedModel*>& models,
                         std::int64_t tokens);

// Bench support. Milliseconds of `work`: CUDA events on the backend's stream for CUDA, the wall clock otherwise.
double time_work_ms(engine::Backend& backend, const std::function<void()>& work);
void reset_peak_memory(engine::Backend& backend);
// "peak GPU memory 1234 MiB (engine allocations; NVIDIA H100 ...)" for CUDA, "peak RSS 567 MiB" on the CPU.
std::string peak_memory_text(engine::Backend& backend);

}  // namespace hl::cli
