#include "core/model/activation.h"

namespace hl {

std::optional<Activation> activation_from_hf_name(std::string_view n) {
  if (n == "silu" || n == "swish") return Activation::SiLU;
  if (n == "gelu") return Activation::GELU;
  if (n == "gelu_pytorch_tanh" || n == "gelu_new" || n == "gelu_fast") return Activation::GELUTanh;
  if (n == "relu") return Activation::ReLU;
  if (n == "relu2") return Activation::ReLU2;
  if (n == "sigmoid") return Activation::Sigmoid;
  if (n == "linear") return Activation::Identity;
  return std::nullopt;
}

const char* to_string(Activation a) {
  switch (a) {
    case Activation::Identity:
      return "identity";
    case Activation::SiLU:
      return "silu";
    case Activation::GELU:
      return "gelu";
    case Activation::GELUTanh:
      return "gelu_tanh";
    case Activation::ReLU:
      return "relu";
    case Activation::ReLU2:
      return "relu2";
    case Activation::Sigmoid:
      return "sigmoid";
    case Activation::Tanh:
      return "tanh";
  }
  return "?";
}

}  // namespace hl
