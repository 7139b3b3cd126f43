// MoE router selection. CPU twin: core/cpu/moe_routing.h (rules, tie-breaking and float/double steps copied from it).
// Layout: logits [T, E] fp32 (row stride ld); correction_bias [E] (stored dtype) or absent; experts / weights [T, k]
// packed, best first. One thread per token: E is at most a few hundred and k small, so each selection is an O(k·E)
// scan ("the best entry ordered after the previous pick", order = value desc, index asc) with no per-thread arrays
// beyond the group scores (n_group <= 64).
#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

// out[j] = index of the j-th entry in (value desc, index asc) order among [0, n), j < k.
template <class F>
__device__ void select_topk(std::int64_t n, std::int64_t k, F value, std::int32_t* out) {
  float pv = 0.f;
  std::int64_t pi = -1;
  for (std::int64_t j = 0; j < k; ++j) {
    std::int64_t bi = -1;
    float bv = 0.f;
    for (std::int64_t e = 0; e < n; ++e) {
      const float v = value(e);
      if (pi >= 0 && !(v < pv || (v == pv && e > pi))) continue;  // already taken (ordered before the last pick)
      if (bi < 0 || v > bv || (v == bv && e < bi)) {
        bv = v;
        bi = e;
      }
    }
    out[j] = static_cast<std::int32_t>(bi);
    pv = bv;
    pi = bi;
  }
}

__global__ void route_kernel(RouteArgs a) {
  const std::int64_t t = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (t >= a.T) return;
  const float* l = a.logits + t * a.ld;
  std::int32_t* ex = a.experts + t * a.k;
  float* w = a.weights + t * a.k;
  const std::int64_t E = a.E, k = a.k;
  switch (a.rule) {
    case RouterRule::softmax_topk: {
      float mx = l[0];
      for (std::int64_t e = 1; e < E; ++e) mx = fmaxf(mx, l[e]);
      double sum = 0.0;
      for (std::int64_t e = 0; e < E; ++e) sum += expf(l[e] - mx);
      auto p = [&](std::int64_t e) { return static_cast<float>(static_cast<double>(expf(l[e] - mx)) / sum); };
      select_topk(E, k, p, ex);
      float s = 0.f;
      for (std::int64_t j = 0; j < k; ++j) s += p(ex[j]);
      for (std::int64_t j = 0; j < k; ++j) w[j] = a.renormalize ? p(ex[j]) / s : p(ex[j]);
      break;
    }
    case RouterRule::topk_softmax: {
      select_topk(E, k, [&](std::int64_t e) { return l[e]; }, ex);
      const float mx = l[ex[0]];
      double sum = 0.0;
      for (std::int64_t j = 0; j < k; ++j) sum += exp(static_cast<double>(l[ex[j]] - mx));
      for (std::int64_t j = 0; j < k; ++j) w[j] = static_cast<float>(exp(static_cast<double>(l[ex[j]] - mx)) / sum);
      break;
    }
    case RouterRule::sigmoid_grouped: {
      auto p = [&](std::int64_t e) { return 1.f / (1.f + expf(-l[e])); };
      auto choice = [&](std::int64_t e) { return p(e) + load_param_or(a.correction_bias, e, 0.f); };
      const std::int64_t G = a.n_group, per = E / G;
      unsigned long long keep = ~0ull;
      if (a.topk_group < G) {
        float gscore[64];
        for (std::int64_t g = 0; g < G; ++g) {
          std::int32_t top2[2];
          const std::int64_t n2 = per < 2 ? per : 2;
          select_topk(per, n2, [&](std::int64_t i) { return choice(g * per + i); }, top2);
          float s = 0.f;
          for (std::int64_t j = 0; j < n2; ++j) s += choice(g * per + top2[j]);
          gscore[g] = s;
        }
        std::int32_t groups[64];
        select_topk(G, a.topk_group, [&](std::int64_t g) { return gscore[g]; }, groups);
        keep = 0;
        for (std::int64_t j = 0; j < a.topk_group; ++j) keep |= 1ull << groups[j];
      }
      select_topk(E, k, [&](std::int64_t e) { return (keep >> (e / per)) & 1ull ? choice(e) : -INFINITY; }, ex);
      float s = 0.f;
      for (std::int64_t j = 0; j < k; ++j) s += p(ex[j]);
      for (std::int64_t j = 0; j < k; ++j) w[j] = a.renormalize ? p(ex[j]) / (s + a.renormalize_eps) : p(ex[j]);
      break;
    }
  }
  for (std::int64_t j = 0; j < k; ++j) w[j] *= a.routed_scaling;
}

}  // namespace

void route(const RouteArgs& a, cudaStream_t s) {
  if (a.T == 0) return;
  if (a.E <= 0 || a.k <= 0 || a.k > a.E) throw std::runtime_error("route: need 0 < k <= E");
  if (a.rule == RouterRule::sigmoid_grouped &&
      (a.n_group <= 0 || a.n_group > 64 || a.E % a.n_group != 0 || a.topk_group <= 0 || a.topk_group > a.n_group))
    throw std::runtime_error("route: n_group must divide E (n_group <= 64) and 0 < topk_group <= n_group");
  constexpr int kThreads = 128;
  route_kernel<<<grid_of((a.T + kThreads - 1) / kThreads, "route"), kThreads, 0, s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace hl::cuda
