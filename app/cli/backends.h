#pragma once
#include <memory>
#include <string>

#include "core/engine/backend.h"

namespace hl::cli {

// "cpu" or "cuda"; throws a one-line error when the device is unknown or not available in this build.
std::unique_ptr<engine::Backend> make_backend(const std::string& device);

}  // namespace hl::cli
