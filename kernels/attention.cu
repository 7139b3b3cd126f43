// Causal prefill attention: flash-style tiles with an online softmax, fp32 throughout. CPU twin: core/cpu/attention.h.
//
// Layout: q [T, Hq, D], k [T, Hkv, D], v [T, Hkv, Dv], out [T, Hq, Dv] (any token / head strides, the last dim
// contiguous). Query head h reads kv head h / (Hq / Hkv) (GQA). Query i sees key j when j <= i and, with a sliding
// window W > 0, i - W < j. Scores: s = (q·k) * scale, then softcap * tanh(s / softcap) when softcap > 0 (the twin's
// order).
//
// One block per (64-query tile, query head), 256 threads as a 16 × 16 grid (ty, tx). Thread (ty, tx) owns query rows
// ty + 16i (i < 4), score columns tx + 16j (j < 4) of each 64-key tile, and output columns tx + 16j of each 64-wide
// chunk of Dv (registers o[4][4·NV], NV = ceil(Dv / 64) <= 4). D is walked in 64-wide chunks so shared memory does not
// depend on the head size (66 KiB: Q chunk, K chunk, P tile, V chunk; rows padded to 65 floats against bank
// conflicts). The 16 threads sharing a row are 16 consecutive lanes of one warp: row max / sum are xor-shuffles.
// Key tiles start at the window's first visible key and end at the tile's last query (causal skipping); query tiles
// are scheduled heaviest first.
#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

constexpr int kB = 64;        // queries per tile = keys per tile = D / Dv chunk width
constexpr int kPad = kB + 1;  // padded row length of the Q, K and P tiles
constexpr int kThreads = 256;
constexpr std::size_t kSmemBytes = (3 * kB * kPad + kB * kB) * sizeof(float);

