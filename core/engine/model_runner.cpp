#include "core/engine/model_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <string>

#include "core/engine/rope.h"
#include "core/model/context_limit.h"

namespace hl::engine {

namespace {

RopeConfig rope_config(const RopeSpec& r, std::int64_t head_dim, std::int64_t max_positions) {
  RopeConfig cfg;
  switch (r.type) {
    case hl::RopeType::Default: cfg.type = engine::RopeType::default_; break;
    case hl::RopeType::Linear: cfg.type = engine::RopeType::linear; break;
    case hl::RopeType::Dynamic: cfg.type = engine::RopeType::dynamic; break;
    case hl::RopeType::Yarn: cfg.type = engine::RopeType::yarn; break;
    case hl::RopeType::Llama3: cfg.type = engine::RopeType::llama3; break;
    case hl::RopeType::LongRope: cfg.type = engine::RopeType::longrope; break;
    case hl::RopeType::None: throw std::logic_error("rope_config called for a NoPE layer");
  }
  cfg.theta = r.theta;
  cfg.head_dim = static_cast<int>(head_dim);
  cfg.partial_rotary_factor = r.partial_rotary_factor;
  cfg.factor = r.factor;
  cfg.max_position_embeddings = max_positions;
  cfg.original_max_position_embeddings = r.original_max_position_embeddings;
  cfg.low_freq_factor = r.low_freq_factor;
  cfg.high_freq_factor = r.high_freq_factor;
  cfg.beta_fast = r.beta_fast;
  cfg.beta_slow = r.beta_slow;
  cfg.attention_factor = r.attention_factor;
  cfg.mscale = r.mscale;
  cfg.mscale_all_dim = r.mscale_all_dim;
  cfg.truncate = r.truncate;
  cfg.short_factor = r.short_factor;
  cfg.long_factor = r.long_factor;
  return cfg;
}

std::string rope_key(const RopeConfig& c) {
  std::ostringstream s;
  s.precision(17);
  s << static_cast<int>(c.type) << '/' << c.theta << '/' << c.head_dim << '/' << c.partial_rotary_factor << '/'
    << c.factor << '/' << c.max_position_embeddings << '/' << c.original_max_position_embeddings << '/'
    << c.low_freq_factor << '/' << c.high_freq_factor << '/' << c.beta_fast << '/' << c.beta_slow << '/'
    << c.attention_factor.value_or(-1) << '/' << c.mscale.value_or(-1) << '/' << c.mscale_all_dim.value_or(-1) << '/'
    << c.truncate;
  for (const auto* factors : {&c.short_factor, &c.long_factor}) {
    s << '/';
    for (double f : *factors) s << f << ',';
  }
  return s.str();
}

std::vector<float> to_host(Backend& b, const Tensor& t) {
  std::vector<float> v(static_cast<std::size_t>(t.numel()));
  b.download(t, v.data());
  return v;
}

}  // namespace

ModelRunner::ModelRunner(const ModelSpec& spec, const Checkpoint& checkpoint, Backend& backend)
    : spec_(spec),
      backend_(backend),
      bound_(BoundModel::bind(spec, checkpoint)),
      bound_weights_(bind_weights(spec, bound_)),
      weights_(backend) {}

void ModelRunner::norm(const NormSpec& n, const LinearWeights& w, const Tensor& x, const Tensor& y) {
  const Tensor& scale = weights_(w.weight);
  NormParams p;
  p.eps = static_cast<float>(n.eps);
  switch (n.kind) {
    case NormKind::RMSNorm:
    case NormKind::RMSNormOnePlus:
      p.zero_centered = n.kind == NormKind::RMSNormOnePlus;
      backend_.rms_norm(x, scale, y, p);
      return;
    case NormKind::LayerNorm:
      backend_.layer_norm(x, scale, &weights_(w.bias), y, p);
      return;
    case NormKind::LayerNormNoBias:
      backend_.layer_norm(x, scale, nullptr, y, p);
      return;
  }
}

Tensor ModelRunner::project(const Tensor& x, const Tensor& w, const Tensor* bias) {
  Tensor y = backend_.alloc(DType::f32, {x.dim(0), w.dim(0)});
  backend_.linear(x, w, bias, y);
  return y;
}

Tensor ModelRunner::project(const Tensor& x, const LinearWeights& w) {
  return project(x, weights_(w.weight), weights_.optional(w.bias));
}

void ModelRunner::add_lora(const LoraWeights& lora, const Tensor& x, const Tensor& y) {
  backend_.residual_add(y, project(project(x, weights_(lora.down)), weights_(lora.up)), 1.f);
}

Tensor ModelRunner::normed(const NormSpec& n, const LinearWeights& w, const Tensor& x) {
  Tensor y = backend_.alloc(DType::f32, x.shape());
  norm(n, w, x, y);
  return y;
}

ModelRunner::MlpTensors ModelRunner::mlp_tensors(const MlpWeights& w) {
  return {weights_.optional(w.gate_up.weight), weights_.optional(w.gate.weight), weights_.optional(w.up.weight),
          &weights_(w.down.weight),            weights_.optional(w.gate_up.bias), weights_.optional(w.gate.bias),
          weights_.optional(w.up.bias),        weights_.optional(w.down.bias)};
}

// down(act(gate(x)) * up(x)) / down(act(up(x))); fused gate_up rows are [gate; up]. Rows of x = tokens (or the tokens
// routed to one expert).
Tensor ModelRunner::run_mlp(const MlpSpec& m, const MlpTensors& w, const Tensor& x) {
  const std::int64_t n = x.dim(0);
  const Activation act = m.activation;
  const auto mlp_gate = static_cast<float>(spec_.multipliers.mlp_gate);  // falcon_h1: act(gate(x) · mlp_gate)
  Tensor inner;
  if (w.gate_up != nullptr) {  // gated, fused; an ungated "gate_up" (stacked experts) is just up
    const Tensor gate_up = project(x, *w.gate_up, w.gate_up_bias);
    if (!m.gated) {
      inner = gate_up;
      backend_.activation(act, inner, inner);
    } else {
      const std::int64_t I = gate_up.dim(1) / 2;
      if (mlp_gate != 1.0f) backend_.scale(gate_up.slice(1, 0, I), mlp_gate);
      inner = backend_.alloc(DType::f32, {n, I});
      backend_.gated_activation(act, gate_up.slice(1, 0, I), gate_up.slice(1, I, 2 * I), inner);
    }
  } else if (!m.gated) {
    inner = project(x, *w.up, w.up_bias);
    backend_.activation(act, inner, inner);
  } else {
    inner = project(x, *w.gate, w.gate_bias);
    if (mlp_gate != 1.0f) backend_.scale(inner, mlp_gate);
    backend_.gated_activation(act, inner, project(x, *w.up, w.up_bias), inner);
  }
  Tensor y = project(inner, *w.down, w.down_bias);
  if (spec_.multipliers.mlp_down != 1.0) backend_.scale(y, static_cast<float>(spec_.multipliers.mlp_down));
  return y;
}

Tensor ModelRunner::attention(Context& c, const AttentionSpec& a, const AttentionWeights& w, const Tensor& x,
                              const HybridWeights* hybrid) {
  const std::int64_t T = c.T, H = a.num_heads, KV = a.num_kv_heads, D = a.head_dim;
  auto project_with = [&](const LinearWeights& p, LoraWeights HybridWeights::*adapter) {
    Tensor y = project(x, p);
    if (hybrid != nullptr) add_lora(hybrid->*adapter, x, y);
    return y;
  };

  Tensor q, k, v, gate;
  if (w.qkv.weight != nullptr) {
    const Tensor qkv = project(x, w.qkv);
    const std::int64_t row = qkv.stride(0);
    if (a.fused_qkv_interleaved) {  // per head [q_h | k_h | v_h]
      q = qkv.strided({T, H, D}, {row, 3 * D, 1, 0}, 0);
      k = qkv.strided({T, H, D}, {row, 3 * D, 1, 0}, D);
      v = qkv.strided({T, H, D}, {row, 3 * D, 1, 0}, 2 * D);
    } else {  // [Q | K | V] blocks
      q = qkv.strided({T, H, D}, {row, D, 1, 0}, 0);
      k = qkv.strided({T, KV, D}, {row, D, 1, 0}, H * D);
      v = qkv.strided({T, KV, D}, {row, D, 1, 0}, (H + KV) * D);
    }
  } else {
    const Tensor qp = project_with(w.q, &HybridWeights::q);
    if (a.output_gate) {  // per head [q_h | gate_h]
      q = qp.strided({T, H, D}, {qp.stride(0), 2 * D, 1, 0}, 0);
      gate = qp.strided({T, H, D}, {qp.stride(0), 2 * D, 1, 0}, D);
    } else {
      q = qp.reshape({T, H, D});
    }
    k = project_with(w.k, &HybridWeights::k).reshape({T, KV, D});
    v = project_with(w.v, &HybridWeights::v).reshape({T, KV, D});
  }

  switch (a.qk_norm) {
    case QkNormScope::None: break;
    case QkNormScope::PerHead:
      norm(a.qk_norm_spec, {w.q_norm}, q, q);
      norm(a.qk_norm_spec, {w.k_norm}, k, k);
      break;
    case QkNormScope::FullProjection: {  // over the whole projection: q and k are contiguous here
      const Tensor q2 = q.reshape({T, H * D}), k2 = k.reshape({T, KV * D});
      norm(a.qk_norm_spec, {w.q_norm}, q2, q2);
      norm(a.qk_norm_spec, {w.k_norm}, k2, k2);
      break;
    }
  }
  if (spec_.multipliers.key != 1.0)  // falcon_h1 key_multiplier, per kv head on rank-2 views
    for (std::int64_t h = 0; h < KV; ++h)
      backend_.scale(k.strided({T, D}, {k.stride(0), 1, 0, 0}, h * k.stride(1)),
                     static_cast<float>(spec_.multipliers.key));

  if (a.rope.type != hl::RopeType::None) {
    const auto& [cos, sin] = rope_cos_sin(c, a.rope, D);
    backend_.rope(q, cos, sin);
    backend_.rope(k, cos, sin);
  }

  Tensor out = backend_.alloc(DType::f32, {T, H * D});
  AttentionParams p;
  p.scale = static_cast<float>(a.softmax_scale);
  p.sliding_window = a.sliding_window;
  backend_.attention(q, k, v, out, p);
  if (a.output_gate) {  // out_h *= sigmoid(gate_h), one rank-2 view pair per head
    for (std::int64_t h = 0; h < H; ++h) {
      const Tensor g = gate.strided({T, D}, {gate.stride(0), 1, 0, 0}, h * gate.stride(1));
      const Tensor o = out.strided({T, D}, {out.stride(0), 1, 0, 0}, h * D);
      backend_.gated_activation(Activation::Sigmoid, g, o, o);
    }
  }
  return project(out, w.o);
}

const std::pair<Tensor, Tensor>& ModelRunner::rope_cos_sin(Context& c, const RopeSpec& rope, std::int64_t head_dim) {
  const RopeConfig cfg = rope_config(rope, head_dim, spec_.max_position_embeddings);
  const std::string key = rope_key(cfg);
  auto it = c.rope_tables.find(key);
  if (it == c.rope_tables.end()) {
    const std::int64_t T = c.T;
    const RopeTables tables = rope_tables(rope_inv_freq(cfg, T), 0, static_cast<std::size_t>(T));
    const std::int64_t half = tables.rotary_dim / 2;
    // Owned host copies: the CPU backend's upload returns the same handle, and `tables` dies here.
    Tensor cos = Tensor::empty(DType::f32, {T, half}), sin = Tensor::empty(DType::f32, {T, half});
    std::copy(tables.cos.begin(), tables.cos.end(), cos.ptr<float>());
    std::copy(tables.sin.begin(), tables.sin.end(), sin.ptr<float>());
    it = c.rope_tables.emplace(key, std::make_pair(backend_.upload(cos), backend_.upload(sin))).first;
  }
  return it->second;
}

Tensor ModelRunner::mixer(Context& c, const LayerPlan& layer, const Tensor& x) {
  const MixerSpec& m = layer.mixer;
  switch (m.kind) {
    case MixerKind::FullAttention:
    case MixerKind::SlidingAttention:
      return attention(c, m.attention, weights_of(layer).attn, x);
    case MixerKind::Mamba1: return mamba1(c, layer, m.mamba1, x);
    case MixerKind::Mamba2: return mamba2(c, layer, m.mamba2, x);
    case MixerKind::GatedDeltaNet: return gated_delta_net(c, layer, m.gdn, x);
    case MixerKind::ShortConv: return short_conv(c, layer, x);
    case MixerKind::RwkvTimeMix: return rwkv_time_mix(c, layer, x);
    case MixerKind::RgLru: return rg_lru_block(c, layer, x);
    case MixerKind::LightningAttention: return lightning_attention(c, layer, x);
    case MixerKind::KimiDelta: return kimi_delta(c, layer, x);
    case MixerKind::LatentAttention: return latent_attention(c, layer, x);
    case MixerKind::MLstm: return mlstm(c, layer, x);
    case MixerKind::ParallelAttentionMamba2: {
      // falcon_h1: mamba(x · ssm_in) · ssm_out + attention(x · attention_in) · attention_out, same normed x.
      const Multipliers& mu = spec_.multipliers;
      auto scaled = [&](double s) {
        if (s == 1.0) return x;
        Tensor t = backend_.alloc(DType::f32, x.shape());  // zero-filled: t = 0 + s·x
        backend_.residual_add(t, x, static_cast<float>(s));
        return t;
      };
      Tensor out = mamba2(c, layer, m.mamba2, scaled(mu.ssm_in));
      if (mu.ssm_out != 1.0) backend_.scale(out, static_cast<float>(mu.ssm_out));
      const Tensor a = attention(c, m.attention, weights_of(layer).attn, scaled(mu.attention_in));
      backend_.residual_add(out, a, static_cast<float>(mu.attention_out));
      return out;
    }
    default:
      throw std::runtime_error(std::string("layer ") + std::to_string(layer.index) + ": mixer '" +
                               to_string(m.kind) + "' is not implemented in the engine yet");
  }
}

Tensor ModelRunner::ffn(Context& c, const LayerPlan& layer, const Tensor& x) {
  const FfnSpec& f = layer.ffn;
  switch (f.kind) {
    case FfnKind::Mlp:
      return run_mlp(f.mlp, mlp_tensors(weights_of(layer).mlp), x);
    case FfnKind::Moe:
      return moe(c, layer, f.moe, x);
    case FfnKind::RwkvChannelMix:
      return rwkv_channel_mix(layer, x);
    default:
      throw std::runtime_error(std::string("layer ") + std::to_string(layer.index) + ": feed-forward '" +
                               to_string(f.kind) + "' is not implemented in the engine yet");
  }
}

// Zamba2 shared transformer block (no residual adds inside; HF Zamba2AttentionDecoderLayer + Zamba2HybridLayer.linear):
//   t = input_layernorm([h | embeddings]); t = attention(t) (+ q/k/v LoRA adapters of this hybrid layer);
//   t = pre_ff_layernorm(t); t = down(act(gate) · up) with gate_up += its adapter; return linear(t).
Tensor ModelRunner::shared_block(Context& c, const LayerPlan& layer, const Tensor& h) {
  const auto block = static_cast<std::size_t>(layer.shared_block);
  const SharedBlockSpec& b = spec_.shared_blocks.at(block);
  const SharedBlockWeights& w = bound_weights_.shared_blocks.at(block);
  const HybridWeights& hybrid = weights_of(layer).hybrid;
  const std::int64_t T = c.T, d = spec_.hidden_size;
  Tensor cat = backend_.alloc(DType::f32, {T, 2 * d});
  backend_.residual_add(cat.slice(1, 0, d), h, 1.f);
  backend_.residual_add(cat.slice(1, d, 2 * d), c.embeddings, 1.f);
  norm(b.norm, w.input_norm, cat, cat);
  const Tensor att = attention(c, b.attention, w.attn, cat, b.attention_adapters ? &hybrid : nullptr);
  norm(b.norm, w.pre_ffn_norm, att, att);

  const MlpSpec& m = b.mlp;
  Tensor out = backend_.alloc(DType::f32, {T, d});
  const Tensor& w_linear = weights_(hybrid.linear);
  if (!b.mlp_adapters) {  // Zamba: a plain MLP
    backend_.linear(run_mlp(m, mlp_tensors(w.mlp), att), w_linear, nullptr, out);
    return out;
  }
  const Tensor gate_up = project(att, w.mlp.gate_up);
  add_lora(hybrid.gate_up, att, gate_up);
  const std::int64_t I = gate_up.dim(1) / 2;
  Tensor inner = backend_.alloc(DType::f32, {T, I});
  backend_.gated_activation(m.activation, gate_up.slice(1, 0, I), gate_up.slice(1, I, 2 * I), inner);
  backend_.linear(project(inner, w.mlp.down), w_linear, nullptr, out);
  return out;
}

void ModelRunner::run_layer(Context& c, const LayerPlan& layer) {
  // RWKV's inference rescaling divides this layer's output projections by 2^(i / n): the same as scaling the branch.
  const std::int64_t every = spec_.halve_residual_every;
  const float rm = static_cast<float>(spec_.multipliers.residual) *
                   (every > 0 ? std::ldexp(1.f, -static_cast<int>(layer.index / every)) : 1.f);
  const bool has_mixer = layer.mixer.kind != MixerKind::None, has_ffn = layer.ffn.kind != FfnKind::None;
  const LayerWeights& w = weights_of(layer);
  // A norm the plan does not have at that place (no weight bound) passes the input through unchanged.
  auto maybe_normed = [&](const LinearWeights& n, const Tensor& x) {
    return n.weight == nullptr ? x : normed(spec_.norm, n, x);
  };
  auto maybe_norm_in_place = [&](const LinearWeights& n, const Tensor& x) {
    if (n.weight != nullptr) norm(spec_.norm, n, x, x);
  };

  if (layer.parallel_residual) {  // h = h + mixer(norm1(h)) + ffn(norm2(h)), both read the same h
    const Tensor a = mixer(c, layer, maybe_normed(w.pre_mixer_norm, c.h));
    const Tensor f = ffn(c, layer, maybe_normed(w.pre_ffn_norm, c.h));
    backend_.residual_add(c.h, a, rm);
    backend_.residual_add(c.h, f, rm);
    return;
  }
  if (layer.norm_placement == NormPlacement::NormedResidual) {  // MiniMax: h = α·norm(h) + β·f(norm(h)), twice
    auto block = [&](const LinearWeights& n, double alpha, double beta, auto&& f) {
      maybe_norm_in_place(n, c.h);
      const Tensor out = f(c.h);
      if (alpha != 1.0) backend_.scale(c.h, static_cast<float>(alpha));
      backend_.residual_add(c.h, out, static_cast<float>(beta));
    };
    const auto run_mixer = [&](const Tensor& x) { return mixer(c, layer, x); };
    const auto run_ffn = [&](const Tensor& x) { return ffn(c, layer, x); };
    if (has_mixer) block(w.pre_mixer_norm, layer.mixer_alpha, layer.mixer_beta, run_mixer);
    if (has_ffn) block(w.pre_ffn_norm, layer.ffn_alpha, layer.ffn_beta, run_ffn);
    return;
  }
  const bool pre = layer.norm_placement != NormPlacement::PostNorm;
  const bool post = layer.norm_placement != NormPlacement::PreNorm;
  if (has_mixer) {
    Tensor in = c.h;
    if (layer.shared_block >= 0) {  // zamba2 hybrid layer: mamba(norm(h + linear(shared_block(h, embeddings))))
      in = backend_.alloc(DType::f32, c.h.shape());
      backend_.residual_add(in, c.h, 1.f);
      backend_.residual_add(in, shared_block(c, layer, c.h), 1.f);
    }
    const Tensor a = mixer(c, layer, pre ? maybe_normed(w.pre_mixer_norm, in) : in);
    if (post) maybe_norm_in_place(w.post_mixer_norm, a);
    backend_.residual_add(c.h, a, rm);
  }
  if (has_ffn) {
    const Tensor f = ffn(c, layer, pre ? maybe_normed(w.pre_ffn_norm, c.h) : c.h);
    if (post) maybe_norm_in_place(w.post_ffn_norm, f);
    backend_.residual_add(c.h, f, rm);
  }
}

ScoreResult ModelRunner::score(std::span<const std::int32_t> ids, const ScoreOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (ids.empty()) throw std::invalid_argument("nothing to score: the token sequence is empty");
  if (options.top_k > 20) throw std::invalid_argument("top-k must be at most 20");
  const std::int64_t T = static_cast<std::int64_t>(ids.size());
  const ContextLimit limit = context_limit(spec_);
  if (limit.tokens > 0 && T > limit.tokens) {
    throw std::runtime_error("the text is " + std::to_string(T) + " tokens but the model's context is " +
                             std::to_string(limit.tokens) + " tokens (" + limit.why() +
                             "); score it in windows of at most " +
                             std::to_string(limit.tokens) + " tokens (--window " + std::to_string(limit.tokens) +
                             ") or shorten it");
  }

  Context c;
  c.T = T;
  c.ids = ids;
  c.options = &options;
  ScoreResult r;
  c.result = &r;
  r.T = static_cast<std::size_t>(T);
  if (auto note = context_note(spec_, T); !note.empty()) r.notes.push_back(std::move(note));
  const int L = static_cast<int>(spec_.layers.size());
  auto checkpoint_progress = [&](int done) {
    if (options.cancel != nullptr && options.cancel->load()) throw ScoreCancelled();
    if (options.progress) options.progress(done, L);
  };
  Tensor norms = backend_.alloc(DType::f32, {T});
  auto record = [&] {
    backend_.l2_norm_rows(c.h, norms);
    r.residual_norms.push_back(to_host(backend_, norms));
    if (options.keep_hidden_states) r.hidden_states.push_back(to_host(backend_, c.h));
  };

  c.h = backend_.alloc(DType::f32, {T, spec_.hidden_size});
  backend_.embedding(weights_(bound_weights_.embedding), ids, c.h, static_cast<float>(spec_.multipliers.embedding));
  if (bound_weights_.embedding_norm.weight != nullptr) norm(spec_.norm, bound_weights_.embedding_norm, c.h, c.h);
  if (!spec_.shared_blocks.empty()) {  // zamba2's shared blocks read the embeddings again
    c.embeddings = backend_.alloc(DType::f32, {T, spec_.hidden_size});
    backend_.residual_add(c.embeddings, c.h, 1.f);
  }
  record();
  checkpoint_progress(0);
  for (const LayerPlan& layer : spec_.layers) {
    run_layer(c, layer);
    if (spec_.halve_residual_every > 0 && (layer.index + 1) % spec_.halve_residual_every == 0) backend_.scale(c.h, 0.5f);
    record();
    checkpoint_progress(layer.index + 1);
  }

  for (const auto& [layer, buffer] : c.state_norm_buffers) r.state_norms[layer] = to_host(backend_, buffer);

  norm(spec_.final_norm.value_or(spec_.norm), bound_weights_.final_norm, c.h, c.h);
  if (options.keep_hidden_states) r.hidden_states.push_back(to_host(backend_, c.h));

  std::vector<std::int32_t> targets(ids.begin() + 1, ids.end());
  targets.push_back(-1);
  LogitParams lp;
  lp.multiplier = static_cast<float>(spec_.multipliers.lm_head);
  lp.divisor = static_cast<float>(spec_.multipliers.logits_divisor);
  lp.softcap = static_cast<float>(spec_.multipliers.logits_softcap);
  Tensor logits;
  const std::int64_t vocab = options.vocab_limit > 0 ? std::min(options.vocab_limit, spec_.vocab_size)
                                                    : spec_.vocab_size;
  for (const std::int32_t id : targets)
    if (id >= vocab)
      throw std::runtime_error("token id " + std::to_string(id) + " is outside the scored vocabulary of " +
                               std::to_string(vocab));
  if (options.keep_logits) logits = backend_.alloc(DType::f32, {T, vocab});
  const Tensor lm_head = weights_(bound_weights_.lm_head).slice(0, 0, vocab);
  r.stats = backend_.lm_head_stats(c.h, lm_head, nullptr, targets, options.top_k, lp,
                                   options.keep_logits ? &logits : nullptr);
  mark_invalid_positions(r.stats);
  if (options.keep_logits) r.logits = to_host(backend_, logits);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace hl::engine
