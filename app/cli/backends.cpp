#include "app/cli/backends.h"

#include <stdexcept>

namespace hl::cli {

std::unique_ptr<engine::Backend> make_backend(const std::string& device) {
  if (device == "cpu") return engine::make_cpu_backend();
  if (device == "cuda") {
#ifdef HL_WITH_CUDA
    throw std::runtime_error("--device cuda: the CUDA inference backend is not implemented yet; use --device cpu");
#else
    throw std::runtime_error("--device cuda: this build has no CUDA backend (configure with -DHL_CUDA=ON)");
#endif
  }
  throw std::runtime_error("--device must be cpu or cuda, got '" + device + "'");
}

}  // namespace hl::cli
