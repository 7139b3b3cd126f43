#include "core/cpu/half.h"

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define HL_HAVE_F16C_DISPATCH 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace hl::cpu {

float f16_to_f32(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exp = (h >> 10) & 0x1fu;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t u;
  if (exp == 0x1fu) {
    u = sign | 0x7f800000u | (mant << 13);  // inf / NaN (payload kept)
  } else if (exp != 0) {
    u = sign | ((exp + 112u) << 23) | (mant << 13);  // normal: rebias 15 -> 127
  } else if (mant == 0) {
    u = sign;  // signed zero
  } else {
    // subnormal: value = mant * 2^-24; normalise
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while ((mant & 0x400u) == 0);
    mant &= 0x3ffu;
    u = sign | ((112u - static_cast<std::uint32_t>(e)) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

std::uint16_t f32_to_f16(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  const std::uint16_t sign = static_cast<std::uint16_t>((u >> 16) & 0x8000u);
  const std::uint32_t a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7e00u | ((a >> 13) & 0x3ffu));  // NaN, quiet
  if (a >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to inf (incl. inf)
  if (a >= 0x38800000u) {  // normal half range (>= 2^-14)
    const std::uint32_t r = a + 0xfffu + ((a >> 13) & 1u);  // round to nearest even at bit 13
    return static_cast<std::uint16_t>(sign | ((r - 0x38000000u) >> 13));
  }
  if (a < 0x33000000u) return sign;  // < 2^-25: rounds to zero (2^-25 exactly ties to even = 0)
  // subnormal half: value = a_float / 2^-24, rounded to nearest even integer
  const std::uint32_t e = a >> 23;                  // biased fp32 exponent, 102..112
  const std::uint32_t m = (a & 0x7fffffu) | 0x800000u;  // 24-bit significand
  const std::uint32_t shift = 126u - e;             // value = m * 2^(e-150); in 2^-24 units: m >> (126 - e)
  std::uint32_t q = m >> shift;
  const std::uint32_t rem = m & ((1u << shift) - 1u);
  const std::uint32_t half = 1u << (shift - 1u);
  if (rem > half || (rem == half && (q & 1u))) ++q;
  return static_cast<std::uint16_t>(sign | q);
}

void bf16_to_f32(const std::uint16_t* src, float* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t u = static_cast<std::uint32_t>(src[i]) << 16;
    std::memcpy(dst + i, &u, sizeof u);
  }
}

#if HL_HAVE_F16C_DISPATCH
__attribute__((target("avx,f16c"))) static void f16_to_f32_f16c(const std::uint16_t* src, float* dst,
                                                                std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
  }
  for (; i < n; ++i) dst[i] = f16_to_f32(src[i]);
}
#endif

bool f16c_available() {
#if HL_HAVE_F16C_DISPATCH
  // CPUID leaf 1, ECX: bit 28 = AVX, bit 29 = F16C (clang's __builtin_cpu_supports does not know "f16c").
  static const bool ok = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & (1u << 28)) != 0 && (c & (1u << 29)) != 0;
  }();
  return ok;
#else
  return false;
#endif
}

void f16_to_f32(const std::uint16_t* src, float* dst, std::size_t n) {
#if HL_HAVE_F16C_DISPATCH
  if (f16c_available()) {
    f16_to_f32_f16c(src, dst, n);
    return;
  }
#endif
  for (std::size_t i = 0; i < n; ++i) dst[i] = f16_to_f32(src[i]);
}

void f32_to_bf16(const float* src, std::uint16_t* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = f32_to_bf16(src[i]);
}

void f32_to_f16(const float* src, std::uint16_t* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = f32_to_f16(src[i]);
}

}  // namespace hl::cpu
