#pragma once
// The compute devices and the backend factory that the CLI and the GUI share.
//
// This is the only file of core/ that sees kernels/: hl_kernels (the CUDA backend) links hl_core, so core cannot
// link it back. It is compiled into its own library, hl_device (core/CMakeLists.txt), which sits above hl_core and,
// in a CUDA build, hl_kernels; everything else in core/ stays free of CUDA.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/backend.h"
#include "core/engine/loaded_model.h"

namespace hl::engine {

struct DeviceInfo {
  std::string id;     // "cpu" or "cuda": what make_backend takes
  std::string label;  // "CPU (16 threads, OpenBLAS)", "CUDA: NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)", "CUDA"
  bool available = false;
  std::string reason;  // one line when !available: "this build has no CUDA backend (...)", "no CUDA device (...)"
};

// Always two entries, cpu first (always available), then cuda. Asks the CUDA driver when the build has the CUDA
// backend; a missing GPU or driver makes cuda unavailable, never an exception.
std::vector<DeviceInfo> available_devices();

// "cpu" or "cuda"; throws a one-line std::runtime_error when the device is unknown or not available in this build /
// machine. The messages name the CLI's option ("--device cuda: ..."), as the CUDA backend's own do ("use --device
// cpu"); the GUI offers only what available_devices() lists as available.
std::unique_ptr<Backend> make_backend(const std::string& device);

// Before scoring up to `tokens` tokens with `models` on `backend`: on CUDA, estimates the GPU memory (all models'
// weights + the activations of the largest) and throws a one-line error naming the estimate and the free memory
// when it does not fit. Nothing on the CPU.
void check_device_memory(Backend& backend, const std::vector<const LoadedModel*>& models, std::int64_t tokens);

}  // namespace hl::engine
