#pragma once
// Per-token state norms inside one chunk of a chunked linear recurrence, without materialising the states.
//
// Both chunked scans (Mamba2 SSD, Gated DeltaNet) write the state after token t of a chunk (t = 0..L-1) as
//   S_t = e^{cs_t} S0 + sum_{s<=t} e^{cs_t - cs_s} x_s (outer) b_s           S, S0: [X, Y]; x_s: [X]; b_s: [Y]
// (Mamba2: x_s = dt_s*x_s [P], b_s = B_s [N], cs = cumsum(dt*A); GDN: x_s = k_s [Dk], b_s = v_new_s [Dv], cs = cumsum(g)).
// Then ||S_t||_F^2 = e^{2 cs_t} ||S0||^2 + 2 e^{cs_t} c_t + q_t with
//   c_t = sum_{s<=t} e^{cs_t-cs_s} (x_s^T S0 b_s)                         c_t = e^{a_t} c_{t-1} + cross_t
//   q_t = sum_{s,s'<=t} e^{cs_t-cs_s} e^{cs_t-cs_s'} (x_s.x_s')(b_s.b_s')  q_t = e^{2a_t} q_{t-1} + 2 r_t + K_tt
//   r_t = sum_{s<t} e^{cs_t-cs_s} K_ts,  K = XX o BB,  a_t = cs_t - cs_{t-1}
// Only exponents <= 0 appear (cs is non-increasing), so nothing overflows. Cost O(L^2) given the two Gram matrices.
#include <cstddef>

namespace hl::cpu {

// cs: [L] inclusive cumsum of the log-decays from the chunk start.
// decay: [L, ldd] with decay[t, s] = e^{cs_t - cs_s} for s < t (only the strict lower triangle is read).
// s0_sq: ||S0||_F^2. cross: [L], cross_s = x_s^T S0 b_s. xx, bb: [L, ldg] Gram matrices (x_t.x_s, b_t.b_s; lower
// triangle incl. diagonal is read). Writes sqrt(||S_t||^2) to out[t * out_stride].
void chunk_state_norms(std::size_t L, const double* cs, const float* decay, std::size_t ldd, double s0_sq,
                       const float* cross, const float* xx, const float* bb, std::size_t ldg, float* out,
                       std::size_t out_stride);

}  // namespace hl::cpu
