#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/cpu/half.h"

using namespace hl::cpu;

namespace {
std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
// Reference f16 -> double by the definition of binary16.
double f16_ref(std::uint16_t h) {
  const int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
  double v;
  if (e == 31) return m ? std::numeric_limits<double>::quiet_NaN() : (s ? -INFINITY : INFINITY);
  if (e == 0) v = std::ldexp(m, -24);
  else v = std::ldexp(1024 + m, e - 25);
  return s ? -v : v;
}
}  // namespace

TEST_CASE("bf16: every bit pattern widens exactly and narrows back to itself", "[cpu][half]") {
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float f = bf16_to_f32(static_cast<std::uint16_t>(h));
    REQUIRE(bits(f) == h << 16);
    const std::uint16_t back = f32_to_bf16(f);
    if (std::isnan(f)) {
      REQUIRE(std::isnan(bf16_to_f32(back)));
      REQUIRE((back & 0x8000) == (h & 0x8000));
    } else {
      REQUIRE(back == h);
    }
  }
  std::vector<std::uint16_t> all(65536);
  for (std::uint32_t h = 0; h < 65536; ++h) all[h] = static_cast<std::uint16_t>(h);
  std::vector<float> wide(65536);
  bf16_to_f32(all.data(), wide.data(), all.size());
  for (std::uint32_t h = 0; h < 65536; ++h) REQUIRE(bits(wide[h]) == h << 16);
}

TEST_CASE("bf16: narrowing rounds to nearest even", "[cpu][half]") {
  // 1.0 = 0x3f80_0000; halfway to the next bf16 (0x3f81) is 0x3f80_8000 -> ties to even (0x3f80).
  CHECK(f32_to_bf16(from_bits(0x3f808000u)) == 0x3f80);
  CHECK(f32_to_bf16(from_bits(0x3f808001u)) == 0x3f81);
  CHECK(f32_to_bf16(from_bits(0x3f818000u)) == 0x3f82);  // odd below -> rounds up to even
  CHECK(f32_to_bf16(from_bits(0x3f807fffu)) == 0x3f80);
  CHECK(f32_to_bf16(std::numeric_limits<float>::max()) == 0x7f80);  // rounds to inf
  CHECK(f32_to_bf16(-INFINITY) == 0xff80);
  CHECK(std::isnan(bf16_to_f32(f32_to_bf16(from_bits(0x7f800001u)))));  // signalling NaN stays NaN, not inf
}

TEST_CASE("f16: known values, subnormals, inf and nan widen exactly", "[cpu][half]") {
  CHECK(f16_to_f32(0x3c00) == 1.0f);
  CHECK(f16_to_f32(0xc000) == -2.0f);
  CHECK(f16_to_f32(0x7bff) == 65504.0f);
  CHECK(f16_to_f32(0x3555) == Approx(0.333251953125).epsilon(0));
  CHECK(f16_to_f32(0x0400) == std::ldexp(1.0f, -14));   // smallest normal
  CHECK(f16_to_f32(0x0001) == std::ldexp(1.0f, -24));   // smallest subnormal
  CHECK(f16_to_f32(0x03ff) == std::ldexp(1023.0f, -24));  // largest subnormal
  CHECK(f16_to_f32(0x7c00) == INFINITY);
  CHECK(f16_to_f32(0xfc00) == -INFINITY);
  CHECK(std::isnan(f16_to_f32(0x7e00)));
  CHECK(std::isnan(f16_to_f32(0x7c01)));
  CHECK(std::signbit(f16_to_f32(0x8000)));
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float f = f16_to_f32(static_cast<std::uint16_t>(h));
    const double r = f16_ref(static_cast<std::uint16_t>(h));
    if (std::isnan(r)) {
      REQUIRE(std::isnan(f));
    } else {
      REQUIRE(static_cast<double>(f) == r);
      REQUIRE(std::signbit(f) == ((h & 0x8000) != 0));
    }
  }
}

TEST_CASE("f16: every pattern round-trips; bulk (F16C when present) equals scalar", "[cpu][half]") {
  std::vector<std::uint16_t> all(65536);
  for (std::uint32_t h = 0; h < 65536; ++h) all[h] = static_cast<std::uint16_t>(h);
  std::vector<float> wide(65536 + 3);
  f16_to_f32(all.data(), wide.data(), all.size());
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float s = f16_to_f32(static_cast<std::uint16_t>(h));
    if (std::isnan(s)) {
      REQUIRE(std::isnan(wide[h]));
      REQUIRE(std::isnan(f16_to_f32(f32_to_f16(s))));
    } else {
      REQUIRE(bits(wide[h]) == bits(s));
      REQUIRE(f32_to_f16(s) == h);
    }
  }
  INFO("F16C used: " << f16c_available());
  // odd length tail
  std::vector<float> tail(5);
  f16_to_f32(all.data() + 0x3c00, tail.data(), 5);
  for (int i = 0; i < 5; ++i) CHECK(tail[i] == f16_to_f32(static_cast<std::uint16_t>(0x3c00 + i)));
}

TEST_CASE("f16: narrowing rounds to nearest even at every midpoint, overflows to inf, underflows gradually",
          "[cpu][half]") {
  // For each pair of adjacent finite positive halves (a, b): the midpoint ties to the even one, and the floats just
  // either side of the midpoint round to the nearer one. Covers normals and subnormals exhaustively.
  for (std::uint32_t h = 0; h < 0x7bff; ++h) {
    const double a = f16_ref(static_cast<std::uint16_t>(h)), b = f16_ref(static_cast<std::uint16_t>(h + 1));
    const float mid = static_cast<float>((a + b) / 2);  // exact in fp32
    REQUIRE(static_cast<double>(mid) == (a + b) / 2);
    const std::uint16_t even = (h & 1) ? static_cast<std::uint16_t>(h + 1) : static_cast<std::uint16_t>(h);
    REQUIRE(f32_to_f16(mid) == even);
    REQUIRE(f32_to_f16(std::nextafter(mid, 0.0f)) == h);
    REQUIRE(f32_to_f16(std::nextafter(mid, INFINITY)) == h + 1);
    REQUIRE(f32_to_f16(-mid) == (even | 0x8000));
  }
  CHECK(f32_to_f16(65519.996f) == 0x7bff);
  CHECK(f32_to_f16(65520.0f) == 0x7c00);  // midpoint to 65536 ties up to inf
  CHECK(f32_to_f16(1e10f) == 0x7c00);
  CHECK(f32_to_f16(-1e10f) == 0xfc00);
  CHECK(f32_to_f16(std::ldexp(1.0f, -25)) == 0x0000);                   // half of the smallest subnormal: ties to 0
  CHECK(f32_to_f16(std::nextafter(std::ldexp(1.0f, -25), 1.0f)) == 0x0001);
  CHECK(f32_to_f16(1e-10f) == 0x0000);
  CHECK(f32_to_f16(-0.0f) == 0x8000);
  CHECK(f32_to_f16(INFINITY) == 0x7c00);
  CHECK((f32_to_f16(std::numeric_limits<float>::quiet_NaN()) & 0x7fff) > 0x7c00);
}
