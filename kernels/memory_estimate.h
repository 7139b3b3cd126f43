#pragma once
// How much GPU memory scoring a model needs, estimated before any weight is uploaded, so `--device cuda` can refuse
// with both numbers instead of failing half-way through an upload (CudaBackend::ensure_fits).
#include <cstdint>
#include <string>

#include "core/checkpoint/checkpoint.h"
#include "core/model/model_spec.h"

namespace hl::cuda {

struct GpuMemoryEstimate {
  std::uint64_t weights = 0;      // every checkpoint tensor in its stored dtype (uploaded once, not widened)
  std::uint64_t activations = 0;  // working set for T tokens + what the CUDA backend adds
  std::uint64_t total() const { return weights + activations; }
  // "weights 13.60 GiB + activations 2.10 GiB for 4096 tokens"
  std::string describe(std::int64_t tokens) const;
};

// core/model/memory_estimate.h's estimate (the same one `hybridlens-cli inspect` shows; its KV-cache and state terms
// stand for the K/V projections and scan buffers live during the prefill) plus the CUDA backend's extras: the bf16
// copy of the widest GEMM input, the LM head's <= 256 MiB logits block and 512 MiB for the cuBLAS workspace, the
// allocator's rounding and what the CUDA context takes beyond cudaMemGetInfo's view.
GpuMemoryEstimate estimate_gpu_memory(const ModelSpec& spec, const Checkpoint& checkpoint, std::int64_t tokens);

}  // namespace hl::cuda
