// Gated DeltaNet, sequential reference and chunked (WY/UT) form. Layouts: see gated_delta_net.h.
#include "core/cpu/gated_delta_net.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "core/cpu/scan_norms.h"

namespace hl::cpu {
namespace {

void check_dims(const GdnDims& d) {
  if (d.Hk == 0 || d.Hv % d.Hk != 0)
    throw std::invalid_argument("gated_delta_net: num_value_heads must be a multiple of num_key_heads");
}

std::size_t key_head(const GdnDims& d, const GdnInputs& in, std::size_t h) {
  return in.head_map == GdnHeadMap::Tile ? h % d.Hk : h / (d.Hv / d.Hk);
}

// dst[i] = src[i] * rsqrt(sum src^2 + eps) * scale   (HF/FLA l2norm), or src*scale when disabled
void load_row(const float* src, std::size_t n, bool l2, float eps, float scale, float* dst) {
  float f = scale;
  if (l2) {
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) ss += static_cast<double>(src[i]) * src[i];
    f = scale / std::sqrt(static_cast<float>(ss) + eps);
  }
  for (std::size_t i = 0; i < n; ++i) dst[i] = src[i] * f;
}

float q_scale_of(const GdnDims& d, const GdnInputs& in) {
  return in.q_scale != 0.f ? in.q_scale : 1.f / std::sqrt(static_cast<float>(d.Dk));
}

}  // namespace

void gdn_gates(const GdnDims& d, const GdnInputs& in, float* beta, float* g) {
  const std::size_t abs = row_stride(in.ab_stride, d.Hv);
  for (std::size_t t = 0; t < d.T; ++t)
    for (std::size_t h = 0; h < d.Hv; ++h) {
      const float bv = in.b[t * abs + h], av = in.a[t * abs + h];
      if (in.gates_raw) {
        beta[t * d.Hv + h] = sigmoid(bv) * in.beta_scale;
        g[t * d.Hv + h] = -std::exp(in.A_log[h]) * softplus(av + (in.dt_bias ? in.dt_bias[h] : 0.f));
      } else {
        beta[t * d.Hv + h] = bv;
        g[t * d.Hv + h] = av;
      }
    }
}

void gated_delta_net_sequential(const GdnDims& d, const GdnInputs& in, const ScanOutputs& out) {
  check_dims(d);
  const std::size_t Hv = d.Hv, Dk = d.Dk, Dv = d.Dv;
  const std::size_t qks = row_stride(in.qk_stride, d.Hk * Dk), vs = row_stride(in.v_stride, Hv * Dv);
  const float qscale = q_scale_of(d, in);
  std::vector<float> beta(d.T * Hv), g(d.T * Hv);
  gdn_gates(d, in, beta.data(), g.data());
  std::vector<float> S(Hv * Dk * Dv, 0.f);
  if (in.initial_state) std::memcpy(S.data(), in.initial_state, S.size() * sizeof(float));
  std::vector<float> q(Dk), k(Dk), kv(Dv), delta(Dv);
  for (std::size_t t = 0; t < d.T; ++t) {
    for (std::size_t h = 0; h < Hv; ++h) {
      const std::size_t kh = key_head(d, in, h);
      load_row(in.q + t * qks + kh * Dk, Dk, in.l2norm_qk, in.l2norm_eps, qscale, q.data());
      load_row(in.k + t * qks + kh * Dk, Dk, in.l2norm_qk, in.l2norm_eps, 1.f, k.data());
      const float* vt = in.v + t * vs + h * Dv;
      const float eg = std::exp(g[t * Hv + h]), bt = beta[t * Hv + h];
      float* Sh = S.data() + h * Dk * Dv;
      // decay, then kv = S^T k
      std::fill(kv.begin(), kv.end(), 0.f);
      for (std::size_t i = 0; i < Dk; ++i) {
        float* row = Sh + i * Dv;
        const float ki = k[i];
        for (std::size_t j = 0; j < Dv; ++j) {
          row[j] *= eg;
          kv[j] += row[j] * ki;
        }
      }
      for (std::size_t j = 0; j < Dv; ++j) delta[j] = (vt[j] - kv[j]) * bt;
      // S += k delta^T, o = S^T q, ||S||^2
      float* ot = out.y + (t * Hv + h) * Dv;
      std::fill(ot, ot + Dv, 0.f);
      double n2 = 0.0;
      for (std::size_t i = 0; i < Dk; ++i) {
        float* row = Sh + i * Dv;
        const float ki = k[i], qi = q[i];
        float sq = 0.f;
        for (std::size_t j = 0; j < Dv; ++j) {
          const float s = row[j] + ki * delta[j];
          row[j] = s;
          ot[j] += s * qi;
          sq += s * s;
        }
        n2 += sq;
      }
      if (out.state_norms) out.state_norms[t * Hv + h] = static_cast<float>(std::sqrt(n2));
    }
  }
  if (out.final_state) std::memcpy(out.final_state, S.data(), S.size() * sizeof(float));
}

