#include "core/engine/rope.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hl::engine {

std::optional<RopeType> rope_type_from_string(const std::string& s) {
  if (s == "default") return RopeType::default_;
  if (s == "linear") return RopeType::linear;
  if (s == "dynamic") return RopeType::dynamic;
  if (s == "yarn") return RopeType::yarn;
  if (s == "llama3") return RopeType::llama3;
  if (s == "longrope") return RopeType::longrope;
  return std::nullopt;
}

namespace {
constexpr double kPi = 3.14159265358979323846;

// base ** (arange(0, dim, 2).float() / dim) in fp32, as torch: ceil(dim / 2) entries (an odd dim has one more).
std::vector<float> pos_freqs(float base, int dim) {
  std::vector<float> p(static_cast<std::size_t>((dim + 1) / 2));
  for (int i = 0; i < (dim + 1) / 2; ++i) {
    const float e = static_cast<float>(2 * i) / static_cast<float>(dim);
    p[static_cast<std::size_t>(i)] = static_cast<float>(std::pow(static_cast<double>(base), static_cast<double>(e)));
  }
  return p;
}

std::vector<float> default_inv_freq(double base, int dim) {
  std::vector<float> inv = pos_freqs(static_cast<float>(base), dim);
  for (float& v : inv) v = 1.0f / v;
  return inv;
}

double yarn_get_mscale(double scale, double mscale) {
  if (scale <= 1) return 1.0;
  return 0.1 * mscale * std::log(scale) + 1.0;
}
}  // namespace

