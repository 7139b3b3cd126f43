#include "core/model/memory_estimate.h"

#include <algorithm>

namespace hl {

namespace {

constexpr std::uint64_t kF32 = 4;
constexpr std::uint64_t kLogitChunk = 512;

std::uint64_t u(std::int64_t v) { return static_cast<std::uint64_t>(std::max<std::int64_t>(v, 0)); }

std::uint64_t kv_bytes(const AttentionSpec& a, std::uint64_t tokens) {
  const auto window = a.sliding_window > 0 ? std::min<std::uint64_t>(tokens, u(a.sliding_window)) : tokens;
  return 2 * window * u(a.num_kv_heads) * u(a.head_dim) * kF32;
}

std::uint64_t mamba2_state(const Mamba2Spec& m) {
  return (u(m.n_heads) * u(m.head_dim) * u(m.d_state) + u(m.conv_dim()) * u(m.conv_kernel)) * kF32;
}

// The widest per-token intermediate of a layer (GEMM outputs), in elements.
std::uint64_t widest(const LayerPlan& l, std::int64_t hidden) {
  std::int64_t w = 4 * hidden;
  const auto& m = l.mixer;
  w = std::max(w, m.mamba2.in_proj_dim());
  w = std::max(w, 2 * m.mamba1.d_inner);
  w = std::max(w, 2 * m.gdn.key_dim() + 2 * m.gdn.value_dim());
  w = std::max(w, 3 * m.attention.num_heads * m.attention.head_dim);
  w = std::max(w, 3 * hidden + 3 * m.rwkv.attention_hidden);  // RWKV: three token-shift mixes, then k, v, r
  w = std::max(w, 5 * m.rg_lru.width);                         // RG-LRU: x, y, conv output, two gates
  w = std::max(w, 5 * m.lightning.heads * m.lightning.head_dim);  // lightning: qkv, output, gate
  w = std::max(w, 9 * m.kda.dim());                               // KDA: q/k/v before and after the convs, gates
  w = std::max(w, 2 * m.mlstm.qk_dim + 4 * m.mlstm.v_dim);        // mLSTM: q, k, v, o, h, normed h
  w = std::max(w, m.mla.heads * (m.mla.qk_dim() * 2 + 2 * m.mla.v_head_dim));  // MLA: q, k, [k_nope | v], out
  w = std::max(w, 2 * l.ffn.mlp.intermediate);
  w = std::max(w, 2 * l.ffn.moe.expert_intermediate * std::max<std::int64_t>(l.ffn.moe.top_k, 1));
  return u(w);
}

}  // namespace

MemoryEstimate estimate_memory(const ModelSpec& spec, std::uint64_t weight_bytes, std::int64_t tokens) {
  MemoryEstimate e;
  e.weights = weight_bytes;
  const auto t = u(tokens);
  std::uint64_t wide = 0;
  for (const auto& l : spec.layers) {
    const auto& m = l.mixer;
    switch (m.kind) {
      case MixerKind::FullAttention:
      case MixerKind::SlidingAttention: e.kv_cache += kv_bytes(m.attention, t); break;
      case MixerKind::ParallelAttentionMamba2:
        e.kv_cache += kv_bytes(m.attention, t);
        e.recurrent_state += mamba2_state(m.mamba2);
        break;
      case MixerKind::Mamba2: e.recurrent_state += mamba2_state(m.mamba2); break;
      case MixerKind::Mamba1:
        e.recurrent_state += (u(m.mamba1.d_inner) * (u(m.mamba1.d_state) + u(m.mamba1.conv_kernel))) * kF32;
        break;
      case MixerKind::GatedDeltaNet:
        e.recurrent_state += (u(m.gdn.num_value_heads) * u(m.gdn.key_head_dim) * u(m.gdn.value_head_dim) +
                              u(2 * m.gdn.key_dim() + m.gdn.value_dim()) * u(m.gdn.conv_kernel)) *
                             kF32;
        break;
      case MixerKind::ShortConv: e.recurrent_state += u(spec.hidden_size) * u(m.short_conv.kernel) * kF32; break;
      // (num, den, max) per channel, plus the time mix's and the channel mix's previous token
      case MixerKind::KimiDelta:  // [head_dim, head_dim] per head, plus the q/k/v convs' last K - 1 inputs
        e.recurrent_state += (u(m.kda.heads) * u(m.kda.head_dim) * u(m.kda.head_dim) +
                              3 * u(m.kda.dim()) * u(m.kda.conv_kernel)) * kF32;
        break;
      case MixerKind::MLstm: {  // C [Dk, Dv], n [Dk] and m per head
        const auto H = u(m.mlstm.heads), dk = u(m.mlstm.qk_dim) / std::max<std::uint64_t>(H, 1);
        e.recurrent_state += (u(m.mlstm.qk_dim) * (u(m.mlstm.v_dim) / std::max<std::uint64_t>(H, 1)) + H * dk + H) * kF32;
        break;
      }
      case MixerKind::LatentAttention:  // the compressed latent and the shared rope key per token
        e.kv_cache += t * u(m.mla.kv_lora_rank + m.mla.qk_rope_dim) * kF32;
        break;
      case MixerKind::LightningAttention:  // one [head_dim, head_dim] state per head
        e.recurrent_state += u(m.lightning.heads) * u(m.lightning.head_dim) * u(m.lightning.head_dim) * kF32;
        break;
      case MixerKind::RgLru:  // h, plus the conv's last K - 1 inputs
        e.recurrent_state += u(m.rg_lru.width) * u(m.rg_lru.conv_kernel) * kF32;
        break;
      case MixerKind::RwkvTimeMix:
        e.recurrent_state += (3 * u(m.rwkv.attention_hidden) + 2 * u(spec.hidden_size)) * kF32;
        break;
      case MixerKind::None: break;
    }
    if (l.shared_block >= 0)
      e.kv_cache += kv_bytes(spec.shared_blocks[static_cast<std::size_t>(l.shared_block)].attention, t);
    wide = std::max(wide, widest(l, spec.hidden_size));
  }
  // Residual stream + normed copy + mixer/FFN outputs (~4 hidden-wide buffers) and the widest intermediate.
  e.activations = t * (4 * u(spec.hidden_size) + wide) * kF32 + std::min(t, kLogitChunk) * u(spec.vocab_size) * kF32;
  return e;
}

}  // namespace hl
