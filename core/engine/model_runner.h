#pragma once
// ModelRunner: one teacher-forced prefill pass of a model over a token sequence, composed from Backend primitives
// according to the ModelSpec's layer plan. The same composition runs on every backend.
//
// Per position t the result describes the prediction of ids[t + 1] from ids[0..t] (the last position has no target:
// its NLL is NaN, rank -1). Positions whose logits were not finite are flagged in TokenStats::invalid.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <stdexcept>
#include <vector>

#include "core/checkpoint/checkpoint.h"
#include "core/engine/backend.h"
#include "core/engine/model_weights.h"
#include "core/model/layer_weights.h"
#include "core/model/model_binding.h"
#include "core/model/model_spec.h"

namespace hl::engine {

struct ScoreOptions {
  std::size_t top_k = 5;            // ≤ 20
  bool keep_logits = false;         // fill ScoreResult::logits [T, V]
  bool keep_hidden_states = false;  // fill ScoreResult::hidden_states (for golden tests and the logit lens)
  bool state_norms = false;         // recurrent-state norms per layer, token and head
  // > 0: the softmax runs over token ids [0, vocab_limit) only. Checkpoints pad their embedding matrix beyond the
  // tokenizer (Olmo Hybrid: 100278 real tokens, 100352 rows); padded rows are never a real next token.
  std::int64_t vocab_limit = 0;
  // Called after the embeddings (layer -1) and after each layer with (layers done, total layers).
  std::function<void(int done, int total)> progress;
  const std::atomic<bool>* cancel = nullptr;  // checked between layers
};

struct ScoreResult {
  std::size_t T = 0;
  std::vector<std::string> notes;  // one line each, for the user (e.g. a text scored past max_position_embeddings)
  TokenStats stats;
  // residual_norms[l][t]: L2 norm of the residual stream of token t after layer l-1 (l = 0: the embeddings).
  std::vector<std::vector<float>> residual_norms;
  // hidden_states[l] [T, hidden]: l = 0 the embeddings (after any multiplier), l = 1..L the residual stream after
  // layer l-1, and one more entry: the final-normed hidden state the LM head reads.
  std::vector<std::vector<float>> hidden_states;
  std::vector<float> logits;  // [T, V] when keep_logits
  // layer index → [T, heads] (token-major) Frobenius norms of each head's recurrent state AFTER consuming token t
  // (row t includes token t). Heads: Mamba2 heads ([head_dim, d_state] states), Gated DeltaNet value heads
  // ([d_k, d_v]), Mamba1 one "head" (the whole [d_inner, d_state] state). Filled when ScoreOptions::state_norms.
  std::map<int, std::vector<float>> state_norms;
  std::map<int, int> state_norm_heads;  // layer index → heads
  double seconds = 0;
};

class ScoreCancelled : public std::runtime_error {
 public:
  ScoreCancelled() : std::runtime_error("scoring cancelled") {}
};

class ModelRunner {
 public:
  // Binds the checkpoint to the spec's plan (BoundModel::bind): throws naming the first missing or misshapen tensor.
  // The weights stay views into the checkpoint's mapping: the checkpoint must outlive the runner.
  ModelRunner(const ModelSpec& spec, const Checkpoint& checkpoint, Backend& backend);

  ScoreResult score(std::span<const std::int32_t> ids, const ScoreOptions& options = {});

  const ModelSpec& spec() const { return spec_; }
  const BoundModel& bound() const { return bound_; }

 private:
  struct Context;
  void run_layer(Context& c, const LayerPlan& layer);
  Tensor mixer(Context& c, const LayerPlan& layer, const Tensor& x);
  Tensor ffn(Context& c, const LayerPlan& layer, const Tensor& x);
  // hybrid: Zamba2's hybrid layer whose LoRA adapters are added to the q/k/v projections (shared block only).
  Tensor attention(Context& c, const AttentionSpec& a, const AttentionWeights& w, const Tensor& x,
                   const HybridWeights* hybrid = nullptr);
  // The RoPE cos/sin tables [T, rotary_dim / 2] for `rope` over heads of `head_dim`, built once per sequence.
  const std::pair<Tensor, Tensor>& rope_cos_sin(Context& c, const RopeSpec& rope, std::int64_t head_dim);
  // Zamba2: the shared transformer block's output for a hybrid layer, after the per-layer `linear`.
  Tensor shared_block(Context& c, const LayerPlan& layer, const Tensor& h);
  void norm(const NormSpec& n, const LinearWeights& w, const Tensor& x, const Tensor& y);
  Tensor normed(const NormSpec& n, const LinearWeights& w, const Tensor& x);
  // y [rows of x, out] = x · wᵀ (+ bias), newly allocated: every Linear of the forward pass.
  Tensor project(const Tensor& x, const Tensor& w, const Tensor* bias = nullptr);
  Tensor project(const Tensor& x, const LinearWeights& w);
  // y += up(down(x)): a LoRA adapter (Zamba2).
  void add_lora(const LoraWeights& lora, const Tensor& x, const Tensor& y);
  const LayerWeights& weights_of(const LayerPlan& layer) const { return bound_weights_.layers.at(layer.index); }

