#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/cpu/half.h"
#include "core/cpu/token_stats.h"
#include "support/random.h"

using namespace hl::cpu;

namespace {
struct Ref {
  double nll, prob, entropy, lse;
  std::int32_t rank;
  std::vector<std::int32_t> top_ids;
  std::vector<double> top_p;
};

// Naive full-softmax reference over one row of (already transformed) logits, in double.
Ref ref_stats(const std::vector<double>& z, std::int32_t target, std::size_t k) {
  Ref r{};
  const double mx = *std::max_element(z.begin(), z.end());
  double s = 0;
  for (double v : z) s += std::exp(v - mx);
  r.lse = mx + std::log(s);
  r.entropy = 0;
  for (double v : z) {
    const double p = std::exp(v - r.lse);
    if (p > 0) r.entropy -= p * (v - r.lse);
  }
  if (target >= 0) {
    r.nll = r.lse - z[static_cast<std::size_t>(target)];
    r.prob = std::exp(-r.nll);
    r.rank = 0;
    for (double v : z) r.rank += v > z[static_cast<std::size_t>(target)] ? 1 : 0;
  }
  std::vector<std::int32_t> idx(z.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](std::int32_t a, std::int32_t b) { return z[a] > z[b]; });
  for (std::size_t j = 0; j < std::min(k, z.size()); ++j) {
    r.top_ids.push_back(idx[j]);
    r.top_p.push_back(std::exp(z[static_cast<std::size_t>(idx[j])] - r.lse));
  }
  return r;
}

struct Outs {
  std::vector<float> nll, prob, entropy, lse, tl, topp;
  std::vector<std::int32_t> rank, topi;
  TokenStatsOut out;
  Outs(std::size_t T, std::size_t k)
      : nll(T), prob(T), entropy(T), lse(T), tl(T), topp(T * k), rank(T), topi(T * k) {
    out = {nll.data(), prob.data(), rank.data(), entropy.data(), lse.data(), tl.data(), topi.data(), topp.data()};
  }
};

void compare(const Outs& o, std::size_t t, const Ref& r, std::int32_t target, std::size_t k) {
  INFO("t = " << t);
  CHECK(o.lse[t] == Approx(r.lse).margin(1e-5));
  CHECK(o.entropy[t] == Approx(r.entropy).margin(1e-5));
  if (target >= 0) {
    CHECK(o.nll[t] == Approx(r.nll).margin(1e-5));
    CHECK(o.prob[t] == Approx(r.prob).margin(1e-6));
    CHECK(o.rank[t] == r.rank);
  } else {
    CHECK(std::isnan(o.nll[t]));
    CHECK(o.rank[t] == -1);
  }
  for (std::size_t j = 0; j < k; ++j) {
    if (j < r.top_ids.size()) {
      CHECK(o.topi[t * k + j] == r.top_ids[j]);
      CHECK(o.topp[t * k + j] == Approx(r.top_p[j]).margin(1e-6));
    } else {
      CHECK(o.topi[t * k + j] == -1);
      CHECK(o.topp[t * k + j] == 0.f);
    }
  }
}
}  // namespace

TEST_CASE("token stats from logits: ties, no-target positions, transform, k > V", "[cpu][stats]") {
  // Row 0: ties with the target -> rank counts strictly greater only; top-k ties keep the lower id first.
  // Row 1: no target. Row 2: V < k.
  const std::size_t V = 6, k = 4;
  const std::vector<float> logits = {1.f, 3.f, 3.f, 0.5f, 3.f, -2.f,   //
                                     0.f, 0.f, 0.f, 0.f,  0.f, 0.f,    //
                                     9.f, -9.f, 2.f, 2.f, 1.f, 7.f};
  const std::vector<std::int32_t> targets = {2, -1, 3};
  Outs o(3, k);
  token_stats_from_logits(logits.data(), 3, V, V, targets.data(), k, LogitTransform{}, o.out);
  for (std::size_t t = 0; t < 3; ++t) {
    std::vector<double> z(logits.begin() + static_cast<long>(t * V), logits.begin() + static_cast<long>((t + 1) * V));
    compare(o, t, ref_stats(z, targets[t], k), targets[t], k);
  }
  CHECK(o.rank[0] == 0);  // tied with 1 and 4, nothing strictly greater
  CHECK(o.topi[0] == 1);
  CHECK(o.topi[1] == 2);
  CHECK(o.topi[2] == 4);
  CHECK(o.entropy[1] == Approx(std::log(6.0)).margin(1e-6));

  Outs o8(3, 8);
  token_stats_from_logits(logits.data(), 3, V, V, targets.data(), 8, LogitTransform{}, o8.out);
  CHECK(o8.topi[2 * 8 + 6] == -1);

  const LogitTransform tf{2.0f, 4.0f, 3.0f};  // z = 3 tanh((x * 2 / 4) / 3)
  Outs ot(3, k);
  token_stats_from_logits(logits.data(), 3, V, V, targets.data(), k, tf, ot.out);
  for (std::size_t t = 0; t < 3; ++t) {
    std::vector<double> z(V);
    for (std::size_t v = 0; v < V; ++v) z[v] = 3.0 * std::tanh((logits[t * V + v] * 2.0 / 4.0) / 3.0);
    compare(ot, t, ref_stats(z, targets[t], k), targets[t], k);
  }
}

