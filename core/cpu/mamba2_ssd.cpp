// Mamba2 SSD scan, sequential reference and chunked form. Layouts: see mamba2_ssd.h.
#include "core/cpu/mamba2_ssd.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "core/cpu/scan_norms.h"

namespace hl::cpu {
namespace {

void check_dims(const Mamba2Dims& d) {
  if (d.G == 0 || d.H % d.G != 0) throw std::invalid_argument("mamba2_ssd: num_heads must be a multiple of n_groups");
}

// dt after bias, softplus and clamp, packed [T, H].
std::vector<float> prepare_dt(const Mamba2Dims& d, const Mamba2Inputs& in) {
  const std::size_t ds = row_stride(in.dt_stride, d.H);
  std::vector<float> dt(d.T * d.H);
  for (std::size_t t = 0; t < d.T; ++t)
    for (std::size_t h = 0; h < d.H; ++h) {
      float v = in.dt[t * ds + h];
      if (in.dt_bias) v += in.dt_bias[h];
      if (in.dt_softplus) v = softplus(v);
      dt[t * d.H + h] = std::min(std::max(v, in.dt_min), in.dt_max);
    }
  return dt;
}

}  // namespace

void mamba2_ssd_sequential(const Mamba2Dims& d, const Mamba2Inputs& in, const ScanOutputs& out) {
  check_dims(d);
  const std::size_t H = d.H, P = d.P, N = d.N, hpg = H / d.G;
  const std::size_t xs = row_stride(in.x_stride, H * P), bcs = row_stride(in.bc_stride, d.G * N);
  const std::vector<float> dt = prepare_dt(d, in);
  std::vector<float> S(H * P * N, 0.f);
  if (in.initial_state) std::memcpy(S.data(), in.initial_state, S.size() * sizeof(float));
  for (std::size_t t = 0; t < d.T; ++t) {
    for (std::size_t h = 0; h < H; ++h) {
      const std::size_t g = h / hpg;
      const float* Bt = in.B + t * bcs + g * N;
      const float* Ct = in.C + t * bcs + g * N;
      const float* xt = in.x + t * xs + h * P;
      const float dth = dt[t * H + h];
      const float dA = std::exp(dth * in.A[h]);
      const float Dh = in.D ? in.D[h] : 0.f;
      float* yt = out.y + (t * H + h) * P;
      double n2 = 0.0;
      for (std::size_t p = 0; p < P; ++p) {
        float* Sp = S.data() + (h * P + p) * N;
        const float xdt = xt[p] * dth;
        float acc = 0.f, sq = 0.f;
        for (std::size_t n = 0; n < N; ++n) {
          const float s = Sp[n] * dA + xdt * Bt[n];
          Sp[n] = s;
          acc += s * Ct[n];
          sq += s * s;
        }
        yt[p] = acc + Dh * xt[p];
        n2 += sq;
      }
      if (out.state_norms) out.state_norms[t * H + h] = static_cast<float>(std::sqrt(n2));
    }
  }
  if (out.final_state) std::memcpy(out.final_state, S.data(), S.size() * sizeof(float));
}

// Chunked SSD. For chunk c = [t0, t0+L) and head h (group g), with cs_l = sum_{j<=l} dt_j*A (chunk-local cumsum):
//   Y   = (CB o Lmask) Xdt  +  diag(e^{cs}) C S0^T          CB = C B^T [L, L], Lmask[l, s] = e^{cs_l - cs_s} (s <= l)
//   S1  = e^{cs_{L-1}} S0 + (e^{cs_{L-1} - cs} o Xdt)^T B     S: [P, N], Xdt = dt o x [L, P]
// CB (and BB for norms) are computed once per (chunk, group) and shared by the H/G heads of the group.
void mamba2_ssd_chunked(const Mamba2Dims& d, const Mamba2Inputs& in, const ScanOutputs& out, std::size_t chunk_size) {
  check_dims(d);
  const std::size_t H = d.H, P = d.P, N = d.N, G = d.G, hpg = H / G, Q = std::max<std::size_t>(chunk_size, 1);
  const std::size_t xs = row_stride(in.x_stride, H * P), bcs = row_stride(in.bc_stride, G * N);
  const bool norms = out.state_norms != nullptr;
  const std::vector<float> dt = prepare_dt(d, in);
  std::vector<float> S(H * P * N, 0.f);
  bool state_zero = true;
  if (in.initial_state) {
    std::memcpy(S.data(), in.initial_state, S.size() * sizeof(float));
    state_zero = false;
  }
  std::vector<float> CB(G * Q * Q), BB(norms ? G * Q * Q : 0);
  std::vector<double> cs(Q);
  std::vector<float> Lm(Q * Q), M(Q * Q), Xdt(Q * P), Y(Q * P), Cs(Q * N), Xw(Q * P);
  std::vector<float> SB(norms ? Q * P : 0), XX(norms ? Q * Q : 0), cross(norms ? Q : 0);
  const float* const B = in.B;
  const float* const C = in.C;
  const int ibcs = static_cast<int>(bcs), iN = static_cast<int>(N), iP = static_cast<int>(P);
  const int iQ = static_cast<int>(Q);

  for (std::size_t t0 = 0; t0 < d.T; t0 += Q) {
    const std::size_t L = std::min(Q, d.T - t0);
    const int iL = static_cast<int>(L);
    for (std::size_t g = 0; g < G; ++g) {
      const float* Bg = B + t0 * bcs + g * N;
      const float* Cg = C + t0 * bcs + g * N;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, iL, iL, iN, 1.f, Cg, ibcs, Bg, ibcs, 0.f,
                  CB.data() + g * Q * Q, iQ);
      if (norms)  // Gram matrix: only the lower triangle is read
        cblas_ssyrk(CblasRowMajor, CblasLower, CblasNoTrans, iL, iN, 1.f, Bg, ibcs, 0.f, BB.data() + g * Q * Q, iQ);
    }
    for (std::size_t h = 0; h < H; ++h) {
      const std::size_t g = h / hpg;
      const float* Bg = B + t0 * bcs + g * N;
      const float* Cg = C + t0 * bcs + g * N;
      const float* cb = CB.data() + g * Q * Q;
      float* Sh = S.data() + h * P * N;
      const float Ah = in.A[h];
      // chunk-local cumsum of log-decays, dt-scaled inputs
      double run = 0.0;  // cumsum in double: exponent differences of large sums stay exact to float precision
      for (std::size_t l = 0; l < L; ++l) {
        const float dtl = dt[(t0 + l) * H + h];
        run += static_cast<double>(dtl * Ah);
        cs[l] = run;
        const float* xl = in.x + (t0 + l) * xs + h * P;
        for (std::size_t p = 0; p < P; ++p) Xdt[l * P + p] = xl[p] * dtl;
      }
      // Lm = masked decay e^{cs_l - cs_s} (s <= l; exponents <= 0), M = CB o Lm
      for (std::size_t l = 0; l < L; ++l) {
        float* lrow = Lm.data() + l * Q;
        float* mrow = M.data() + l * Q;
        const float* cbr = cb + l * Q;
        for (std::size_t s = 0; s <= l; ++s) {
          lrow[s] = std::exp(static_cast<float>(cs[l] - cs[s]));
          mrow[s] = cbr[s] * lrow[s];
        }
        for (std::size_t s = l + 1; s < L; ++s) mrow[s] = 0.f;
      }
      // intra-chunk: Y = M Xdt
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, iL, iP, iL, 1.f, M.data(), iQ, Xdt.data(), iP, 0.f,
                  Y.data(), iP);
      if (!state_zero) {
        // inter-chunk: Y += (e^{cs} o C) S^T
        for (std::size_t l = 0; l < L; ++l) {
          const float e = std::exp(static_cast<float>(cs[l]));
          const float* cl = Cg + l * bcs;
          for (std::size_t n = 0; n < N; ++n) Cs[l * N + n] = cl[n] * e;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, iL, iP, iN, 1.f, Cs.data(), iN, Sh, iN, 1.f, Y.data(),
                    iP);
      }
      // output
      const float Dh = in.D ? in.D[h] : 0.f;
      for (std::size_t l = 0; l < L; ++l) {
        const float* xl = in.x + (t0 + l) * xs + h * P;
        float* yl = out.y + ((t0 + l) * H + h) * P;
        for (std::size_t p = 0; p < P; ++p) yl[p] = Y[l * P + p] + Dh * xl[p];
      }
      // per-token state norms inside the chunk (closed form, see scan_norms.h)
      if (norms) {
        double s0_sq = 0.0;
        if (!state_zero) {
          for (std::size_t i = 0; i < P * N; ++i) s0_sq += static_cast<double>(Sh[i]) * Sh[i];
          // SB = B S^T [L, P]; cross_s = Xdt_s . SB_s
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, iL, iP, iN, 1.f, Bg, ibcs, Sh, iN, 0.f, SB.data(), iP);
          for (std::size_t l = 0; l < L; ++l) {
            double a = 0.0;
            for (std::size_t p = 0; p < P; ++p) a += static_cast<double>(SB[l * P + p]) * Xdt[l * P + p];
            cross[l] = static_cast<float>(a);
          }
        } else {
          std::fill(cross.begin(), cross.end(), 0.f);
        }
        cblas_ssyrk(CblasRowMajor, CblasLower, CblasNoTrans, iL, iP, 1.f, Xdt.data(), iP, 0.f, XX.data(), iQ);
        chunk_state_norms(L, cs.data(), Lm.data(), Q, s0_sq, cross.data(), XX.data(), BB.data() + g * Q * Q, Q,
                          out.state_norms + t0 * H + h, H);
      }
      // state passing: S = e^{cs_last} S + (e^{cs_last - cs} o Xdt)^T B
      const double last = cs[L - 1];
      for (std::size_t l = 0; l < L; ++l) {
        const float w = std::exp(static_cast<float>(last - cs[l]));
        for (std::size_t p = 0; p < P; ++p) Xw[l * P + p] = Xdt[l * P + p] * w;
      }
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, iP, iN, iL, 1.f, Xw.data(), iP, Bg, ibcs,
                  state_zero ? 0.f : std::exp(static_cast<float>(last)), Sh, iN);
    }
    state_zero = false;
  }
  if (out.final_state) std::memcpy(out.final_state, S.data(), S.size() * sizeof(float));
}

}  // namespace hl::cpu
