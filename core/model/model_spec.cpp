#include "core/model/model_spec.h"

#include "core/model/layer_kinds.h"

namespace hl {

const char* to_string(MixerKind k) { return kind_info(k).id.data(); }
const char* to_string(FfnKind k) { return kind_info(k).id.data(); }

const char* to_string(NormKind k) {
  switch (k) {
    case NormKind::RMSNorm: return "rmsnorm";
    case NormKind::RMSNormOnePlus: return "rmsnorm_one_plus";
    case NormKind::LayerNorm: return "layernorm";
    case NormKind::LayerNormNoBias: return "layernorm_no_bias";
  }
  return "?";
}

const char* to_string(NormPlacement p) {
  switch (p) {
    case NormPlacement::PreNorm: return "pre_norm";
    case NormPlacement::PostNorm: return "post_norm";
    case NormPlacement::Sandwich: return "sandwich";
    case NormPlacement::NormedResidual: return "normed_residual";
  }
  return "?";
}

const char* to_string(RopeType t) {
  switch (t) {
    case RopeType::None: return "none";
    case RopeType::Default: return "default";
    case RopeType::Linear: return "linear";
    case RopeType::Dynamic: return "dynamic";
    case RopeType::Yarn: return "yarn";
    case RopeType::LongRope: return "longrope";
    case RopeType::Llama3: return "llama3";
  }
  return "?";
}

const char* to_string(RouterKind r) {
  switch (r) {
    case RouterKind::SoftmaxTopK: return "softmax_topk";
    case RouterKind::TopKSoftmax: return "topk_softmax";
    case RouterKind::SigmoidGroupedTopK: return "sigmoid_grouped_topk";
  }
  return "?";
}

const char* to_string(GatedNormKind g) {
  switch (g) {
    case GatedNormKind::None: return "none";
    case GatedNormKind::GateThenNorm: return "gate_then_norm";
    case GatedNormKind::NormThenGate: return "norm_then_gate";
  }
  return "?";
}

const char* to_string(QkNormScope s) {
  switch (s) {
    case QkNormScope::None: return "none";
    case QkNormScope::PerHead: return "per_head";
    case QkNormScope::FullProjection: return "full_projection";
  }
  return "?";
}

}  // namespace hl