TEST_CASE("lm_head_stats: chunked vocab (V not a multiple of the tile) vs a naive full softmax", "[cpu][stats]") {
  const std::size_t T = 13, H = 48, V = 1003, k = 5;
  const auto hidden = hl::test::random_floats(T * (H + 3), 101, -2.f, 2.f);
  const auto wf = hl::test::random_floats(V * H, 102, -1.f, 1.f);
  std::vector<std::uint16_t> wb(V * H);
  for (std::size_t i = 0; i < wb.size(); ++i) wb[i] = f32_to_bf16(wf[i]);
  const auto bias = hl::test::random_floats(V, 103);
  std::vector<std::int32_t> targets(T);
  for (std::size_t t = 0; t < T; ++t) targets[t] = static_cast<std::int32_t>((t * 389 + 7) % V);
  targets[T - 1] = -1;
  targets[3] = 0;
  targets[4] = static_cast<std::int32_t>(V - 1);
  const LogitTransform tf{1.0f, 1.5f, 0.0f};

  // Reference: logits in double from the widened bf16 weights.
  std::vector<Ref> refs;
  for (std::size_t t = 0; t < T; ++t) {
    std::vector<double> z(V);
    for (std::size_t v = 0; v < V; ++v) {
      double s = bias[v];
      for (std::size_t h = 0; h < H; ++h) s += static_cast<double>(hidden[t * (H + 3) + h]) * bf16_to_f32(wb[v * H + h]);
      z[v] = s / 1.5;
    }
    refs.push_back(ref_stats(z, targets[t], k));
  }
  for (std::size_t tile : {std::size_t{97}, std::size_t{256}, std::size_t{0}}) {
    INFO("tile " << tile);
    Outs o(T, k);
    std::vector<float> full(T * V, NAN);
    std::size_t covered = 0;
    const LogitsSink sink = [&](std::size_t v0, std::size_t nv, const float* tl, std::size_t ld) {
      covered += nv;
      for (std::size_t t = 0; t < T; ++t)
        for (std::size_t i = 0; i < nv; ++i) full[t * V + v0 + i] = tl[t * ld + i];
    };
    lm_head_stats(hidden.data(), T, H, H + 3, wb.data(), WType::bf16, V, bias.data(), WType::f32, targets.data(), k,
                  tf, o.out, sink, tile);
    CHECK(covered == V);
    for (std::size_t t = 0; t < T; ++t) compare(o, t, refs[t], targets[t], k);
    // The sink saw the same logits the statistics used (incl. the substituted target logit).
    Outs o2(T, k);
    token_stats_from_logits(full.data(), T, V, V, targets.data(), k, LogitTransform{}, o2.out);
    for (std::size_t t = 0; t < T; ++t) {
      CHECK(o2.rank[t] == o.rank[t]);
      CHECK(o2.lse[t] == Approx(o.lse[t]).margin(1e-6));
      if (targets[t] >= 0) CHECK(o2.nll[t] == Approx(o.nll[t]).margin(1e-6));
      if (targets[t] >= 0) CHECK(o.tl[t] == full[t * V + static_cast<std::size_t>(targets[t])]);
    }
  }
}

TEST_CASE("lm_head_stats: the target's rank is 0 exactly when it is the top-1", "[cpu][stats]") {
  const std::size_t T = 20, H = 16, V = 300, k = 3;
  const auto hidden = hl::test::random_floats(T * H, 111);
  const auto w = hl::test::random_floats(V * H, 112);
  // Pick each target as the argmax of a double-precision logit row.
  std::vector<std::int32_t> targets(T);
  for (std::size_t t = 0; t < T; ++t) {
    double best = -1e300;
    for (std::size_t v = 0; v < V; ++v) {
      double s = 0;
      for (std::size_t h = 0; h < H; ++h) s += static_cast<double>(hidden[t * H + h]) * w[v * H + h];
      if (s > best) {
        best = s;
        targets[t] = static_cast<std::int32_t>(v);
      }
    }
  }
  Outs o(T, k);
  lm_head_stats(hidden.data(), T, H, H, w.data(), WType::f32, V, nullptr, WType::f32, targets.data(), k,
                LogitTransform{}, o.out, {}, 64);
  for (std::size_t t = 0; t < T; ++t) {
    CHECK(o.rank[t] == 0);
    CHECK(o.topi[t * k] == targets[t]);
    CHECK(o.prob[t] == Approx(o.topp[t * k]).epsilon(1e-6));
  }
}
