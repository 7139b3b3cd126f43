// lm_head_stats and MoE routing vs their CPU twins (tests/cuda/twin.h).
#include "twin.h"

using namespace hl::test;
using hl::engine::Backend;
using hl::engine::LogitParams;
using hl::engine::TokenStats;

namespace {

void compare_stats(const TokenStats& g, const TokenStats& c, bool exact_ranks, double tol) {
  REQUIRE(g.T == c.T);
  REQUIRE(g.k == c.k);
  REQUIRE(g.nll.size() == c.nll.size());
  REQUIRE(g.topk_ids.size() == c.topk_ids.size());
  // Log-domain numbers: absolute differences (nats) against the tolerance scaled by the logits' size.
  double worst_nll = 0, worst_lse = 0, worst_entropy = 0, worst_prob = 0;
  for (std::size_t t = 0; t < c.T; ++t) {
    const bool has_target = c.rank[t] >= 0;
    CHECK((g.rank[t] >= 0) == has_target);
    if (has_target) {
      worst_nll = std::max(worst_nll, std::fabs(static_cast<double>(g.nll[t]) - c.nll[t]));
      worst_prob = std::max(worst_prob, std::fabs(static_cast<double>(g.prob[t]) - c.prob[t]));
      CHECK(std::fabs(static_cast<double>(g.target_logit[t]) - c.target_logit[t]) <=
            1e-5 * std::max(1.0, std::fabs(static_cast<double>(c.target_logit[t]))));
      if (exact_ranks)
        CHECK(g.rank[t] == c.rank[t]);
      else
        CHECK(std::abs(g.rank[t] - c.rank[t]) <= 10);  // bf16-rounded activations reorder near-equal logits
    } else {
      CHECK(std::isnan(g.nll[t]));
    }
    worst_lse = std::max(worst_lse, std::fabs(static_cast<double>(g.lse[t]) - c.lse[t]));
    worst_entropy = std::max(worst_entropy, std::fabs(static_cast<double>(g.entropy[t]) - c.entropy[t]));
    for (std::size_t j = 0; j < c.k; ++j) {
      const std::size_t i = t * c.k + j;
      // Sorted probabilities are stable under small perturbations even where near-ties swap ids.
      CHECK(std::fabs(static_cast<double>(g.topk_probs[i]) - c.topk_probs[i]) <= tol);
      if (exact_ranks) CHECK(g.topk_ids[i] == c.topk_ids[i]);
      CHECK((g.topk_ids[i] < 0) == (c.topk_ids[i] < 0));
    }
  }
  INFO("worst |Δ| nll " << worst_nll << " lse " << worst_lse << " entropy " << worst_entropy << " prob "
                        << worst_prob);
  CHECK(worst_nll <= tol);
  CHECK(worst_lse <= tol);
  CHECK(worst_entropy <= tol);
  CHECK(worst_prob <= tol);
}

}  // namespace

TEST_CASE("cuda lm_head_stats matches the CPU backend: dtypes, bias, transforms, full logits, row blocks", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 33, H = 64, V = 1000;
  std::mt19937 rng(seed);
  std::vector<std::int32_t> targets(static_cast<std::size_t>(T));
  for (auto& id : targets) id = static_cast<std::int32_t>(rng() % V);
  targets.back() = -1;
  targets[5] = -1;
  const Pair hidden = random_pair({T, H + 3}, seed + 1, -2.f, 2.f).map([&](const Tensor& t) {
    return t.slice(1, 0, H);  // strided rows
  });
  unsigned s = seed + 2;
  for (const DType dt : {DType::f32, DType::bf16}) {
    for (int variant = 0; variant < 4; ++variant) {
      INFO(dtype_label(dt) << " variant " << variant);
      const Pair w = random_pair({V, H}, s++, -0.5f, 0.5f, dt);
      const Pair b = random_pair({V}, s++, -1.f, 1.f, dt);
      LogitParams p;
      if (variant == 1) p.multiplier = 1.7f, p.divisor = 2.f;
      if (variant == 2) p.softcap = 5.f;
      const bool bias = variant == 1, full = variant == 3;
      tw.gpu.set_lm_head_block_bytes(variant == 2 ? 7 * V * 4 : std::uint64_t{256} << 20);  // several row blocks
      const Pair logits = poisoned({T, V});
      const TokenStats c = tw.cpu.lm_head_stats(hidden.cpu, w.cpu, bias ? &b.cpu : nullptr, targets, 7, p,
                                                full ? &logits.cpu : nullptr);
      const TokenStats g = tw.gpu.lm_head_stats(hidden.gpu, w.gpu, bias ? &b.gpu : nullptr, targets, 7, p,
                                                full ? &logits.gpu : nullptr);
      compare_stats(g, c, dt == DType::f32, dt == DType::f32 ? 1e-4 : 3e-2);
      if (full) CHECK(pair_err(logits) < (dt == DType::f32 ? kF32 : kBf16));
    }
  }
  tw.gpu.set_lm_head_block_bytes(std::uint64_t{256} << 20);
}

TEST_CASE("cuda lm_head_stats: k larger than the vocabulary, k = 0", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 4, H = 8, V = 5;
  const std::vector<std::int32_t> targets = {1, 4, 0, -1};
  const Pair hidden = random_pair({T, H}, seed), w = random_pair({V, H}, seed + 1);
  for (const std::size_t k : {std::size_t{0}, std::size_t{10}}) {
    const TokenStats c = tw.cpu.lm_head_stats(hidden.cpu, w.cpu, nullptr, targets, k, {});
    const TokenStats g = tw.gpu.lm_head_stats(hidden.gpu, w.gpu, nullptr, targets, k, {});
    compare_stats(g, c, true, 1e-5);
  }
}

TEST_CASE("cuda route matches the CPU backend for every scoring rule", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 40, E = 64;
  const Pair logits = random_pair({T, E}, seed, -4.f, 4.f);
  const Pair bias = random_pair({E}, seed + 1, -0.2f, 0.2f);
  struct Case {
    Backend::RouterScoring scoring;
    std::int64_t k;
    bool renormalize, with_bias;
    std::int64_t n_group, topk_group;
    float scaling;
  };
  const Case cases[] = {
      {Backend::RouterScoring::softmax_topk, 8, true, false, 1, 1, 1.f},
      {Backend::RouterScoring::softmax_topk, 2, false, false, 1, 1, 2.5f},
      {Backend::RouterScoring::topk_softmax, 6, false, false, 1, 1, 1.f},
      {Backend::RouterScoring::sigmoid_grouped, 6, true, true, 8, 4, 2.5f},
      {Backend::RouterScoring::sigmoid_grouped, 4, false, true, 1, 1, 1.f},
  };
  for (const Case& c : cases) {
    INFO("rule " << static_cast<int>(c.scoring) << " k " << c.k);
    Backend::RouterParams p;
    p.scoring = c.scoring, p.top_k = c.k, p.renormalize = c.renormalize, p.routed_scaling = c.scaling;
    p.n_group = c.n_group, p.topk_group = c.topk_group;
    const Backend::Routing rc = tw.cpu.route(logits.cpu, c.with_bias ? &bias.cpu : nullptr, p);
    const Backend::Routing rg = tw.gpu.route(logits.gpu, c.with_bias ? &bias.gpu : nullptr, p);
    REQUIRE(rg.experts.size() == rc.experts.size());
    CHECK(rg.experts == rc.experts);
    CHECK(max_rel_err(rg.weights, rc.weights) < kF32);
  }
}
