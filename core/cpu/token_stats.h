#pragma once
// Per-position next-token statistics from LM-head logits, computed in vocabulary tiles so the full [T, V] logits are
// never materialised (unless a sink asks for them).
// Layout: hidden fp32 [T, H] row stride ldh; W_lm [V, H] in its stored dtype (rows contiguous); bias [V] or nullptr;
// targets int32 [T] (the id of the token at t+1; -1 = no target, e.g. the last position); outputs are caller-owned
// arrays of T (top-k: T*k, row-major, best first) -- any output pointer may be nullptr.
//
// Definitions (natural log, nats):
//   z      = transform(raw logit): z = raw * multiplier / divisor, then softcap * tanh(z / softcap) if softcap > 0
//            (granite logits_scaling -> divisor, falcon_h1 lm_head_multiplier -> multiplier, gemma2 final softcap)
//   lse    = log sum_v exp(z_v)  (online: running max + double sum of exp(z - max), exp in fp32)
//   nll    = lse - z_target;   prob = exp(-nll)
//   rank   = #{v : z_v > z_target} (strictly greater: ties do not push the target down; 0 = top-1)
//   entropy= -sum p log p = log S - E/S with S = sum exp(z - m), E = sum exp(z - m)(z - m), accumulated in double
//   top-k  = the k largest z (ties: lower id first), their probabilities exp(z - lse); k <= 20
// The target's logit is computed once as a double-precision dot product (hidden · W[target]) and substituted into
// its tile, so every statistic (and the sink) sees one value for it regardless of how the GEMM blocks its sums.
#include <cstddef>
#include <cstdint>
#include <cmath>
#include <functional>

#include "core/cpu/half.h"

namespace hl::cpu {

constexpr std::size_t kMaxTopK = 20;

struct LogitTransform {
  float multiplier = 1.0f;
  float divisor = 1.0f;
  float softcap = 0.0f;
  bool identity() const { return multiplier == 1.0f && divisor == 1.0f && softcap == 0.0f; }
  float operator()(float raw) const {
    float z = raw;
    if (multiplier != 1.0f) z *= multiplier;
    if (divisor != 1.0f) z /= divisor;
    if (softcap > 0.0f) z = softcap * std::tanh(z / softcap);
    return z;
  }
};

struct TokenStatsOut {
  float* nll = nullptr;
  float* prob = nullptr;
  std::int32_t* rank = nullptr;
  float* entropy = nullptr;
  float* lse = nullptr;           // log-sum-exp of the (transformed) logits
  float* target_logit = nullptr;  // transformed logit of the target
  std::int32_t* topk_ids = nullptr;   // [T, k]; unused slots (k > V) get -1
  float* topk_probs = nullptr;        // [T, k]; unused slots get 0
};

// Sink for the (transformed) logits of one vocabulary tile: rows t in [0, T), columns [v0, v0 + nv), row stride ld.
using LogitsSink = std::function<void(std::size_t v0, std::size_t nv, const float* tile, std::size_t ld)>;

// Statistics from already-computed raw logits [T, V] (row stride ldl); the same online algorithm, tile = V.
void token_stats_from_logits(const float* logits, std::size_t T, std::size_t V, std::size_t ldl,
                             const std::int32_t* targets, std::size_t k, const LogitTransform& tf,
                             const TokenStatsOut& out);

// LM head + statistics. vocab_tile = 0 picks a tile from T and H (bounded scratch). Targets must be -1 or in [0, V).
void lm_head_stats(const float* hidden, std::size_t T, std::size_t H, std::size_t ldh, const void* W, WType wtype,
                   std::size_t V, const void* bias, WType btype, const std::int32_t* targets, std::size_t k,
                   const LogitTransform& tf, const TokenStatsOut& out, const LogitsSink& sink = {},
                   std::size_t vocab_tile = 0);

std::size_t lm_head_vocab_tile(std::size_t T, std::size_t H, std::size_t V);

}  // namespace hl::cpu