  // ---- recurrent mixers (recurrent_mixers.cpp) ----
  Tensor mamba1(Context& c, const LayerPlan& layer, const Mamba1Spec& m, const Tensor& x);
  Tensor mamba2(Context& c, const LayerPlan& layer, const Mamba2Spec& m, const Tensor& x);
  Tensor gated_delta_net(Context& c, const LayerPlan& layer, const GatedDeltaNetSpec& g, const Tensor& x);
  Tensor short_conv(Context& c, const LayerPlan& layer, const Tensor& x);
  // ---- RWKV-4 (rwkv_blocks.cpp) ----
  Tensor rwkv_time_mix(Context& c, const LayerPlan& layer, const Tensor& x);
  Tensor rwkv_channel_mix(const LayerPlan& layer, const Tensor& x);
  Tensor shifted_projection(const TokenShiftProjection& w, const Tensor& x);
  // ---- Griffin (rg_lru_block.cpp) ----
  Tensor rg_lru_block(Context& c, const LayerPlan& layer, const Tensor& h);
  // ---- MiniMax (lightning_block.cpp) ----
  Tensor lightning_attention(Context& c, const LayerPlan& layer, const Tensor& x);
  // ---- Kimi-Linear (kimi_blocks.cpp) ----
  Tensor kimi_delta(Context& c, const LayerPlan& layer, const Tensor& x);
  Tensor latent_attention(Context& c, const LayerPlan& layer, const Tensor& x);
  // ---- xLSTM (mlstm_block.cpp) ----
  Tensor mlstm(Context& c, const LayerPlan& layer, const Tensor& x);
  // [T, heads] state-norm output for `layer` when the caller asked for state norms, else nullptr.
  const Tensor* state_norm_output(Context& c, const LayerPlan& layer, std::int64_t heads);

  // ---- MoE (moe_block.cpp) ----
  struct MlpTensors {  // one MLP's weights on the backend: gate_up fused, or gate (gated only) + up; down
    const Tensor* gate_up = nullptr;
    const Tensor* gate = nullptr;
    const Tensor* up = nullptr;
    const Tensor* down = nullptr;
    const Tensor* gate_up_bias = nullptr;
    const Tensor* gate_bias = nullptr;
    const Tensor* up_bias = nullptr;
    const Tensor* down_bias = nullptr;
  };
  MlpTensors mlp_tensors(const MlpWeights& w);
  Tensor run_mlp(const MlpSpec& m, const MlpTensors& w, const Tensor& x);
  Tensor moe(Context& c, const LayerPlan& layer, const MoeSpec& m, const Tensor& x);

  // Weights derived once from checkpoint tensors, cached by (source, transform): the source is the first tensor
  // read (or another object the result belongs to), the transform names what was done to it.
  using DerivedKey = std::pair<const void*, std::string>;
  // The concatenation of row ranges of tensors of one dtype and row width, e.g. a regrouped fused projection or
  // OLMo-hybrid's split conv weights.
  struct RowRange {
    const TensorView* tensor = nullptr;
    std::int64_t begin = 0, end = 0;  // rows [begin, end) of dim 0
  };
  const Tensor& derived_rows(const std::string& transform, const std::vector<RowRange>& parts);
  const Tensor& ones(std::int64_t n);  // f32 ones [n] (weightless RMSNorms)
  // Block `head` of a checkpoint tensor [heads, in, out] (a block-diagonal weight applied as x · W) transposed to the
  // [out, in] that `linear` takes. Cached.
  const Tensor& head_transposed(const TensorView& tensor, std::int64_t head);

  const ModelSpec& spec_;
  Backend& backend_;
  const BoundModel bound_;
  const BoundWeights bound_weights_;  // views into bound_
  ModelWeights weights_;
  std::map<DerivedKey, Tensor> derived_;
};

// Per-call state: the residual stream and the RoPE tables shared by layers with the same rotary configuration.
// (Defined here so the runner's parts in recurrent_mixers.cpp / moe_block.cpp can use it; not part of the API.)
struct ModelRunner::Context {
  std::int64_t T = 0;
  ScoreResult* result = nullptr;
  std::span<const std::int32_t> ids;
  const ScoreOptions* options = nullptr;
  Tensor h;  // [T, hidden] residual stream
  Tensor embeddings;  // [T, hidden] kept for Zamba2's shared blocks
  std::map<std::string, std::pair<Tensor, Tensor>> rope_tables;  // key → (cos, sin) on the backend
  std::map<int, Tensor> state_norm_buffers;  // layer → [T, heads] on the backend (ScoreOptions::state_norms)
};

}  // namespace hl::engine
