// CUDA tests: without a GPU every test exits with 77, which CTest (SKIP_RETURN_CODE) reports as skipped.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>

#include "kernels/device.h"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i) listing = listing || std::strncmp(argv[i], "--list", 6) == 0;
  if (!listing && hl::cuda::device_count() == 0) {
    std::printf("SKIPPED: %s\n", hl::cuda::describe_device().c_str());
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
