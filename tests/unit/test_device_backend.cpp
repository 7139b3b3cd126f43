// core/engine/device_backend.h: the device list the GUI offers and the factory behind --device. The cuda entry is
// checked for the build it runs in: no CUDA backend, CUDA without a GPU (this machine), or a GPU.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "core/engine/device_backend.h"

using Catch::Matchers::StartsWith;
using hl::engine::available_devices;
using hl::engine::make_backend;

namespace {

std::string backend_error(const std::string& device) {
  try {
    (void)make_backend(device);
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    CHECK(m.find('\n') == std::string::npos);
    return m;
  }
  return "(opened)";
}

}  // namespace

TEST_CASE("available_devices lists the CPU first, always available", "[device]") {
  const auto devices = available_devices();
  REQUIRE(devices.size() == 2);
  CHECK(devices[0].id == "cpu");
  CHECK(devices[0].available);
  CHECK(devices[0].reason.empty());
  CHECK_THAT(devices[0].label, StartsWith("CPU ("));
  CHECK(devices[1].id == "cuda");
}

TEST_CASE("make_backend opens the CPU and refuses unknown devices in one line", "[device]") {
  CHECK(make_backend("cpu")->device() == hl::engine::Device::cpu);
  CHECK(backend_error("tpu") == "--device must be cpu or cuda, got 'tpu'");
  CHECK(backend_error("") == "--device must be cpu or cuda, got ''");
}

TEST_CASE("the cuda entry says whether make_backend can open CUDA, and why not", "[device]") {
  const auto cuda = available_devices().at(1);
#ifdef HL_WITH_CUDA
  if (cuda.available) {
    CHECK_THAT(cuda.label, StartsWith("CUDA:"));
    CHECK(cuda.reason.empty());
    CHECK(make_backend("cuda")->device() == hl::engine::Device::cuda);
  } else {
    CHECK_FALSE(cuda.reason.empty());
    CHECK(cuda.reason.find('\n') == std::string::npos);
    CHECK_THAT(backend_error("cuda"), StartsWith("--device cuda: " + cuda.reason));
  }
#else
  CHECK_FALSE(cuda.available);
  CHECK(cuda.reason == "this build has no CUDA backend (configure with -DHL_CUDA=ON)");
  CHECK(backend_error("cuda") == "--device cuda: this build has no CUDA backend (configure with -DHL_CUDA=ON)");
#endif
}
