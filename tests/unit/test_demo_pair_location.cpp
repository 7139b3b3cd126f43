// Where the executables look for the built-in demo pair: beside them in share/hybridlens/demo (build tree and
// installed package alike), or wherever HYBRIDLENS_DEMO_DIR says.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/util/demo_pair.h"

namespace fs = std::filesystem;

namespace {

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

// <root>/bin and a complete demo in <root>/share/hybridlens/demo.
fs::path make_tree(const fs::path& root) {
  fs::remove_all(root);
  fs::create_directories(root / "bin");
  const fs::path demo = root / "share" / "hybridlens" / "demo";
  for (const char* model : {"olmo-hybrid-mini", "olmo3-mini"})
    for (const char* file : {"config.json", "model.safetensors", "tokenizer.json"}) touch(demo / model / file);
  touch(demo / "sample.txt");
  return demo;
}

}  // namespace

TEST_CASE("demo pair: found in ../share/hybridlens/demo beside the executable", "[demo]") {
  unsetenv("HYBRIDLENS_DEMO_DIR");
  const fs::path root = fs::path(HL_TEST_OUTPUT_DIR) / "demo_location";
  const fs::path demo = make_tree(root);
  const auto found = hl::find_demo_pair(root / "bin");
  REQUIRE(found);
  CHECK(fs::equivalent(found->hybrid, demo / "olmo-hybrid-mini"));
  CHECK(fs::equivalent(found->transformer, demo / "olmo3-mini"));
  CHECK(fs::equivalent(found->sample, demo / "sample.txt"));

  SECTION("an incomplete pair is not offered") {
    fs::remove(demo / "olmo3-mini" / "tokenizer.json");
    CHECK_FALSE(hl::find_demo_pair(root / "bin"));
  }
  SECTION("HYBRIDLENS_DEMO_DIR wins, and is not second-guessed when it is wrong") {
    const fs::path other = fs::path(HL_TEST_OUTPUT_DIR) / "demo_location_env";
    const fs::path other_demo = make_tree(other);
    setenv("HYBRIDLENS_DEMO_DIR", other_demo.c_str(), 1);
    const auto from_env = hl::find_demo_pair(root / "bin");
    REQUIRE(from_env);
    CHECK(fs::equivalent(from_env->folder, other_demo));
    setenv("HYBRIDLENS_DEMO_DIR", (other / "nowhere").c_str(), 1);
    CHECK_FALSE(hl::find_demo_pair(root / "bin"));
    unsetenv("HYBRIDLENS_DEMO_DIR");
  }
}
