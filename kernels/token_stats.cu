// Per-position next-token statistics from LM-head logits, computed on the GPU so the logits never leave it.
// CPU twin: core/cpu/token_stats.h (same definitions; read its header for the exact formulas).
//
// Layout: the caller (CudaBackend::lm_head_stats) multiplies a block of rows of hidden [T, H] by W_lm [V, H] into a
// fp32 logits block [rows, V] (row stride ld) with cuBLAS, then calls token_stats_rows on it. The block is either a
// scratch buffer or the caller's full_logits rows; either way it is rewritten in place with the transformed logits
// z = transform(raw + bias), so full_logits receives exactly what the statistics saw.
// Like the twin, each target's logit is computed once as a double-precision dot product (target_logits) and
// substituted into its row, so the NLL does not carry the GEMM's bf16 rounding of the activation.
//
// One block of 512 threads per row: pass 1 transforms, finds the max and keeps a per-thread top-k (ids ascending, so
// within-thread ties keep the lower id); pass 2 sums exp(z - m) and exp(z - m)(z - m) in double and counts the logits
// strictly above the target's; then k rounds of a block-wide argmax over the per-thread list heads (value desc, id
// asc) merge the top-k.
#include <climits>

#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

constexpr int kStatsThreads = 512;

__device__ __forceinline__ float transform(const LogitTransform& tf, float raw) {
  float z = raw;
  if (tf.multiplier != 1.f) z *= tf.multiplier;
  if (tf.divisor != 1.f) z /= tf.divisor;
  if (tf.softcap > 0.f) z = tf.softcap * tanhf(z / tf.softcap);
  return z;
}