__device__ __forceinline__ float row_max16(float v) {
  for (int off = 8; off > 0; off >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
  return v;
}
__device__ __forceinline__ float row_sum16(float v) {
  for (int off = 8; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
  return v;
}

template <int NV>
__global__ void __launch_bounds__(kThreads) attention_kernel(AttentionArgs a) {
  extern __shared__ float smem[];
  float* Qs = smem;             // [kB][kPad]  query rows × D chunk
  float* Ks = Qs + kB * kPad;   // [kB][kPad]  key rows × D chunk
  float* Ps = Ks + kB * kPad;   // [kB][kPad]  probabilities, query rows × keys
  float* Vs = Ps + kB * kPad;   // [kB][kB]    key rows × Dv chunk

  const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
  const std::int64_t q0 = static_cast<std::int64_t>(gridDim.x - 1 - blockIdx.x) * kB;
  const std::int64_t h = blockIdx.y, kvh = h / (a.Hq / a.Hkv);
  const float* qh = a.q + h * a.q_hs;
  const float* kh = a.k + kvh * a.k_hs;
  const float* vh = a.v + kvh * a.v_hs;

  float m[4], l[4], o[4][4 * NV];
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    m[i] = -INFINITY;
    l[i] = 0.f;
#pragma unroll
    for (int c = 0; c < 4 * NV; ++c) o[i][c] = 0.f;
  }

  const std::int64_t q_last = min(a.T, q0 + kB) - 1;
  const std::int64_t k_first = a.window > 0 ? max(std::int64_t{0}, q0 - a.window + 1) : 0;
  for (std::int64_t j0 = k_first; j0 <= q_last; j0 += kB) {
    // ---- S = Q Kᵀ over D in chunks ----
    float sc[4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
      for (int j = 0; j < 4; ++j) sc[i][j] = 0.f;
    for (std::int64_t dc = 0; dc < a.D; dc += kB) {
      __syncthreads();  // the previous chunk's (or tile's) reads are done
      for (int idx = tid; idx < kB * kB; idx += kThreads) {
        const int r = idx / kB, d = idx % kB;
        const std::int64_t dd = dc + d, qi = q0 + r, kj = j0 + r;
        Qs[r * kPad + d] = (qi < a.T && dd < a.D) ? qh[qi * a.q_ts + dd] : 0.f;
        Ks[r * kPad + d] = (kj < a.T && dd < a.D) ? kh[kj * a.k_ts + dd] : 0.f;
      }
      __syncthreads();
#pragma unroll 4
      for (int d = 0; d < kB; ++d) {
        float qv[4], kv[4];
#pragma unroll
        for (int i = 0; i < 4; ++i) qv[i] = Qs[(ty + 16 * i) * kPad + d];
#pragma unroll
        for (int j = 0; j < 4; ++j) kv[j] = Ks[(tx + 16 * j) * kPad + d];
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
          for (int j = 0; j < 4; ++j) sc[i][j] = fmaf(qv[i], kv[j], sc[i][j]);
      }
    }

    // ---- mask, online softmax, P to shared memory ----
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const std::int64_t qi = q0 + ty + 16 * i;
      float mx = -INFINITY;
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        const std::int64_t kj = j0 + tx + 16 * j;
        float x = sc[i][j] * a.scale;
        if (a.softcap > 0.f) x = a.softcap * tanhf(x / a.softcap);
        const bool visible = kj < a.T && kj <= qi && (a.window <= 0 || qi - kj < a.window);
        sc[i][j] = visible ? x : -INFINITY;
        mx = fmaxf(mx, sc[i][j]);
      }
      mx = row_max16(mx);
      const float m_new = fmaxf(m[i], mx);
      // A row with nothing visible yet keeps m = -inf: alpha = 1, p = 0 (never exp(-inf - -inf)).
      const float alpha = m_new == -INFINITY ? 1.f : expf(m[i] - m_new);
      float rs = 0.f;
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        const float p = sc[i][j] == -INFINITY ? 0.f : expf(sc[i][j] - m_new);
        Ps[(ty + 16 * i) * kPad + tx + 16 * j] = p;
        rs += p;
      }
      rs = row_sum16(rs);
      l[i] = l[i] * alpha + rs;
      m[i] = m_new;
#pragma unroll
      for (int c = 0; c < 4 * NV; ++c) o[i][c] *= alpha;
    }

    // ---- O += P V over Dv in chunks ----
#pragma unroll
    for (int vc = 0; vc < NV; ++vc) {
      __syncthreads();  // P is complete; the previous V chunk's reads are done
      for (int idx = tid; idx < kB * kB; idx += kThreads) {
        const int r = idx / kB, d = idx % kB;
        const std::int64_t kj = j0 + r, dd = static_cast<std::int64_t>(vc) * kB + d;
        Vs[r * kB + d] = (kj < a.T && dd < a.Dv) ? vh[kj * a.v_ts + dd] : 0.f;
      }
      __syncthreads();
#pragma unroll 4
      for (int jj = 0; jj < kB; ++jj) {
        float vv[4];
#pragma unroll
        for (int jl = 0; jl < 4; ++jl) vv[jl] = Vs[jj * kB + tx + 16 * jl];
#pragma unroll
        for (int i = 0; i < 4; ++i) {
          const float p = Ps[(ty + 16 * i) * kPad + jj];
#pragma unroll
          for (int jl = 0; jl < 4; ++jl) o[i][vc * 4 + jl] = fmaf(p, vv[jl], o[i][vc * 4 + jl]);
        }
      }
    }
  }

#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const std::int64_t qi = q0 + ty + 16 * i;
    if (qi >= a.T) continue;
    const float inv = 1.f / l[i];
    float* orow = a.out + qi * a.o_ts + h * a.o_hs;
#pragma unroll
    for (int vc = 0; vc < NV; ++vc)
#pragma unroll
      for (int jl = 0; jl < 4; ++jl) {
        const std::int64_t d = static_cast<std::int64_t>(vc) * kB + tx + 16 * jl;
        if (d < a.Dv) orow[d] = o[i][vc * 4 + jl] * inv;
      }
  }
}

template <int NV>
void launch(const AttentionArgs& a, cudaStream_t s) {
  HL_CUDA_CHECK(cudaFuncSetAttribute(attention_kernel<NV>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                     static_cast<int>(kSmemBytes)));
  const dim3 grid(grid_of((a.T + kB - 1) / kB, "attention"), grid_of(a.Hq, "attention heads"));
  attention_kernel<NV><<<grid, kThreads, kSmemBytes, s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace

void attention(const AttentionArgs& a, cudaStream_t s) {
  if (a.T == 0 || a.Hq == 0) return;
  if (a.Dv <= 0 || a.Dv > kAttentionMaxDv || a.D <= 0)
    throw std::runtime_error("attention: head sizes must satisfy 0 < D and 0 < Dv <= 256");
  if (a.Hq > 65535) throw std::runtime_error("attention: more than 65535 query heads");
  switch ((a.Dv + kB - 1) / kB) {
    case 1: launch<1>(a, s); break;
    case 2: launch<2>(a, s); break;
    case 3: launch<3>(a, s); break;
    default: launch<4>(a, s); break;
  }
}

}  // namespace hl::cuda
