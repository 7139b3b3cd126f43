#pragma once
// A rough memory estimate for running a model over T tokens, shown before loading. Weights are memory-mapped and
// counted at their stored size; activations assume fp32 working buffers, the KV cache of every attention layer,
// recurrent states (SSM / DeltaNet / conv) and logits for one 512-token chunk.
#include <cstdint>

#include "core/model/model_spec.h"

namespace hl {

struct MemoryEstimate {
  std::uint64_t weights = 0;
  std::uint64_t kv_cache = 0;
  std::uint64_t recurrent_state = 0;
  std::uint64_t activations = 0;  // working buffers + logits chunk
  std::uint64_t total() const { return weights + kv_cache + recurrent_state + activations; }
};

MemoryEstimate estimate_memory(const ModelSpec& spec, std::uint64_t weight_bytes, std::int64_t tokens);

}  // namespace hl
