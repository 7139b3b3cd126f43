#pragma once
// RoPE parameters, inverse-frequency tables and cos/sin tables (host-side math shared by every backend).
//
// inv_freq follows transformers' modeling_rope_utils.py (v5) operation by operation, in the same precision: the
// tensor math in fp32, the scalar math (correction ranges, dynamic base, attention factor) in double, so the table
// matches torch's to ~1 ulp (torch's vectorised powf may differ from ours by an ulp).
// cos/sin follow LlamaRotaryEmbedding.forward: angle = float(pos) * inv_freq (fp32 product), cos/sin of it, times
// attention_scaling (YaRN's mscale; 1 otherwise). HF then casts cos/sin to the activation dtype; we stay in fp32.
// Tables are half-width: HF's emb = cat(freqs, freqs), so column j and j + rotary_dim/2 share an angle.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hl::engine {

enum class RopeType { default_, linear, dynamic, yarn, llama3, longrope };

std::optional<RopeType> rope_type_from_string(const std::string& s);  // "default", ..., "llama3", "longrope"

struct RopeConfig {
  RopeType type = RopeType::default_;
  double theta = 10000.0;                // rope_theta
  int head_dim = 0;
  double partial_rotary_factor = 1.0;    // rotary_dim = int(head_dim * partial_rotary_factor)
  double factor = 1.0;                   // linear / dynamic / llama3 / yarn; yarn: <= 0 means "null" (then
                                         // max_position_embeddings / original_max_position_embeddings)
  std::int64_t max_position_embeddings = 0;           // dynamic (and yarn when factor is null)
  std::int64_t original_max_position_embeddings = 0;  // llama3, yarn, longrope
  double low_freq_factor = 1.0, high_freq_factor = 4.0;  // llama3
  // yarn
  double beta_fast = 32.0, beta_slow = 1.0;  // HF: `get("beta_fast") or 32` -> a 0 here also means the default
  std::optional<double> attention_factor;    // explicit attention_factor (yarn, longrope)
  std::optional<double> mscale, mscale_all_dim;
  bool truncate = true;
  // longrope (Phi-3): per-frequency divisors, [rotary_dim / 2] each; `long_factor` when the sequence is longer than
  // original_max_position_embeddings, `short_factor` otherwise. factor <= 0 means "null" (then
  // max_position_embeddings / original_max_position_embeddings, as for yarn).
  std::vector<double> short_factor, long_factor;
};

struct RopeFreqs {
  int rotary_dim = 0;               // even; rotary_dim / 2 inverse frequencies
  std::vector<float> inv_freq;      // [rotary_dim / 2]
  float attention_scaling = 1.0f;   // multiplies cos and sin (YaRN)
};

// seq_len: the prefill length (max position + 1); used by "dynamic" (HF recomputes when it exceeds
// max_position_embeddings, with seq_len = max(seq_len, max_position_embeddings)) and "longrope" (which factor set).
// Throws std::invalid_argument on inconsistent parameters (odd or zero rotary_dim, missing
// original_max_position_embeddings, ...).
RopeFreqs rope_inv_freq(const RopeConfig& cfg, std::int64_t seq_len = 0);

// cos/sin tables [n_pos, rotary_dim / 2] (row-major) for the given positions.
struct RopeTables {
  int rotary_dim = 0;
  std::vector<float> cos, sin;
};
RopeTables rope_tables(const RopeFreqs& f, std::span<const std::int32_t> positions);
RopeTables rope_tables(const RopeFreqs& f, std::int64_t first_pos, std::size_t n_pos);  // positions first_pos + i

}  // namespace hl::engine
