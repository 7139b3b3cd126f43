#pragma once
// MoE router selection on the CPU (raw pointers). logits [T, E] row-major (row stride `stride`, 0 = E).
// Writes experts [T, k] and weights [T, k] (best first). Ties go to the lower expert id.
//   SoftmaxTopK:  p = softmax(logits); top-k of p; renormalise (divide by their sum) when `renormalize`
//                 (Qwen3-Next / Mixtral / Jamba).
//   TopKSoftmax:  top-k logits; weights = softmax over those k (GraniteMoE / GraniteMoeHybrid).
//   SigmoidGrouped: s = sigmoid(logits); choice = s + correction_bias; experts split into n_group groups of E/n_group,
//                 group score = sum of its top-2 choice values; keep the best topk_group groups; top-k of choice in
//                 those groups; weights = s (renormalised by sum + renormalize_eps when `renormalize`: 1e-20 in
//                 DeepSeek-V3 / Nemotron-H, 1e-6 in LFM2-MoE, which has one group).
// Every rule finally multiplies the weights by routed_scaling.
#include <cstddef>
#include <cstdint>

namespace hl::cpu {

enum class RouterRule { SoftmaxTopK, TopKSoftmax, SigmoidGrouped };

struct RouterConfig {
  RouterRule rule = RouterRule::SoftmaxTopK;
  std::size_t E = 0, k = 1;
  bool renormalize = false;
  float renormalize_eps = 1e-20f;  // SigmoidGrouped only
  float routed_scaling = 1.f;
  std::size_t n_group = 1, topk_group = 1;
};

// correction_bias: [E] or nullptr (SigmoidGrouped only). Throws std::invalid_argument on inconsistent sizes.
void route_topk(const float* logits, std::size_t stride, std::size_t T, const RouterConfig& cfg,
                const float* correction_bias, std::int32_t* experts, float* weights);

}  // namespace hl::cpu
