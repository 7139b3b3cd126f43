#include "core/cpu/moe_routing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace hl::cpu {

namespace {

// Indices of the k largest values (descending; ties -> lower index first), among entries with allowed[i].
void top_k(const float* v, std::size_t n, std::size_t k, std::vector<std::size_t>& idx) {
  idx.resize(n);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](std::size_t a, std::size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
  idx.resize(k);
}

}  // namespace

void route_topk(const float* logits, std::size_t stride, std::size_t T, const RouterConfig& cfg,
                const float* correction_bias, std::int32_t* experts, float* weights) {
  const std::size_t E = cfg.E, k = cfg.k;
  if (E == 0 || k == 0 || k > E) throw std::invalid_argument("route_topk: need 0 < k <= E");
  if (cfg.rule == RouterRule::SigmoidGrouped &&
      (cfg.n_group == 0 || E % cfg.n_group != 0 || cfg.topk_group == 0 || cfg.topk_group > cfg.n_group))
    throw std::invalid_argument("route_topk: n_group must divide E and 0 < topk_group <= n_group");
  const std::size_t ls = stride ? stride : E;
  std::vector<float> p(E), choice(E);
  std::vector<std::size_t> idx, gidx;
  for (std::size_t t = 0; t < T; ++t) {
    const float* l = logits + t * ls;
    std::int32_t* ex = experts + t * k;
    float* w = weights + t * k;
    switch (cfg.rule) {
      case RouterRule::SoftmaxTopK: {
        const float mx = *std::max_element(l, l + E);
        double sum = 0;
        for (std::size_t e = 0; e < E; ++e) sum += (p[e] = std::exp(l[e] - mx));
        for (std::size_t e = 0; e < E; ++e) p[e] = static_cast<float>(p[e] / sum);
        top_k(p.data(), E, k, idx);
        float s = 0;
        for (std::size_t j = 0; j < k; ++j) s += p[idx[j]];
        for (std::size_t j = 0; j < k; ++j) {
          ex[j] = static_cast<std::int32_t>(idx[j]);
          w[j] = cfg.renormalize ? p[idx[j]] / s : p[idx[j]];
        }
        break;
      }
      case RouterRule::TopKSoftmax: {
        top_k(l, E, k, idx);
        const float mx = l[idx[0]];
        double sum = 0;
        for (std::size_t j = 0; j < k; ++j) sum += std::exp(static_cast<double>(l[idx[j]] - mx));
        for (std::size_t j = 0; j < k; ++j) {
          ex[j] = static_cast<std::int32_t>(idx[j]);
          w[j] = static_cast<float>(std::exp(static_cast<double>(l[idx[j]] - mx)) / sum);
        }
        break;
      }
      case RouterRule::SigmoidGrouped: {
        for (std::size_t e = 0; e < E; ++e) {
          p[e] = 1.f / (1.f + std::exp(-l[e]));
          choice[e] = p[e] + (correction_bias ? correction_bias[e] : 0.f);
        }
        const std::size_t G = cfg.n_group, per = E / G;
        if (cfg.topk_group < G) {
          std::vector<float> gscore(G);
          for (std::size_t g = 0; g < G; ++g) {
            top_k(choice.data() + g * per, per, std::min<std::size_t>(2, per), gidx);
            float s = 0;
            for (std::size_t j : gidx) s += choice[g * per + j];
            gscore[g] = s;
          }
          top_k(gscore.data(), G, cfg.topk_group, gidx);
          std::vector<char> keep(G, 0);
          for (std::size_t g : gidx) keep[g] = 1;
          for (std::size_t e = 0; e < E; ++e)
            if (!keep[e / per]) choice[e] = -std::numeric_limits<float>::infinity();
        }
        top_k(choice.data(), E, k, idx);
        float s = 0;
        for (std::size_t j = 0; j < k; ++j) s += p[idx[j]];
        for (std::size_t j = 0; j < k; ++j) {
          ex[j] = static_cast<std::int32_t>(idx[j]);
          w[j] = cfg.renormalize ? p[idx[j]] / (s + cfg.renormalize_eps) : p[idx[j]];
        }
        break;
      }
    }
    for (std::size_t j = 0; j < k; ++j) w[j] *= cfg.routed_scaling;
  }
}

}  // namespace hl::cpu
