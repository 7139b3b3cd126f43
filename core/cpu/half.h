#pragma once
// bf16 / f16 <-> f32 conversion.
// Layout: plain arrays of uint16_t bit patterns (as stored in safetensors, little-endian) and float.
// bf16 is the top 16 bits of an IEEE fp32: widening is exact; narrowing rounds to nearest even and keeps NaN a NaN.
// f16 is IEEE 754 binary16 (1-5-10): widening is exact (subnormals, inf, NaN payload top bits); narrowing rounds to
// nearest even with overflow to inf and gradual underflow to subnormals. The bulk f16 widening uses F16C when the CPU
// has it (runtime check, x86-64 GCC/clang only); the scalar path is the reference and gives identical results.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hl::cpu {

inline float bf16_to_f32(std::uint16_t h) {
  const std::uint32_t u = static_cast<std::uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

inline std::uint16_t f32_to_bf16(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((u >> 16) | 0x0040u);  // quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);  // round to nearest even (overflow correctly carries into inf)
  return static_cast<std::uint16_t>(u >> 16);
}

float f16_to_f32(std::uint16_t h);
std::uint16_t f32_to_f16(float f);

// Bulk widening: dst[i] = convert(src[i]) for i < n.
void bf16_to_f32(const std::uint16_t* src, float* dst, std::size_t n);
void f16_to_f32(const std::uint16_t* src, float* dst, std::size_t n);
// Bulk narrowing (used by tests and by writers of fixtures).
void f32_to_bf16(const float* src, std::uint16_t* dst, std::size_t n);
void f32_to_f16(const float* src, std::uint16_t* dst, std::size_t n);

// True when the bulk f16 path uses F16C instructions on this machine.
bool f16c_available();

}  // namespace hl::cpu

namespace hl::cpu {

// Storage type of a weight array (what the checkpoint holds). Activations are always fp32.
enum class WType : std::uint8_t { f32, bf16, f16 };

// dst[i] = float(src[i]) for i < n, src of storage type t.
inline void widen_to_f32(const void* src, WType t, float* dst, std::size_t n) {
  switch (t) {
    case WType::f32: std::memcpy(dst, src, n * sizeof(float)); break;
    case WType::bf16: bf16_to_f32(static_cast<const std::uint16_t*>(src), dst, n); break;
    case WType::f16: f16_to_f32(static_cast<const std::uint16_t*>(src), dst, n); break;
  }
}
inline std::size_t wtype_size(WType t) { return t == WType::f32 ? 4 : 2; }
// One element as float.
inline float load_f32(const void* src, WType t, std::size_t i) {
  switch (t) {
    case WType::f32: return static_cast<const float*>(src)[i];
    case WType::bf16: return bf16_to_f32(static_cast<const std::uint16_t*>(src)[i]);
    case WType::f16: return f16_to_f32(static_cast<const std::uint16_t*>(src)[i]);
  }
  return 0.f;
}

}  // namespace hl::cpu
