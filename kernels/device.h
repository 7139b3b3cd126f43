#pragma once
#include <string>

namespace hl::cuda {

// Number of usable CUDA devices; 0 when there is no GPU or no driver (never throws).
int device_count();

// "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)" for device 0, or the reason there is none.
std::string describe_device();

}  // namespace hl::cuda
