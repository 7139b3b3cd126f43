#pragma once
// The layer stack of a ModelSpec as a diagram needs it: per layer, its mixer and FFN kinds with readable labels and
// exact parameter counts, plus the model-level tensors, so that the layers + model tensors + Zamba2 shared blocks add
// up to every tensor the checkpoint stores.
//
// Parameter counts are numel sums over the tensors tensor_plan.h requires (never over a checkpoint), split by role:
//   mixer: attn.*, mamba.*, gdn.*, conv.*, hybrid.*, adapter.* (Zamba2's per-layer LoRA adapters and linear belong
//          to the hybrid layer's mixer), norm.pre_mixer*, norm.post_mixer*
//   ffn:   mlp.*, moe.*, norm.pre_ffn*, norm.post_ffn*
// Norms go by their role name, so a layer's pre-FFN norm counts towards its FFN even when it is the only norm of an
// MLP-only layer (Nemotron-H). The OLMo Hybrid q/k/v convs, whose split is not fixed, count their group total once.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model_spec.h"

namespace hl {

struct LayerBlock {
  int index = 0;
  MixerKind mixer = MixerKind::None;
  FfnKind ffn = FfnKind::None;
  std::string mixer_label;  // "Attention", "Sliding attention (window 64)", "Gated DeltaNet", "Mamba2 + shared block"
  std::string mixer_short;  // "Attn", "SWA", "GDN", "Mamba2+SB"...: what counts and narrow blocks show
  std::string ffn_label;    // "MLP", "MoE 8 experts, top-2 (+shared)"; empty without an FFN
  char letter = '?';        // hl::mixer_letter: the layer's letter in `LayerStackSummary::pattern`
  std::int64_t mixer_params = 0;
  std::int64_t ffn_params = 0;
  // Carries a state from token to token whose size does not grow with the context (Mamba1/2, Gated DeltaNet, the
  // Mamba2 half of a parallel layer). Short conv keeps only its last few inputs, so it is not counted as recurrent.
  bool recurrent = false;
  int shared_block = -1;  // Zamba2: the SharedBlockSummary this layer runs before its Mamba2; −1 otherwise
  std::int64_t sliding_window = 0;  // SlidingAttention only
  std::int64_t experts = 0, experts_per_token = 0;  // MoE only: routed experts and top-k

  std::int64_t params() const { return mixer_params + ffn_params; }
};

struct SharedBlockSummary {  // Zamba2: stored once, run by every layer in `layers`
  int index = 0;
  std::vector<int> layers;
  std::int64_t params = 0;
};

struct LayerStackSummary {
  std::vector<LayerBlock> layers;
  std::vector<SharedBlockSummary> shared_blocks;
  std::int64_t embedding_params = 0;
  std::int64_t final_norm_params = 0;
  std::int64_t lm_head_params = 0;  // 0 when tied to the embeddings (not stored)
  bool tied_embeddings = false;
  std::int64_t total_params = 0;  // everything above: what the checkpoint stores
  std::string pattern;            // compress_pattern(mixer_pattern(spec)), e.g. "GGGA×2"
};

LayerStackSummary layer_stack(const ModelSpec& spec);

// "GDN ×6 · Attn ×2": mixers by count (most first, ties in stack order), each named by its `mixer_short`.
std::string mixer_counts(const LayerStackSummary& stack);
// "MLP ×6 · MoE ×2", the same for FFNs; empty when no layer has one.
std::string ffn_counts(const LayerStackSummary& stack);
// 950 → "950", 47'104 → "47.1K", 1'234'567 → "1.23M", 7'241'732'096 → "7.24B" (three significant digits).
std::string format_param_count(std::int64_t n);

}  // namespace hl
