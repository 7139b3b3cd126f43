// Elementwise and row-gather kernels, all through for_each (kernels/common.cuh).
// Layout: [T, n] fp32 rows with row strides ld* (elements between tokens); the last dim is contiguous. Output may
// alias an input where the Backend allows it (activations, residual add, scale): each element is read and written
// by the same thread.
// CPU twins: core/cpu/activations.cpp, core/cpu/embedding.cpp, CpuBackend::gather_rows / scatter_add_rows.
#include "kernels/common.cuh"

namespace hl::cuda {

void activation(Activation act, const float* x, std::int64_t ldx, float* y, std::int64_t ldy, std::int64_t T,
                std::int64_t n, cudaStream_t s) {
  for_each(T * n, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / n, c = i % n;
    y[t * ldy + c] = apply_act(act, x[t * ldx + c]);
  });
}

void gated_activation(Activation act, const float* gate, std::int64_t ldg, const float* up, std::int64_t ldu, float* y,
                      std::int64_t ldy, std::int64_t T, std::int64_t n, cudaStream_t s) {
  for_each(T * n, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / n, c = i % n;
    y[t * ldy + c] = apply_act(act, gate[t * ldg + c]) * up[t * ldu + c];
  });
}

void embedding(Param table, std::int64_t H, const std::int32_t* ids, std::int64_t T, float multiplier, float* out,
               std::int64_t ldo, cudaStream_t s) {
  for_each(T * H, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / H, c = i % H;
    float v = load_param(table, static_cast<std::int64_t>(ids[t]) * H + c);
    if (multiplier != 1.f) v *= multiplier;  // the CPU twin multiplies only when != 1 (bit-identical either way)
    out[t * ldo + c] = v;
  });
}

void residual_add(float* h, std::int64_t ldh, const float* r, std::int64_t ldr, std::int64_t T, std::int64_t n,
                  float scale, cudaStream_t s) {
  for_each(T * n, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / n, c = i % n;
    h[t * ldh + c] += scale == 1.f ? r[t * ldr + c] : r[t * ldr + c] * scale;
  });
}

void scale_rows(float* x, std::int64_t ldx, std::int64_t T, std::int64_t n, float scale, cudaStream_t s) {
  for_each(T * n, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / n, c = i % n;
    x[t * ldx + c] *= scale;
  });
}

void add_bias_rows(float* y, std::int64_t ldy, std::int64_t T, std::int64_t n, Param bias, cudaStream_t s) {
  if (!bias.p) return;
  for_each(T * n, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / n, c = i % n;
    y[t * ldy + c] += load_param(bias, c);
  });
}

void gather_rows(const float* x, std::int64_t ldx, std::int64_t d, const std::int32_t* rows, std::int64_t n, float* out,
                 std::int64_t ldo, cudaStream_t s) {
  for_each(n * d, s, [=] __device__(std::int64_t i) {
    const std::int64_t r = i / d, c = i % d;
    out[r * ldo + c] = x[static_cast<std::int64_t>(rows[r]) * ldx + c];
  });
}

void scatter_add_rows(const float* src, std::int64_t lds, std::int64_t d, const std::int32_t* rows,
                      const float* weights, std::int64_t n, float* dst, std::int64_t ldd, cudaStream_t s) {
  for_each(n * d, s, [=] __device__(std::int64_t i) {
    const std::int64_t r = i / d, c = i % d;
    dst[static_cast<std::int64_t>(rows[r]) * ldd + c] += weights[r] * src[r * lds + c];
  });
}

void convert_rows(const float* x, std::int64_t ldx, std::int64_t T, std::int64_t n, void* out, WType to,
                  cudaStream_t s) {
  if (to == WType::bf16) {
    auto* o = static_cast<__nv_bfloat16*>(out);
    for_each(T * n, s, [=] __device__(std::int64_t i) { o[i] = __float2bfloat16_rn(x[(i / n) * ldx + i % n]); });
  } else if (to == WType::f16) {
    // fp16 has no headroom beyond 65504; saturate so one large activation is not turned into inf (NaN stays NaN).
    auto* o = static_cast<__half*>(out);
    for_each(T * n, s, [=] __device__(std::int64_t i) {
      const float v = x[(i / n) * ldx + i % n];
      o[i] = __float2half_rn(v != v ? v : fminf(fmaxf(v, -65504.f), 65504.f));
    });
  } else {
    throw std::runtime_error("convert_rows: target must be bf16 or f16");
  }
}

}  // namespace hl::cuda
