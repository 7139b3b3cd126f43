#include "core/util/build_info.h"

#include "core/util/version.h"

namespace hl {

std::string build_info() {
  std::string s = std::string("HybridLens ") + kVersion + " (backends: cpu/openblas";
#ifdef HL_WITH_CUDA
  s += ", cuda";
#endif
  s += ")";
  return s;
}

}  // namespace hl
