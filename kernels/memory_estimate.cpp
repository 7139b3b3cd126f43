#include "kernels/memory_estimate.h"

#include <algorithm>
#include <cstdio>

#include "core/model/memory_estimate.h"

namespace hl::cuda {

std::string GpuMemoryEstimate::describe(std::int64_t tokens) const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "weights %.2f GiB + activations %.2f GiB for %lld tokens",
                static_cast<double>(weights) / (1 << 30), static_cast<double>(activations) / (1 << 30),
                static_cast<long long>(tokens));
  return buf;
}

GpuMemoryEstimate estimate_gpu_memory(const ModelSpec& spec, const Checkpoint& checkpoint, std::int64_t tokens) {
  const MemoryEstimate base = estimate_memory(spec, checkpoint.tensor_bytes(), tokens);
  const auto T = static_cast<std::uint64_t>(std::max<std::int64_t>(tokens, 1));
  const auto H = static_cast<std::uint64_t>(std::max<std::int64_t>(spec.hidden_size, 1));
  const auto V = static_cast<std::uint64_t>(std::max<std::int64_t>(spec.vocab_size, 1));
  // Widest GEMM input (per token, elements): an MLP's intermediate or a mixer's inner width, at most the base's
  // widest intermediate; bounded here by the activation term itself.
  std::uint64_t widest_in = 4 * H;
  for (const TensorView* v : checkpoint.tensors())
    if (v->shape.size() >= 2 && v->name != spec.names.embedding && v->name != spec.names.lm_head)
      widest_in = std::max<std::uint64_t>(widest_in, static_cast<std::uint64_t>(v->shape.back()));
  const std::uint64_t gemm_copy = T * widest_in * 2;
  const std::uint64_t lm_rows = std::min<std::uint64_t>(T, std::max<std::uint64_t>((256ull << 20) / (4 * V), 1));
  const std::uint64_t lm_head = lm_rows * V * 4 + lm_rows * H * 2 + T * 64;
  GpuMemoryEstimate e;
  e.weights = base.weights;
  e.activations = base.kv_cache + base.recurrent_state + base.activations + gemm_copy + lm_head + (512ull << 20);
  return e;
}

}  // namespace hl::cuda
