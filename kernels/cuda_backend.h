#pragma once
// The CUDA backend: engine::Backend on one GPU. Shapes, dtypes and ranges are validated on the host exactly as the CPU
// backend does (same TensorError messages); the work runs on the kernels declared in kernels/ops.h, each tested
// against its CPU twin in tests/cuda/.
//
// Memory: weights are uploaded once (ModelWeights caches the uploaded handle) in their stored dtype (bf16 / f16 / f32);
// activations are fp32 device tensors from a stream-ordered pool, freed when the last handle goes. Everything runs on
// one stream; download() and the host-side results (lm_head_stats, route) wait for it. Not thread-safe: one backend
// object drives one sequence at a time (as the CPU backend).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/engine/backend.h"

namespace hl::cuda {
class DeviceContext;
}

namespace hl::engine {

class CudaBackend final : public Backend {
 public:
  // Throws std::runtime_error with one line when there is no usable GPU ("no CUDA device (...); use --device cpu").
  explicit CudaBackend(int device = 0);
  ~CudaBackend() override;

  Device device() const override { return Device::cuda; }
  std::string name() const override { return "cuda"; }

  Tensor alloc(DType dtype, Shape shape) override;
  Tensor upload(const Tensor& host) override;
  void download(const Tensor& src, void* host_dst) override;
  void synchronize() override;

  void linear(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y) override;
  void rms_norm(const Tensor& x, const Tensor& weight, const Tensor& y, const NormParams& p) override;
  void rms_norm_gated(const Tensor& x, const Tensor& z, const Tensor& weight, const Tensor& y, const NormParams& p,
                      bool norm_before_gate) override;
  void layer_norm(const Tensor& x, const Tensor& weight, const Tensor* bias, const Tensor& y,
                  const NormParams& p) override;
  void rope(const Tensor& x, const Tensor& cos, const Tensor& sin, bool interleaved = false) override;
  void attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out,
                 const AttentionParams& p) override;
  void activation(Activation a, const Tensor& x, const Tensor& y) override;
  void gated_activation(Activation a, const Tensor& gate, const Tensor& up, const Tensor& y) override;
  void embedding(const Tensor& table, std::span<const std::int32_t> ids, const Tensor& out,
                 float multiplier = 1.0f) override;
  void residual_add(const Tensor& h, const Tensor& r, float scale = 1.0f) override;
  void scale(const Tensor& x, float s) override;
  void l2_norm_rows(const Tensor& x, const Tensor& out) override;
  TokenStats lm_head_stats(const Tensor& hidden, const Tensor& w_lm, const Tensor* bias,
                           std::span<const std::int32_t> targets, std::size_t k, const LogitParams& p,
                           const Tensor* full_logits = nullptr) override;

  void causal_conv1d(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y, bool silu) override;
  void short_conv(const Tensor& bcx, const Tensor& w, const Tensor* bias, const Tensor& y) override;
  void mamba1_scan(const Mamba1ScanArgs& a) override;
  void mamba2_scan(const Mamba2ScanArgs& a) override;
  void gated_delta_net(const GdnScanArgs& a) override;
  void token_shift_mix(const Tensor& x, const Tensor& mix, const Tensor& y) override;
  void rwkv4_scan(const Rwkv4ScanArgs& a) override;
  void rg_lru_scan(const RgLruScanArgs& a) override;
  void lightning_attention(const LightningArgs& a) override;
  void kimi_delta_attention(const KimiDeltaArgs& a) override;
  void mlstm(const MLstmArgs& a) override;

  Routing route(const Tensor& logits, const Tensor* correction_bias, const RouterParams& p) override;
  void gather_rows(const Tensor& x, std::span<const std::int32_t> rows, const Tensor& out) override;
  void scatter_add_rows(const Tensor& src, std::span<const std::int32_t> rows, std::span<const float> weights,
                        const Tensor& dst) override;

  std::string device_description() const override;  // "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)"
  void ensure_fits(std::uint64_t needed, const std::string& what) const override;
  std::uint64_t peak_memory() const override;
  void reset_peak_memory() override;
  // Device milliseconds of `work` between CUDA events recorded on the backend's stream (waits for the work).
  double time_ms(const std::function<void()>& work) override;

  // ---- CUDA only ----
  std::uint64_t free_memory() const;  // cudaMemGetInfo, now
  std::uint64_t total_memory() const;
  // Bytes held by this backend's allocations (weights + live activations + scratch) now.
  std::uint64_t memory_in_use() const;
  // lm_head_stats multiplies blocks of token rows whose fp32 logits fit in this many bytes (default 256 MiB; tests
  // shrink it to cover the multi-block path on small vocabularies).
  void set_lm_head_block_bytes(std::uint64_t bytes) { lm_block_bytes_ = bytes; }

 private:
  Tensor device_tensor(DType dtype, Shape shape, bool zero);
  // A scan's state-norm scratch (cuda::scan_norm_parts per token and head): allocated, and `partials` pointed at it,
  // only when the caller asked for state norms. Kept alive by the caller until the scan is queued.
  Tensor norm_partials(const float* state_norms, std::int64_t token_heads, std::int64_t state_rows,
                       float*& partials);
  template <class T>
  Tensor to_device(std::span<const T> host, DType dtype);

  std::shared_ptr<cuda::DeviceContext> ctx_;
  std::uint64_t lm_block_bytes_ = std::uint64_t{256} << 20;
};

}  // namespace hl::engine
