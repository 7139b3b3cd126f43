#include "app/cli/bench_support.h"

#include <cstdio>
#include <fstream>

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

}  // namespace

std::string peak_memory_text(engine::Backend& backend) {
  char buf[256];
  if (backend.device() == engine::Device::cpu) {
    std::snprintf(buf, sizeof buf, "peak RSS %.0f MiB", peak_rss_mib());
  } else {
    std::snprintf(buf, sizeof buf, "peak GPU memory %.0f MiB (engine allocations, %s), peak RSS %.0f MiB",
                  static_cast<double>(backend.peak_memory()) / (1024.0 * 1024.0), backend.device_description().c_str(),
                  peak_rss_mib());
  }
  return buf;
}

}  // namespace hl::cli
