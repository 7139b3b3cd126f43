#pragma once
// The activation functions, one enum for the whole project: model specs name them, the engine hands them to a
// backend, and the CPU and CUDA kernels switch on them, with no conversion at any boundary.
//   silu(x)      = x · sigmoid(x)                                    (HF "silu" / "swish")
//   gelu(x)      = 0.5 x (1 + erf(x / √2))                           (HF "gelu", exact)
//   gelu_tanh(x) = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))        (HF "gelu_pytorch_tanh", "gelu_new", "gelu_fast")
//   relu2(x)     = relu(x)²                                          (Nemotron-H "relu2")
//   relu, sigmoid, tanh (soft caps), identity (HF "linear")
#include <optional>
#include <string_view>

namespace hl {

enum class Activation { Identity, SiLU, GELU, GELUTanh, ReLU, ReLU2, Sigmoid, Tanh };

// The activation of a transformers `hidden_act` name (ACT2FN's keys we run); nullopt for any other.
std::optional<Activation> activation_from_hf_name(std::string_view name);

const char* to_string(Activation a);  // "silu", "gelu_tanh", ...

}  // namespace hl
