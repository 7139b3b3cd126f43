#pragma once
// The CPU backend: fp32 reference implementation of engine::Backend over the kernels in core/cpu/.
// GEMMs run on OpenBLAS's threads; everything else on the OpenMP team (core/cpu/parallel.h). Not thread-safe: one
// backend object drives one sequence at a time.
#include "core/engine/backend.h"

namespace hl::engine {

class CpuBackend final : public Backend {
 public:
  // threads <= 0: all hardware threads (OpenMP / OpenBLAS defaults).
  explicit CpuBackend(int threads = 0);

  Device device() const override { return Device::cpu; }
  std::string name() const override { return "cpu"; }

  Tensor alloc(DType dtype, Shape shape) override;
  Tensor upload(const Tensor& host) override;
  void download(const Tensor& src, void* host_dst) override;

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

  // ---- recurrent mixers ----
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

  // ---- routing ----
  Routing route(const Tensor& logits, const Tensor* correction_bias, const RouterParams& p) override;
  void gather_rows(const Tensor& x, std::span<const std::int32_t> rows, const Tensor& out) override;
  void scatter_add_rows(const Tensor& src, std::span<const std::int32_t> rows, std::span<const float> weights,
                        const Tensor& dst) override;
};

}  // namespace hl::engine