RopeFreqs rope_inv_freq(const RopeConfig& c, std::int64_t seq_len) {
  if (c.head_dim <= 0) throw std::invalid_argument("rope: head_dim must be positive");
  if (!(c.theta > 0)) throw std::invalid_argument("rope: rope_theta must be positive");
  const int dim = static_cast<int>(static_cast<double>(c.head_dim) * c.partial_rotary_factor);  // python int()
  // An odd dim gets ceil(dim / 2) frequencies, and transformers rotates cos.shape[-1] = dim + 1 channels.
  const int rotated = 2 * ((dim + 1) / 2);
  if (dim <= 0 || rotated > c.head_dim)
    throw std::invalid_argument("rope: rotary_dim = int(head_dim * partial_rotary_factor), rounded up to even, must be "
                                "in (0, head_dim]");
  if (dim % 2 != 0 && c.type == RopeType::yarn)  // transformers' YaRN ramp has dim // 2 entries: it fails too
    throw std::invalid_argument("rope yarn: rotary_dim = int(head_dim * partial_rotary_factor) must be even");
  RopeFreqs out;
  out.rotary_dim = rotated;
  switch (c.type) {
    case RopeType::default_: out.inv_freq = default_inv_freq(c.theta, dim); break;
    case RopeType::linear: {
      out.inv_freq = default_inv_freq(c.theta, dim);
      const float f = static_cast<float>(c.factor);
      for (float& v : out.inv_freq) v /= f;
      break;
    }
    case RopeType::dynamic: {
      if (c.max_position_embeddings <= 0) throw std::invalid_argument("rope dynamic: max_position_embeddings missing");
      if (dim <= 2) throw std::invalid_argument("rope dynamic: rotary_dim must exceed 2");
      const double L = static_cast<double>(std::max(seq_len, c.max_position_embeddings));
      const double base = c.theta * std::pow((c.factor * L / static_cast<double>(c.max_position_embeddings)) -
                                                 (c.factor - 1.0),
                                             static_cast<double>(dim) / static_cast<double>(dim - 2));
      out.inv_freq = default_inv_freq(base, dim);
      break;
    }
    case RopeType::llama3: {
      if (c.original_max_position_embeddings <= 0)
        throw std::invalid_argument("rope llama3: original_max_position_embeddings missing");
      if (c.high_freq_factor == c.low_freq_factor)
        throw std::invalid_argument("rope llama3: high_freq_factor equals low_freq_factor");
      std::vector<float> inv = default_inv_freq(c.theta, dim);
      const double old_ctx = static_cast<double>(c.original_max_position_embeddings);
      const float low_wavelen = static_cast<float>(old_ctx / c.low_freq_factor);
      const float high_wavelen = static_cast<float>(old_ctx / c.high_freq_factor);
      const float factor = static_cast<float>(c.factor);
      const float two_pi = static_cast<float>(2 * kPi);
      const float old_f = static_cast<float>(old_ctx);
      const float low_f = static_cast<float>(c.low_freq_factor);
      const float denom = static_cast<float>(c.high_freq_factor - c.low_freq_factor);
      for (float& v : inv) {
        const float wavelen = two_pi / v;
        const float llama = wavelen > low_wavelen ? v / factor : v;
        const float smooth = (old_f / wavelen - low_f) / denom;
        const float smoothed = (1.0f - smooth) * llama / factor + smooth * llama;
        const bool medium = !(wavelen < high_wavelen) && !(wavelen > low_wavelen);
        v = medium ? smoothed : llama;
      }
      out.inv_freq = std::move(inv);
      break;
    }
    case RopeType::yarn: {
      if (c.original_max_position_embeddings <= 0)
        throw std::invalid_argument("rope yarn: original_max_position_embeddings missing");
      const double orig = static_cast<double>(c.original_max_position_embeddings);
      double factor = c.factor;
      if (!(factor > 0)) {
        if (c.max_position_embeddings <= 0) throw std::invalid_argument("rope yarn: factor and max_position_embeddings missing");
        factor = static_cast<double>(c.max_position_embeddings) / orig;
      }
      double attn;
      if (c.attention_factor) {
        attn = *c.attention_factor;
      } else if (c.mscale && c.mscale_all_dim && *c.mscale != 0 && *c.mscale_all_dim != 0) {
        attn = yarn_get_mscale(factor, *c.mscale) / yarn_get_mscale(factor, *c.mscale_all_dim);
      } else {
        attn = yarn_get_mscale(factor, 1.0);
      }
      const double beta_fast = c.beta_fast != 0 ? c.beta_fast : 32.0;
      const double beta_slow = c.beta_slow != 0 ? c.beta_slow : 1.0;
      const double ddim = static_cast<double>(dim);
      auto correction_dim = [&](double num_rot) {
        return (ddim * std::log(orig / (num_rot * 2 * kPi))) / (2 * std::log(c.theta));
      };
      double low = correction_dim(beta_fast), high = correction_dim(beta_slow);
      if (c.truncate) {
        low = std::floor(low);
        high = std::ceil(high);
      }
      low = std::max(low, 0.0);
      high = std::min(high, ddim - 1);
      if (low == high) high += 0.001;  // linear_ramp_factor's singularity guard
      const float lo_f = static_cast<float>(low);
      const float range_f = static_cast<float>(high - low);
      const std::vector<float> pf = pos_freqs(static_cast<float>(c.theta), dim);
      const float factor_f = static_cast<float>(factor);
      out.inv_freq.resize(pf.size());
      for (std::size_t i = 0; i < pf.size(); ++i) {
        const float extrap = 1.0f / pf[i];
        const float interp = 1.0f / (factor_f * pf[i]);
        const float ramp = std::clamp((static_cast<float>(i) - lo_f) / range_f, 0.0f, 1.0f);
        const float ef = 1.0f - ramp;  // inv_freq_extrapolation_factor
        out.inv_freq[i] = interp * (1.0f - ef) + extrap * ef;
      }
      out.attention_scaling = static_cast<float>(attn);
      break;
    }
    case RopeType::longrope: {  // _compute_longrope_parameters + dynamic_rope_update's long/short switch
      if (c.original_max_position_embeddings <= 0)
        throw std::invalid_argument("rope longrope: original_max_position_embeddings missing");
      const double orig = static_cast<double>(c.original_max_position_embeddings);
      const bool long_context = seq_len > c.original_max_position_embeddings;
      const auto& ext = long_context ? c.long_factor : c.short_factor;
      if (ext.size() != static_cast<std::size_t>(rotated / 2))
        throw std::invalid_argument(std::string("rope longrope: ") + (long_context ? "long" : "short") +
                                    "_factor has " + std::to_string(ext.size()) + " entries, expected rotary_dim/2 = " +
                                    std::to_string(rotated / 2));
      double factor = c.factor;
      if (!(factor > 0)) {
        if (c.max_position_embeddings <= 0)
          throw std::invalid_argument("rope longrope: factor and max_position_embeddings missing");
        factor = static_cast<double>(c.max_position_embeddings) / orig;
      }
      const double attn = c.attention_factor ? *c.attention_factor
                          : factor <= 1.0   ? 1.0
                                            : std::sqrt(1 + std::log(factor) / std::log(orig));
      const std::vector<float> pf = pos_freqs(static_cast<float>(c.theta), dim);
      out.inv_freq.resize(pf.size());
      for (std::size_t i = 0; i < pf.size(); ++i) out.inv_freq[i] = 1.0f / (static_cast<float>(ext[i]) * pf[i]);
      out.attention_scaling = static_cast<float>(attn);
      break;
    }
  }
  return out;
}

RopeTables rope_tables(const RopeFreqs& f, std::span<const std::int32_t> positions) {
  const std::size_t n_pos = positions.size();
  RopeTables t;
  t.rotary_dim = f.rotary_dim;
  const std::size_t half = f.inv_freq.size();
  t.cos.resize(n_pos * half);
  t.sin.resize(n_pos * half);
  for (std::size_t p = 0; p < n_pos; ++p) {
    const float pos = static_cast<float>(positions[p]);
    for (std::size_t j = 0; j < half; ++j) {
      const float angle = pos * f.inv_freq[j];  // fp32 product, as torch
      t.cos[p * half + j] = static_cast<float>(std::cos(static_cast<double>(angle))) * f.attention_scaling;
      t.sin[p * half + j] = static_cast<float>(std::sin(static_cast<double>(angle))) * f.attention_scaling;
    }
  }
  return t;
}

RopeTables rope_tables(const RopeFreqs& f, std::int64_t first_pos, std::size_t n_pos) {
  std::vector<std::int32_t> pos(n_pos);
  for (std::size_t i = 0; i < n_pos; ++i) pos[i] = static_cast<std::int32_t>(first_pos + static_cast<std::int64_t>(i));
  return rope_tables(f, std::span<const std::int32_t>(pos));
}

}  // namespace hl::engine
