// ModelRunner: the mixture-of-experts feed-forward block, composed from Backend::route / gather_rows /
// scatter_add_rows and the ordinary MLP. Covers Qwen3-Next (softmax top-k, renormalised; shared expert gated by
// sigmoid(shared_expert_gate(x))), Nemotron-H (sigmoid + correction bias + groups, routed scaling, relu² experts,
// shared experts), GraniteMoeHybrid (top-k then softmax, stacked experts, shared MLP beside the MoE) and Jamba.
#include <stdexcept>
#include <string>
#include <vector>

#include "core/engine/model_runner.h"

namespace hl::engine {

namespace {

Backend::RouterScoring scoring(RouterKind k) {
  switch (k) {
    case RouterKind::SoftmaxTopK: return Backend::RouterScoring::softmax_topk;
    case RouterKind::TopKSoftmax: return Backend::RouterScoring::topk_softmax;
    case RouterKind::SigmoidGroupedTopK: return Backend::RouterScoring::sigmoid_grouped;
  }
  throw std::logic_error("unknown router kind");
}

}  // namespace

Tensor ModelRunner::moe(Context& c, const LayerPlan& layer, const MoeSpec& m, const Tensor& x) {
  const std::int64_t T = c.T, E = m.num_experts;
  const MoeWeights& w = weights_of(layer).moe;

  // Router.
  const Tensor& w_router = weights_(w.router);
  Tensor logits = backend_.alloc(DType::f32, {T, E});
  backend_.linear(x, w_router, nullptr, logits);
  Backend::RouterParams rp;
  rp.scoring = scoring(m.router);
  rp.top_k = m.top_k;
  rp.renormalize = m.renormalize;
  rp.renormalize_eps = static_cast<float>(m.renormalize_eps);
  rp.routed_scaling = static_cast<float>(m.routed_scaling_factor);
  rp.n_group = m.n_group;
  rp.topk_group = m.topk_group;
  const Backend::Routing routing = backend_.route(logits, weights_.optional(w.router_bias), rp);

  // Latent MoE: the experts read and write the latent projection of x.
  Tensor xr = x;
  if (m.latent_size > 0) xr = project(x, w.latent_in);
  const std::int64_t de = xr.dim(1);

  // Tokens per expert (expert order; within an expert, token order).
  std::vector<std::vector<std::int32_t>> rows(static_cast<std::size_t>(E));
  std::vector<std::vector<float>> weights(static_cast<std::size_t>(E));
  for (std::size_t t = 0; t < routing.T; ++t)
    for (std::size_t j = 0; j < routing.k; ++j) {
      const auto e = static_cast<std::size_t>(routing.experts[t * routing.k + j]);
      rows[e].push_back(static_cast<std::int32_t>(t));
      weights[e].push_back(routing.weights[t * routing.k + j]);
    }

  Tensor routed = backend_.alloc(DType::f32, {T, de});
  for (std::int64_t e = 0; e < E; ++e) {
    const auto& r = rows[static_cast<std::size_t>(e)];
    if (r.empty()) continue;
    const auto count = static_cast<std::int64_t>(r.size());
    Tensor xe = backend_.alloc(DType::f32, {count, de});
    backend_.gather_rows(xr, r, xe);
    MlpTensors expert;
    Tensor w_in, w_out;
    if (w.experts_gate_up != nullptr) {  // [E, (2)I, d] / [E, d, I]
      const Tensor& in = weights_(w.experts_gate_up);
      const Tensor& o = weights_(w.experts_down);
      w_in = in.slice(0, e, e + 1).reshape({in.dim(1), in.dim(2)});
      w_out = o.slice(0, e, e + 1).reshape({o.dim(1), o.dim(2)});
      expert.gate_up = &w_in;
      expert.down = &w_out;
    } else {
      expert = mlp_tensors(w.experts.at(static_cast<std::size_t>(e)));
    }
    const Tensor ye = run_mlp(m.expert, expert, xe);
    backend_.scatter_add_rows(ye, r, weights[static_cast<std::size_t>(e)], routed);
  }
  const Tensor out = m.latent_size > 0 ? project(routed, w.latent_out) : routed;

  if (m.shared_intermediate > 0) {
    const Tensor shared = run_mlp(m.shared, mlp_tensors(w.shared), x);
    std::vector<float> scale(static_cast<std::size_t>(T), 1.f);
    if (m.shared_gated_by_sigmoid) {  // shared · sigmoid(shared_expert_gate(x)), one scalar per token
      Tensor gate = backend_.alloc(DType::f32, {T, 1});
      backend_.linear(x, weights_(w.shared_gate), nullptr, gate);
      backend_.activation(Activation::Sigmoid, gate, gate);
      backend_.download(gate, scale.data());
    }
    std::vector<std::int32_t> all(static_cast<std::size_t>(T));
    for (std::int64_t t = 0; t < T; ++t) all[static_cast<std::size_t>(t)] = static_cast<std::int32_t>(t);
    backend_.scatter_add_rows(shared, all, scale, out);
  }
  return out;
}

}  // namespace hl::engine
