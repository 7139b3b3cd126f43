#include "core/cpu/token_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/cpu/gemm.h"
#include "core/cpu/parallel.h"

namespace hl::cpu {

namespace {

// Online state for one position.
struct RowState {
  float m = -std::numeric_limits<float>::infinity();
  double s = 0.0;  // sum exp(z - m)
  double e = 0.0;  // sum exp(z - m) * (z - m)
  std::int64_t greater = 0;
  float target = std::numeric_limits<float>::quiet_NaN();
  bool has_target = false;
  std::size_t n_top = 0;
};

// Fold one tile row z[0..nv) (ids v0..) into the state; top-k kept sorted (best first) in top_z / top_id.
void fold(RowState& st, const float* z, std::size_t nv, std::size_t v0, std::size_t k, float* top_z,
          std::int32_t* top_id) {
  float mx = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < nv; ++i) mx = std::max(mx, z[i]);
  if (mx > st.m) {
    if (st.s > 0.0) {
      const double delta = static_cast<double>(mx) - static_cast<double>(st.m);
      const double c = std::exp(-delta);
      st.e = (st.e - delta * st.s) * c;
      st.s *= c;
    }
    st.m = mx;
  }
  const float m = st.m;
  double s = 0.0, e = 0.0;
  if (m != -std::numeric_limits<float>::infinity()) {
    for (std::size_t i = 0; i < nv; ++i) {
      const float d = z[i] - m;
      const float w = std::exp(d);
      if (w == 0.0f) continue;
      s += w;
      e += static_cast<double>(w) * d;
    }
  }
  st.s += s;
  st.e += e;
  if (st.has_target) {
    std::int64_t g = 0;
    const float tz = st.target;
    for (std::size_t i = 0; i < nv; ++i) g += z[i] > tz ? 1 : 0;
    st.greater += g;
  }
  // top-k: insert strictly better candidates (ties keep the earlier, lower id); NaN logits propagate through s
  if (k == 0) return;
  for (std::size_t i = 0; i < nv; ++i) {
    const float v = z[i];
    if (st.n_top == k && !(v > top_z[k - 1])) continue;
    if (std::isnan(v)) continue;
    std::size_t pos = st.n_top < k ? st.n_top : k - 1;
    while (pos > 0 && top_z[pos - 1] < v) {
      top_z[pos] = top_z[pos - 1];
      top_id[pos] = top_id[pos - 1];
      --pos;
    }
    top_z[pos] = v;
    top_id[pos] = static_cast<std::int32_t>(v0 + i);
    if (st.n_top < k) ++st.n_top;
  }
}

void finalize(const RowState& st, std::size_t t, std::size_t k, const float* top_z, const std::int32_t* top_id,
              const TokenStatsOut& out) {
  const double lse = static_cast<double>(st.m) + std::log(st.s);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double nll = st.has_target ? lse - static_cast<double>(st.target) : nan;
  if (out.nll) out.nll[t] = static_cast<float>(nll);
  if (out.prob) out.prob[t] = static_cast<float>(std::exp(-nll));
  if (out.rank) out.rank[t] = st.has_target ? static_cast<std::int32_t>(st.greater) : -1;
  if (out.entropy) out.entropy[t] = static_cast<float>(std::log(st.s) - st.e / st.s);
  if (out.lse) out.lse[t] = static_cast<float>(lse);
  if (out.target_logit) out.target_logit[t] = st.has_target ? st.target : static_cast<float>(nan);
  for (std::size_t j = 0; j < k; ++j) {
    const bool used = j < st.n_top;
    if (out.topk_ids) out.topk_ids[t * k + j] = used ? top_id[j] : -1;
    if (out.topk_probs)
      out.topk_probs[t * k + j] = used ? static_cast<float>(std::exp(static_cast<double>(top_z[j]) - lse)) : 0.0f;
  }
}

struct Accumulator {
  std::size_t T, k;
  std::vector<RowState> st;
  std::vector<float> top_z;
  std::vector<std::int32_t> top_id;
  Accumulator(std::size_t T_, std::size_t k_) : T(T_), k(k_), st(T_), top_z(T_ * std::max<std::size_t>(k_, 1)),
                                                  top_id(T_ * std::max<std::size_t>(k_, 1), -1) {}
  float* tz(std::size_t t) { return top_z.data() + t * std::max<std::size_t>(k, 1); }
  std::int32_t* tid(std::size_t t) { return top_id.data() + t * std::max<std::size_t>(k, 1); }
};

}  // namespace

