// bind_weights: the typed per-layer structs the forward pass reads, filled once from the bound roles of a fixture
// (present tensors point at the checkpoint's, absent optional ones are nullptr), and ModelWeights' one cache.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "core/engine/cpu_backend.h"
#include "core/engine/model_weights.h"
#include "core/model/layer_weights.h"
#include "core/model/model_binding.h"
#include "core/model/weight_sharing.h"

namespace fs = std::filesystem;

namespace {

struct BoundFixture {
  explicit BoundFixture(const std::string& family)
      : plan(hl::open_model_plan(fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models" / family)),
        bound(hl::BoundModel::bind(plan.spec, plan.checkpoint)),
        weights(hl::bind_weights(plan.spec, bound)) {}

  hl::ModelPlan plan;
  hl::BoundModel bound;
  hl::BoundWeights weights;
};

std::string name_of(hl::Weight w) { return w == nullptr ? "(none)" : w->name; }

}  // namespace

TEST_CASE("bind_weights: a llama fixture's structs hold its checkpoint tensors, absent ones are nullptr",
          "[layer_weights]") {
  const BoundFixture f("llama");
  REQUIRE(f.weights.layers.size() == f.plan.spec.layers.size());
  const hl::LayerWeights& l0 = f.weights.layers.at(0);
  REQUIRE(l0.attn.q.weight != nullptr);
  CHECK(l0.attn.q.weight->name == "model.layers.0.self_attn.q_proj.weight");
  CHECK(l0.attn.q.weight->shape == f.plan.checkpoint.find("model.layers.0.self_attn.q_proj.weight")->shape);
  CHECK(l0.attn.k.weight->shape == hl::Shape{32, 64});
  CHECK(l0.attn.q.bias == nullptr);      // llama has no attention biases
  CHECK(l0.attn.qkv.weight == nullptr);  // nor a fused projection
  CHECK(name_of(l0.mlp.down.weight) == "model.layers.0.mlp.down_proj.weight");
  CHECK(l0.mlp.gate_up.weight == nullptr);
  CHECK(name_of(l0.pre_mixer_norm.weight) == "model.layers.0.input_layernorm.weight");
  CHECK(l0.pre_mixer_norm.bias == nullptr);  // RMSNorm
  CHECK(l0.mamba.in_proj.weight == nullptr);
  CHECK(name_of(f.weights.lm_head) == "lm_head.weight");
  CHECK(name_of(f.weights.final_norm.weight) == "model.norm.weight");
  CHECK(f.weights.shared_blocks.empty());
}

TEST_CASE("bind_weights: qwen2's attention biases, and its tied lm_head is the embedding", "[layer_weights]") {
  const BoundFixture f("qwen2");
  const hl::AttentionWeights& a = f.weights.layers.at(1).attn;
  CHECK(name_of(a.q.bias) == "model.layers.1.self_attn.q_proj.bias");
  CHECK(name_of(a.v.bias) == "model.layers.1.self_attn.v_proj.bias");
  CHECK(a.o.bias == nullptr);
  REQUIRE(f.plan.spec.tied_embeddings);
  CHECK(f.weights.lm_head->data == f.weights.embedding->data);

  // One backend tensor per stored tensor: the tied head is the embedding's, not a second copy.
  hl::engine::CpuBackend backend(1);
  hl::engine::ModelWeights tensors(backend);
  CHECK(&tensors(f.weights.lm_head) == &tensors(f.weights.embedding));
  CHECK(tensors(a.q.weight).dim(0) == a.q.weight->shape[0]);
  CHECK(tensors.optional(a.o.bias) == nullptr);
  CHECK_THROWS_AS(tensors(a.o.bias), std::logic_error);
}

TEST_CASE("bind_weights: lfm2_moe's experts one struct each, with the router's bias", "[layer_weights]") {
  const BoundFixture f("lfm2_moe");
  const hl::LayerWeights& l2 = f.weights.layers.at(2);
  REQUIRE(l2.moe.experts.size() == 4);
  CHECK(name_of(l2.moe.experts[3].down.weight) == "model.layers.2.feed_forward.experts.3.w2.weight");
  CHECK(name_of(l2.moe.experts[0].gate.weight) == "model.layers.2.feed_forward.experts.0.w1.weight");
  CHECK(name_of(l2.moe.router) == "model.layers.2.feed_forward.gate.weight");
  CHECK(name_of(l2.moe.router_bias) == "model.layers.2.feed_forward.expert_bias");
  CHECK(l2.moe.experts_gate_up == nullptr);
  CHECK(name_of(l2.conv.in_proj.bias) == "model.layers.2.conv.in_proj.bias");
  CHECK(f.weights.layers.at(0).moe.experts.empty());  // the dense layer
}

TEST_CASE("bind_weights: zamba2's shared blocks once each, every hybrid layer's own linear and adapters",
          "[layer_weights]") {
  const BoundFixture f("zamba2");
  REQUIRE(f.plan.spec.layers.at(1).shared_block == 0);
  REQUIRE(f.weights.shared_blocks.size() == f.plan.spec.shared_blocks.size());
  const hl::SharedBlockWeights& block = f.weights.shared_blocks[0];
  // Stored under every layer that uses the block; the first one's copy is read.
  CHECK(name_of(block.attn.q.weight) == "model.layers.1.shared_transformer.self_attn.q_proj.weight");
  CHECK(name_of(block.mlp.gate_up.weight) == "model.layers.1.shared_transformer.feed_forward.gate_up_proj.weight");
  CHECK(name_of(block.input_norm.weight) == "model.layers.1.shared_transformer.input_layernorm.weight");
  const hl::LayerWeights& l3 = f.weights.layers.at(3);
  CHECK(name_of(l3.hybrid.linear) == "model.layers.3.linear.weight");
  CHECK(name_of(l3.hybrid.q.down) == "model.layers.3.shared_transformer.self_attn.linear_q_adapter_list.1.0.weight");
  CHECK(name_of(l3.hybrid.gate_up.up) ==
        "model.layers.3.shared_transformer.feed_forward.gate_up_proj_adapter_list.1.1.weight");
  CHECK(f.weights.layers.at(0).hybrid.linear == nullptr);  // not a hybrid layer
}