// Chunked form, per chunk [t0, t0+L) and value head h, with G = chunk-local cumsum of g, Dm[i,j] = e^{G_i - G_j}:
//   KK = k k^T;  Am = strict_lower(beta_i KK_ij Dm_ij);  (I + Am) U = beta o v,  (I + Am) W = beta o e^{G} o k
//   Vn = U - W S0                       (the per-token delta-rule corrections, "v_new")
//   O  = (e^{G} o q) S0 + (q k^T o Dm, lower incl. diag) Vn
//   S1 = e^{G_last} S0 + (e^{G_last - G} o k)^T Vn
// so the state after token t of the chunk is e^{G_t} S0 + sum_{s<=t} e^{G_t-G_s} k_s Vn_s^T (norms: scan_norms.h).
void gated_delta_net_chunked(const GdnDims& d, const GdnInputs& in, const ScanOutputs& out, std::size_t chunk_size) {
  check_dims(d);
  const std::size_t Hv = d.Hv, Dk = d.Dk, Dv = d.Dv, Q = std::max<std::size_t>(chunk_size, 1);
  const std::size_t qks = row_stride(in.qk_stride, d.Hk * Dk), vs = row_stride(in.v_stride, Hv * Dv);
  const bool norms = out.state_norms != nullptr;
  const float qscale = q_scale_of(d, in);
  std::vector<float> beta(d.T * Hv), g(d.T * Hv);
  gdn_gates(d, in, beta.data(), g.data());
  std::vector<float> S(Hv * Dk * Dv, 0.f);
  bool state_zero = true;
  if (in.initial_state) {
    std::memcpy(S.data(), in.initial_state, S.size() * sizeof(float));
    state_zero = false;
  }
  std::vector<float> qc(Q * Dk), kc(Q * Dk), U(Q * Dv), W(Q * Dk), O(Q * Dv), Kw(Q * Dk);
  std::vector<double> G(Q);
  std::vector<float> KK(Q * Q), QK(Q * Q), Dm(Q * Q), Am(Q * Q);
  std::vector<float> KS(norms ? Q * Dv : 0), VV(norms ? Q * Q : 0), cross(norms ? Q : 0);
  const int iQ = static_cast<int>(Q), iDk = static_cast<int>(Dk), iDv = static_cast<int>(Dv);

  for (std::size_t t0 = 0; t0 < d.T; t0 += Q) {
    const std::size_t L = std::min(Q, d.T - t0);
    const int iL = static_cast<int>(L);
    for (std::size_t h = 0; h < Hv; ++h) {
      const std::size_t kh = key_head(d, in, h);
      float* Sh = S.data() + h * Dk * Dv;
      double run = 0.0;  // cumsum in double (see mamba2_ssd.cpp)
      for (std::size_t l = 0; l < L; ++l) {
        const std::size_t t = t0 + l;
        load_row(in.q + t * qks + kh * Dk, Dk, in.l2norm_qk, in.l2norm_eps, qscale, qc.data() + l * Dk);
        load_row(in.k + t * qks + kh * Dk, Dk, in.l2norm_qk, in.l2norm_eps, 1.f, kc.data() + l * Dk);
        run += g[t * Hv + h];
        G[l] = run;
      }
      // KK is symmetric and only its lower triangle is read (Am, norms)
      cblas_ssyrk(CblasRowMajor, CblasLower, CblasNoTrans, iL, iDk, 1.f, kc.data(), iDk, 0.f, KK.data(), iQ);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, iL, iL, iDk, 1.f, qc.data(), iDk, kc.data(), iDk, 0.f,
                  QK.data(), iQ);
      for (std::size_t i = 0; i < L; ++i) {
        const float bi = beta[(t0 + i) * Hv + h];
        for (std::size_t j = 0; j <= i; ++j) {
          const float e = std::exp(static_cast<float>(G[i] - G[j]));
          Dm[i * Q + j] = e;
          Am[i * Q + j] = bi * KK[i * Q + j] * e;
          QK[i * Q + j] *= e;
        }
        for (std::size_t j = i + 1; j < L; ++j) QK[i * Q + j] = 0.f;
      }
      // forward substitution (I + Am) [U | W] = [beta v | beta e^G k]
      for (std::size_t i = 0; i < L; ++i) {
        const std::size_t t = t0 + i;
        const float bi = beta[t * Hv + h], eG = std::exp(static_cast<float>(G[i]));
        const float* vt = in.v + t * vs + h * Dv;
        float* Ui = U.data() + i * Dv;
        float* Wi = W.data() + i * Dk;
        for (std::size_t j = 0; j < Dv; ++j) Ui[j] = bi * vt[j];
        for (std::size_t j = 0; j < Dk; ++j) Wi[j] = bi * eG * kc[i * Dk + j];
        for (std::size_t j = 0; j < i; ++j) {
          const float a = Am[i * Q + j];
          const float* Uj = U.data() + j * Dv;
          const float* Wj = W.data() + j * Dk;
          for (std::size_t c = 0; c < Dv; ++c) Ui[c] -= a * Uj[c];
          for (std::size_t c = 0; c < Dk; ++c) Wi[c] -= a * Wj[c];
        }
      }
      // Vn = U - W S0 (in U);  O = (e^G o q) S0 + QK Vn
      if (!state_zero) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, iL, iDv, iDk, -1.f, W.data(), iDk, Sh, iDv, 1.f,
                    U.data(), iDv);
        for (std::size_t l = 0; l < L; ++l) {
          const float e = std::exp(static_cast<float>(G[l]));
          float* ql = Kw.data() + l * Dk;  // scratch: e^G o q
          for (std::size_t c = 0; c < Dk; ++c) ql[c] = qc[l * Dk + c] * e;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, iL, iDv, iDk, 1.f, Kw.data(), iDk, Sh, iDv, 0.f,
                    O.data(), iDv);
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, iL, iDv, iL, 1.f, QK.data(), iQ, U.data(), iDv,
                  state_zero ? 0.f : 1.f, O.data(), iDv);
      for (std::size_t l = 0; l < L; ++l)
        std::memcpy(out.y + ((t0 + l) * Hv + h) * Dv, O.data() + l * Dv, Dv * sizeof(float));
      if (norms) {
        double s0_sq = 0.0;
        if (!state_zero) {
          for (std::size_t i = 0; i < Dk * Dv; ++i) s0_sq += static_cast<double>(Sh[i]) * Sh[i];
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, iL, iDv, iDk, 1.f, kc.data(), iDk, Sh, iDv, 0.f,
                      KS.data(), iDv);
          for (std::size_t l = 0; l < L; ++l) {
            double a = 0.0;
            for (std::size_t c = 0; c < Dv; ++c) a += static_cast<double>(KS[l * Dv + c]) * U[l * Dv + c];
            cross[l] = static_cast<float>(a);
          }
        } else {
          std::fill(cross.begin(), cross.end(), 0.f);
        }
        cblas_ssyrk(CblasRowMajor, CblasLower, CblasNoTrans, iL, iDv, 1.f, U.data(), iDv, 0.f, VV.data(), iQ);
        chunk_state_norms(L, G.data(), Dm.data(), Q, s0_sq, cross.data(), KK.data(), VV.data(), Q,
                          out.state_norms + t0 * Hv + h, Hv);
      }
      // S = e^{G_last} S + (e^{G_last - G} o k)^T Vn
      const double last = G[L - 1];
      for (std::size_t l = 0; l < L; ++l) {
        const float w = std::exp(static_cast<float>(last - G[l]));
        for (std::size_t c = 0; c < Dk; ++c) Kw[l * Dk + c] = kc[l * Dk + c] * w;
      }
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, iDk, iDv, iL, 1.f, Kw.data(), iDk, U.data(), iDv,
                  state_zero ? 0.f : std::exp(static_cast<float>(last)), Sh, iDv);
    }
    state_zero = false;
  }
  if (out.final_state) std::memcpy(out.final_state, S.data(), S.size() * sizeof(float));
}

}  // namespace hl::cpu
