// Rotary position embedding, in place. CPU twin: core/cpu/rope.h.
// Layout: x [T, H, D] fp32 (token stride x_ts, head stride x_hs, D contiguous); cos, sin [T, rot/2] packed fp32
// (engine/rope.h builds them). Pair j < rot/2 of a head is (j, j + rot/2) for HF rotate_half, (2j, 2j + 1) for GPT-J
// interleaving; elements from rot on pass through. One thread per (token, head, pair): it reads both elements of its
// pair before writing either, so the update is in place without a copy.
#include "kernels/common.cuh"

namespace hl::cuda {

void rope(float* x, std::int64_t T, std::int64_t H, std::int64_t x_ts, std::int64_t x_hs, const float* cos,
          const float* sin, std::int64_t rot, bool interleaved, cudaStream_t s) {
  const std::int64_t half = rot / 2;
  for_each(T * H * half, s, [=] __device__(std::int64_t i) {
    const std::int64_t j = i % half, th = i / half, h = th % H, t = th / H;
    float* v = x + t * x_ts + h * x_hs;
    const float c = cos[t * half + j], sn = sin[t * half + j];
    const std::int64_t i0 = interleaved ? 2 * j : j, i1 = interleaved ? 2 * j + 1 : j + half;
    const float a = v[i0], b = v[i1];
    v[i0] = a * c - b * sn;
    v[i1] = b * c + a * sn;
  });
}

}  // namespace hl::cuda