// One warp per token: raw_target[t] = Σ_h hidden[t, h] W[target, h] (double) + bias[target].
__global__ void target_logits_kernel(const float* hidden, std::int64_t ldh, std::int64_t T, std::int64_t H, Param w,
                                     Param bias, const std::int32_t* targets, float* raw_target) {
  const std::int64_t t = (static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
  const int lane = threadIdx.x & 31;
  if (t >= T || targets[t] < 0) return;  // whole warps leave together
  const std::int64_t id = targets[t];
  const float* x = hidden + t * ldh;
  double s = 0.0;
  for (std::int64_t h = lane; h < H; h += 32) s += static_cast<double>(x[h]) * load_param(w, id * H + h);
  s = warp_sum(s);
  if (lane == 0) raw_target[t] = static_cast<float>(s) + load_param_or(bias, id, 0.f);
}

struct Cand {
  float v;
  int id;
  bool has;
};
__device__ __forceinline__ bool better(const Cand& a, const Cand& b) {
  return a.has && (!b.has || a.v > b.v || (a.v == b.v && a.id < b.id));
}
__device__ __forceinline__ Cand shfl_cand(const Cand& c, int off) {
  Cand o;
  o.v = __shfl_xor_sync(0xffffffffu, c.v, off);
  o.id = __shfl_xor_sync(0xffffffffu, c.id, off);
  o.has = __shfl_xor_sync(0xffffffffu, static_cast<int>(c.has), off) != 0;
  return o;
}

__global__ void __launch_bounds__(kStatsThreads) token_stats_kernel(StatsRows a) {
  __shared__ double dscratch[32];
  __shared__ float fscratch[32];
  __shared__ long long lscratch[32];
  __shared__ Cand warp_best[32];
  __shared__ Cand winner;
  __shared__ float out_v[kMaxTopK];
  __shared__ int out_id[kMaxTopK];
  __shared__ int n_out;

  const std::int64_t row = blockIdx.x;
  float* z = a.logits + row * a.ld;
  const std::int32_t tgt = a.targets[row];
  const bool has_target = tgt >= 0;
  const float raw_t = has_target ? a.raw_target[row] : 0.f;
  const float tz = has_target ? transform(a.tf, raw_t) : __int_as_float(0x7fc00000);
  const int k = a.k;

  // ---- pass 1: transform in place, max, per-thread top-k ----
  float top_v[kMaxTopK];
  int top_id[kMaxTopK];
  int n_top = 0;
  float mx = -INFINITY;
  for (std::int64_t v = threadIdx.x; v < a.V; v += blockDim.x) {
    const float raw = v == tgt ? raw_t : z[v] + load_param_or(a.bias, v, 0.f);
    const float zv = transform(a.tf, raw);
    z[v] = zv;
    mx = fmaxf(mx, zv);  // ignores NaN, as std::max(m, z) in the twin
    if (k == 0 || zv != zv) continue;
    if (n_top == k && !(zv > top_v[k - 1])) continue;
    int pos = n_top < k ? n_top : k - 1;
    while (pos > 0 && top_v[pos - 1] < zv) {
      top_v[pos] = top_v[pos - 1];
      top_id[pos] = top_id[pos - 1];
      --pos;
    }
    top_v[pos] = zv;
    top_id[pos] = static_cast<int>(v);
    if (n_top < k) ++n_top;
  }
  const float m = block_max(mx, fscratch);

  // ---- pass 2: softmax sums and the rank ----
  double s = 0.0, e = 0.0;
  long long greater = 0;
  for (std::int64_t v = threadIdx.x; v < a.V; v += blockDim.x) {
    const float zv = z[v];
    if (m != -INFINITY) {
      const float d = zv - m, w = expf(d);
      if (w != 0.f) {
        s += w;
        e += static_cast<double>(w) * d;
      }
    }
    if (has_target && zv > tz) ++greater;
  }
  s = block_sum(s, dscratch);
  e = block_sum(e, dscratch);
  greater = block_sum(greater, lscratch);

  // ---- top-k merge: k rounds of a block argmax over the list heads ----
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  if (threadIdx.x == 0) n_out = 0;
  int head = 0;
  for (int round = 0; round < k; ++round) {
    Cand c{head < n_top ? top_v[head] : 0.f, head < n_top ? top_id[head] : INT_MAX, head < n_top};
    for (int off = 16; off > 0; off >>= 1) {
      const Cand o = shfl_cand(c, off);
      if (better(o, c)) c = o;
    }
    __syncthreads();  // the previous round's winner has been read by everyone
    if (lane == 0) warp_best[warp] = c;
    __syncthreads();
    if (warp == 0) {
      Cand b = lane < warps ? warp_best[lane] : Cand{0.f, INT_MAX, false};
      for (int off = 16; off > 0; off >>= 1) {
        const Cand o = shfl_cand(b, off);
        if (better(o, b)) b = o;
      }
      if (lane == 0) {
        winner = b;
        if (b.has) {
          out_v[round] = b.v;
          out_id[round] = b.id;
          n_out = round + 1;
        }
      }
    }
    __syncthreads();
    if (!winner.has) break;  // fewer than k finite logits (uniform: shared)
    if (head < n_top && top_id[head] == winner.id) ++head;  // ids are unique: only the owner pops
  }
  __syncthreads();

  if (threadIdx.x == 0) {
    const double lse = static_cast<double>(m) + log(s);
    const double nan = __longlong_as_double(0x7ff8000000000000LL);
    const double nll = has_target ? lse - static_cast<double>(tz) : nan;
    a.nll[row] = static_cast<float>(nll);
    a.prob[row] = static_cast<float>(exp(-nll));
    a.rank[row] = has_target ? static_cast<std::int32_t>(greater) : -1;
    a.entropy[row] = static_cast<float>(log(s) - e / s);
    a.lse[row] = static_cast<float>(lse);
    a.target_logit[row] = has_target ? tz : static_cast<float>(nan);
    for (int j = 0; j < k; ++j) {
      const bool used = j < n_out;
      a.topk_ids[row * k + j] = used ? out_id[j] : -1;
      a.topk_probs[row * k + j] = used ? static_cast<float>(exp(static_cast<double>(out_v[j]) - lse)) : 0.f;
    }
  }
}

}  // namespace

void target_logits(const float* hidden, std::int64_t ldh, std::int64_t T, std::int64_t H, Param w, Param bias,
                   const std::int32_t* targets, float* raw_target, cudaStream_t s) {
  if (T == 0) return;
  constexpr int kThreads = 256;  // 8 tokens per block
  target_logits_kernel<<<grid_of((T * 32 + kThreads - 1) / kThreads, "target_logits"), kThreads, 0, s>>>(
      hidden, ldh, T, H, w, bias, targets, raw_target);
  HL_CUDA_CHECK(cudaGetLastError());
}

void token_stats_rows(const StatsRows& a, cudaStream_t s) {
  if (a.rows == 0) return;
  if (a.k < 0 || a.k > kMaxTopK) throw std::runtime_error("token_stats_rows: k must be in [0, 20]");
  token_stats_kernel<<<grid_of(a.rows, "token_stats_rows"), kStatsThreads, 0, s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace hl::cuda
