#include "core/model/layer_pattern.h"

namespace hl {

char mixer_letter(const LayerPlan& layer) {
  if (layer.shared_block >= 0) return 'H';
  switch (layer.mixer.kind) {
    case MixerKind::FullAttention: return 'A';
    case MixerKind::SlidingAttention: return 'S';
    case MixerKind::Mamba1: return 'm';
    case MixerKind::Mamba2: return 'M';
    case MixerKind::GatedDeltaNet: return 'G';
    case MixerKind::ShortConv: return 'C';
    case MixerKind::ParallelAttentionMamba2: return 'P';
    case MixerKind::RwkvTimeMix: return 'R';
    case MixerKind::RgLru: return 'L';
    case MixerKind::LightningAttention: return 'N';
    case MixerKind::KimiDelta: return 'K';
    case MixerKind::LatentAttention: return 'A';  // full attention, in latent form
    case MixerKind::MLstm: return 'X';
    case MixerKind::None: break;
  }
  return layer.ffn.kind == FfnKind::Moe ? 'E' : '-';
}

char ffn_letter(const LayerPlan& layer) {
  switch (layer.ffn.kind) {
    case FfnKind::Mlp: return 'F';
    case FfnKind::Moe: return 'E';
    case FfnKind::RwkvChannelMix: return 'c';
    case FfnKind::None: break;
  }
  return '.';
}

std::string mixer_pattern(const ModelSpec& spec) {
  std::string s;
  for (const auto& l : spec.layers) s += mixer_letter(l);
  return s;
}

std::string ffn_pattern(const ModelSpec& spec) {
  std::string s;
  for (const auto& l : spec.layers) s += ffn_letter(l);
  return s;
}

std::string compress_pattern(const std::string& letters) {
  const auto n = letters.size();
  for (std::size_t period = 1; period <= n / 2; ++period) {
    if (n % period) continue;
    bool repeats = true;
    for (std::size_t i = period; i < n && repeats; ++i) repeats = letters[i] == letters[i - period];
    if (repeats) return letters.substr(0, period) + "×" + std::to_string(n / period);
  }
  std::string out;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && letters[j] == letters[i]) ++j;
    const auto run = j - i;
    if (run >= 3) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      out += letters[i];
      out += "×" + std::to_string(run) + " ";
    } else {
      out.append(run, letters[i]);
    }
    i = j;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace hl
