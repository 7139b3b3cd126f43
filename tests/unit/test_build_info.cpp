#include <catch2/catch.hpp>

#include "core/util/build_info.h"
#include "core/util/version.h"

TEST_CASE("build info names the version and the CPU backend", "[cli]") {
  const std::string s = hl::build_info();
  CHECK(s.find(hl::kVersion) != std::string::npos);
  CHECK(s.find("cpu") != std::string::npos);
}
