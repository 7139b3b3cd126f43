#pragma once
#include <string>

namespace hl {

// One line describing what this binary was built with (backends, BLAS), for --version and bug reports.
std::string build_info();

}  // namespace hl
