// libFuzzer target: config.json text → ModelSpec, then the derived tensor list of the first layers and the memory
// estimate (everything sized from untrusted fields). Only CheckpointError may escape the parser.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/checkpoint/checkpoint_error.h"
#include "core/model/config_parser.h"
#include "core/model/layer_pattern.h"
#include "core/model/memory_estimate.h"
#include "core/model/tensor_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto spec = hl::parse_model_spec(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)hl::model_requirements(spec);
    for (std::size_t i = 0; i < std::min<std::size_t>(spec.layers.size(), 2); ++i)
      (void)hl::layer_requirements(spec, spec.layers[i]);
    for (const auto& block : spec.shared_blocks) (void)hl::shared_block_requirements(spec, block);
    (void)hl::estimate_memory(spec, 0, 4096);
    (void)hl::compress_pattern(hl::mixer_pattern(spec));
  } catch (const hl::CheckpointError&) {
  }
  return 0;
}
