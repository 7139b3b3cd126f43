#pragma once
// A compact, human-readable layer pattern (the CLI `inspect` and the GUI show it).
//
// Mixer alphabet, one letter per layer:
//   A full attention      S sliding-window attention   m Mamba1        M Mamba2
//   G Gated DeltaNet      C short conv (LFM2)           P parallel attention + Mamba2 (Falcon-H1)
//   H Mamba2 + shared transformer block (Zamba2 "hybrid" layer)
//   layers without a mixer (Nemotron-H): - MLP only    E MoE only
// FFN alphabet, one letter per layer: F dense MLP, E MoE, . none.
// Compression: a pattern that is one unit repeated is written "unit×k" (GGGA×8); otherwise runs of 3 or more are
// written "letter×n" and separated by spaces (M×5 A M×3).
#include <string>

#include "core/model/model_spec.h"

namespace hl {

char mixer_letter(const LayerPlan& layer);
char ffn_letter(const LayerPlan& layer);
std::string mixer_pattern(const ModelSpec& spec);  // uncompressed, one letter per layer
std::string ffn_pattern(const ModelSpec& spec);
std::string compress_pattern(const std::string& letters);

}  // namespace hl
