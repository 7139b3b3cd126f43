// ModelRunner behaviour beyond the numbers (those are the golden tests): progress, cancellation, the context limit
// and windowed scoring. Uses the tiny llama fixture (2 layers, vocab 512, context 512).
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"
#include "core/engine/windowed_scoring.h"

namespace {

std::vector<std::int32_t> ramp(std::size_t n) {
  std::vector<std::int32_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = static_cast<std::int32_t>((i * 37 + 11) % 512);
  return ids;
}

struct Fixture {
  hl::engine::CpuBackend backend;
  std::unique_ptr<hl::engine::LoadedModel> model =
      hl::engine::LoadedModel::open(std::string(HL_TEST_DATA_DIR) + "/fixtures/models/llama", backend);
};

}  // namespace

TEST_CASE("runner reports progress once per layer plus the embeddings", "[engine]") {
  Fixture f;
  std::vector<int> seen;
  hl::engine::ScoreOptions opt;
  opt.progress = [&](int done, int total) {
    CHECK(total == 2);
    seen.push_back(done);
  };
  f.model->runner().score(ramp(9), opt);
  CHECK(seen == std::vector<int>{0, 1, 2});
}

TEST_CASE("runner stops at the next layer boundary when cancelled", "[engine]") {
  Fixture f;
  std::atomic<bool> cancel{false};
  hl::engine::ScoreOptions opt;
  opt.cancel = &cancel;
  opt.progress = [&](int done, int) {
    if (done == 1) cancel = true;
  };
  CHECK_THROWS_AS(f.model->runner().score(ramp(9), opt), hl::engine::ScoreCancelled);
  cancel = false;  // the runner is usable afterwards
  opt.progress = nullptr;
  CHECK(f.model->runner().score(ramp(9), opt).T == 9);
}

TEST_CASE("text longer than the context is refused with a pointer to windowed scoring", "[engine]") {
  Fixture f;
  CHECK_THROWS_WITH(f.model->runner().score(ramp(513)), Catch::Contains("context is 512") && Catch::Contains("--window"));
}

TEST_CASE("windowed scoring: the first window is exact, later positions keep at least window-stride context",
          "[engine]") {
  Fixture f;
  const auto ids = ramp(40);
  const auto full = f.model->runner().score(ids);
  hl::engine::WindowOptions w;
  w.window = 16;
  w.stride = 8;
  const auto win = hl::engine::score_windowed(f.model->runner(), ids, w, {});
  REQUIRE(win.T == 40);
  REQUIRE(win.stats.nll.size() == 40);
  // Positions 0..14 (targets inside the first window) come from the first window: identical to the full pass.
  for (std::size_t t = 0; t < 15; ++t) CHECK(win.stats.nll[t] == Approx(full.stats.nll[t]).margin(1e-6));
  // Position 15 comes from the window starting at 8, with less context: it differs from the full pass.
  CHECK(std::fabs(win.stats.nll[15] - full.stats.nll[15]) > 1e-6);
  // The last position has no target in both.
  CHECK(std::isnan(win.stats.nll[39]));
  // Windowed result equals a direct score of the window that produced it: position 15 = window [8, 24) position 7.
  const std::vector<std::int32_t> sub(ids.begin() + 8, ids.begin() + 24);
  CHECK(win.stats.nll[15] == Approx(f.model->runner().score(sub).stats.nll[7]).margin(1e-6));
  // A window covering the whole text is the plain pass.
  w.window = 64;
  const auto whole = hl::engine::score_windowed(f.model->runner(), ids, w, {});
  for (std::size_t t = 0; t + 1 < 40; ++t) CHECK(whole.stats.nll[t] == full.stats.nll[t]);
}
