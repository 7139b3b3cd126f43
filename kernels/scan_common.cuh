#pragma once
// Shared by the recurrent scans (mamba1_scan.cu, mamba2_scan.cu, gdn_scan.cu).
//
// Why one warp per state row: in all three recurrences a row of the state evolves independently of the other rows
// once the per-token inputs are known (Mamba1: a channel's N states; Mamba2: row p of a head's [P, N] state; Gated
// DeltaNet: column j of a value head's [Dk, Dv] state). A warp keeps its row in registers (lane i holds elements
// i, i + 32, ... : R = ceil(len / 32) per lane) and walks the sequence; the dot products a token needs are warp
// shuffles. No shared memory and no block synchronisation on the hot path. This is the sequential form (the chunked
// SSD / WY forms are the next step for speed); its results equal the CPU's chunked forms up to float rounding.
//
// State norms: ||S_t[head]||_F² sums the rows of a head. Each warp has its row's Σ S² per token; a block (kScanWarps
// warps = rows of one head) sums its warps every 32 tokens through shared memory and writes one partial per token,
// norm_partials[(t · heads + head) · parts + part]; finish_state_norms adds the parts in double and takes the root.
// Deterministic (no atomics).
#include <type_traits>

#include "kernels/common.cuh"

namespace hl::cuda {

constexpr int kScanThreads = static_cast<int>(kScanWarps) * 32;

// Called by every thread of the block for every token t (so the __syncthreads are uniform). `sq` is valid in lane 0.
// `partials` points at this block's slot for token 0; consecutive tokens are t_stride floats apart.
__device__ __forceinline__ void scan_norm_step(float (*buf)[32], float sq, std::int64_t t, std::int64_t T,
                                               float* partials, std::int64_t t_stride, bool active_warp) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int slot = static_cast<int>(t & 31);
  if (lane == 0) buf[warp][slot] = active_warp ? sq : 0.f;
  if (slot == 31 || t == T - 1) {
    __syncthreads();
    if (static_cast<int>(threadIdx.x) <= slot) {
      float s = 0.f;
      for (int w = 0; w < static_cast<int>(kScanWarps); ++w) s += buf[w][threadIdx.x];
      partials[(t - slot + threadIdx.x) * t_stride] = s;
    }
    __syncthreads();
  }
}

// state_norms[t, head] = sqrt(Σ_part partials[(t · heads + head) · parts + part]).
inline void finish_state_norms(const float* partials, std::int64_t T, std::int64_t heads, std::int64_t parts,
                               float* state_norms, cudaStream_t s) {
  for_each(T * heads, s, [=] __device__(std::int64_t i) {
    double acc = 0.0;
    for (std::int64_t p = 0; p < parts; ++p) acc += partials[i * parts + p];
    state_norms[i] = static_cast<float>(sqrt(acc));
  });
}

// Calls f(std::integral_constant<int, R>) with the per-lane register count R for a row of `len` elements.
template <class F>
void with_per_lane(std::int64_t len, const char* what, F&& f) {
  if (len <= 0) throw std::runtime_error(std::string(what) + ": empty state row");
  if (len <= 32) return f(std::integral_constant<int, 1>{});
  if (len <= 64) return f(std::integral_constant<int, 2>{});
  if (len <= 128) return f(std::integral_constant<int, 4>{});
  if (len <= 32 * kScanMaxPerLane) return f(std::integral_constant<int, 8>{});
  throw std::runtime_error(std::string(what) + ": state rows longer than 256 are not supported by the CUDA scans");
}

}  // namespace hl::cuda
