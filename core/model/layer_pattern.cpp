#include "core/model/layer_pattern.h"

#include "core/model/layer_kinds.h"

namespace hl {

char mixer_letter(const LayerPlan& layer) {
  if (layer.shared_block >= 0) return kSharedBlockLetter;
  if (layer.mixer.kind == MixerKind::None && layer.ffn.kind == FfnKind::Moe) return kMoeOnlyLetter;
  return kind_info(layer.mixer.kind).letter;
}

char ffn_letter(const LayerPlan& layer) { return kind_info(layer.ffn.kind).letter; }

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