std::size_t lm_head_vocab_tile(std::size_t T, std::size_t H, std::size_t V) {
  // Logits tile T x tile <= 16M floats (64 MiB); widened weight tile tile x H <= 8M floats (32 MiB).
  std::size_t tile = std::min<std::size_t>((std::size_t{16} << 20) / std::max<std::size_t>(T, 1),
                                           (std::size_t{8} << 20) / std::max<std::size_t>(H, 1));
  tile = std::clamp<std::size_t>(tile, 256, 8192);
  return std::min(tile, std::max<std::size_t>(V, 1));
}

void token_stats_from_logits(const float* logits, std::size_t T, std::size_t V, std::size_t ldl,
                             const std::int32_t* targets, std::size_t k, const LogitTransform& tf,
                             const TokenStatsOut& out) {
  k = std::min(k, kMaxTopK);
  Accumulator acc(T, k);
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t ti) {
    const auto t = static_cast<std::size_t>(ti);
    const float* row = logits + t * ldl;
    std::vector<float> z(row, row + V);
    if (!tf.identity())
      for (float& v : z) v = tf(v);
    RowState& st = acc.st[t];
    if (targets && targets[t] >= 0) {
      st.has_target = true;
      st.target = z[static_cast<std::size_t>(targets[t])];
    }
    fold(st, z.data(), V, 0, k, acc.tz(t), acc.tid(t));
    finalize(st, t, k, acc.tz(t), acc.tid(t), out);
  });
}

void lm_head_stats(const float* hidden, std::size_t T, std::size_t H, std::size_t ldh, const void* W, WType wtype,
                   std::size_t V, const void* bias, WType btype, const std::int32_t* targets, std::size_t k,
                   const LogitTransform& tf, const TokenStatsOut& out, const LogitsSink& sink,
                   std::size_t vocab_tile) {
  if (T == 0) return;
  k = std::min(k, kMaxTopK);
  const std::size_t tile = vocab_tile ? std::min(vocab_tile, V) : lm_head_vocab_tile(T, H, V);
  Accumulator acc(T, k);
  const std::size_t wsz = wtype_size(wtype);
  // Raw target logits in double, substituted into the tiles.
  std::vector<float> raw_target(T, 0.f);
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t ti) {
    const auto t = static_cast<std::size_t>(ti);
    if (!targets || targets[t] < 0) return;
    const auto id = static_cast<std::size_t>(targets[t]);
    const void* wrow = static_cast<const char*>(W) + id * H * wsz;
    const float* x = hidden + t * ldh;
    double s = 0.0;
    for (std::size_t h = 0; h < H; ++h) s += static_cast<double>(x[h]) * load_f32(wrow, wtype, h);
    float raw = static_cast<float>(s);
    if (bias) raw += load_f32(bias, btype, id);
    raw_target[t] = raw;
    acc.st[t].has_target = true;
    acc.st[t].target = tf(raw);
  });
  std::vector<float> logits(T * tile);
  for (std::size_t v0 = 0; v0 < V; v0 += tile) {
    const std::size_t nv = std::min(tile, V - v0);
    const void* wt = static_cast<const char*>(W) + v0 * H * wsz;
    const void* bt = bias ? static_cast<const char*>(bias) + v0 * wtype_size(btype) : nullptr;
    linear(hidden, T, H, ldh, wt, wtype, nv, bt, btype, logits.data(), nv);  // outside any parallel region
    parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t ti) {
      const auto t = static_cast<std::size_t>(ti);
      float* row = logits.data() + t * nv;
      if (targets && targets[t] >= 0) {
        const auto id = static_cast<std::size_t>(targets[t]);
        if (id >= v0 && id < v0 + nv) row[id - v0] = raw_target[t];
      }
      if (!tf.identity())
        for (std::size_t i = 0; i < nv; ++i) row[i] = tf(row[i]);
      fold(acc.st[t], row, nv, v0, k, acc.tz(t), acc.tid(t));
    });
    if (sink) sink(v0, nv, logits.data(), nv);
  }
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t ti) {
    const auto t = static_cast<std::size_t>(ti);
    finalize(acc.st[t], t, k, acc.tz(t), acc.tid(t), out);
  });
}

}  // namespace hl::cpu
