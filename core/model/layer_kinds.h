#pragma once
// One row per mixer kind and per FFN kind: every name, letter and classification the project gives a kind, so that
// adding a kind adds one row here (and its engine block); the inspect legend, layer patterns, layer-stack labels
// and the recurrent-state question all read these rows. The UI keeps only its colours.
#include <string_view>

#include "core/model/model_spec.h"

namespace hl {

struct MixerKindInfo {
  MixerKind kind;
  std::string_view id;           // stable identifier: reports, inspect --json, errors ("gated_deltanet")
  char letter;                   // layer patterns (inspect, the model summary): 'G'
  std::string_view label;        // the layer stack's tooltip and legend: "Gated DeltaNet"
  std::string_view short_label;  // the layer stack's block text: "GDN"
  bool recurrent;                // carries a recurrent state (the state-norm views, memory estimates)
};

struct FfnKindInfo {
  FfnKind kind;
  std::string_view id;
  char letter;
  std::string_view label;
};

inline constexpr MixerKindInfo kMixerKinds[] = {
    {MixerKind::None, "none", '-', "FFN only", "FFN only", false},
    {MixerKind::FullAttention, "full_attention", 'A', "Attention", "Attn", false},
    {MixerKind::SlidingAttention, "sliding_attention", 'S', "Sliding attention", "SWA", false},
    {MixerKind::Mamba1, "mamba1", 'm', "Mamba1", "Mamba1", true},
    {MixerKind::Mamba2, "mamba2", 'M', "Mamba2", "Mamba2", true},
    {MixerKind::GatedDeltaNet, "gated_deltanet", 'G', "Gated DeltaNet", "GDN", true},
    {MixerKind::ShortConv, "short_conv", 'C', "Short conv", "Conv", false},
    {MixerKind::ParallelAttentionMamba2, "parallel_attention_mamba2", 'P', "Parallel attention + Mamba2",
     "Attn‖Mamba2", true},
    {MixerKind::RwkvTimeMix, "rwkv_time_mix", 'R', "RWKV time mix (WKV)", "WKV", true},
    {MixerKind::RgLru, "rg_lru", 'L', "RG-LRU (Griffin recurrent block)", "RG-LRU", true},
    {MixerKind::LightningAttention, "lightning_attention", 'N', "Lightning attention (linear)", "Lightning", true},
    {MixerKind::KimiDelta, "kimi_delta_attention", 'K', "Kimi Delta Attention", "KDA", true},
    {MixerKind::LatentAttention, "latent_attention", 'A', "Attention (MLA)", "MLA", false},  // full, latent form
    {MixerKind::MLstm, "mlstm", 'X', "mLSTM (xLSTM)", "mLSTM", true},
};

inline constexpr FfnKindInfo kFfnKinds[] = {
    {FfnKind::None, "none", '.', "none"},
    {FfnKind::Mlp, "mlp", 'F', "MLP"},
    {FfnKind::Moe, "moe", 'E', "MoE"},
    {FfnKind::RwkvChannelMix, "rwkv_channel_mix", 'c', "Channel mix"},
};

const MixerKindInfo& kind_info(MixerKind kind);
const FfnKindInfo& kind_info(FfnKind kind);

// Letters a layer pattern uses beyond one per mixer kind.
inline constexpr char kSharedBlockLetter = 'H';  // Mamba + a shared transformer block (Zamba / Zamba2 hybrid layers)
inline constexpr char kMoeOnlyLetter = 'E';      // no mixer, MoE FFN (nemotron_h)

}  // namespace hl
