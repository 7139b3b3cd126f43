#pragma once
// A copy of the tiny llama fixture (bf16, untied lm_head) with one value planted in one tensor: NaN / Inf weights
// for the tests of non-finite scores (unit: the engine and the report; gui: what the window shows).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"

namespace hl::test {

// `value` in a tensor's stored dtype (the fixture stores BF16: the upper half of the float's bits).
inline std::string encoded(float value, const std::string& dtype) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  if (dtype == "F32") return std::string(reinterpret_cast<const char*>(&bits), 4);
  REQUIRE(dtype == "BF16");
  const auto high = static_cast<std::uint16_t>(bits >> 16);
  return std::string(reinterpret_cast<const char*>(&high), 2);
}

// A copy of the llama fixture in `name` whose tensor `tensor` has `value` in element `row` × row width.
inline std::filesystem::path planted_llama(const std::string& name, const std::string& tensor, std::int64_t row,
                                           float value) {
  const std::filesystem::path llama = std::filesystem::path(HL_TEST_DATA_DIR) / "fixtures" / "models" / "llama";
  const auto dir = std::filesystem::path(HL_TEST_OUTPUT_DIR) / "non-finite" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(llama / "config.json", dir / "config.json");
  const auto file = hl::SafetensorsFile::open(llama / "model.safetensors");
  std::vector<hl::TensorBlob> blobs;
  bool planted = false;
  for (const auto& t : file.tensors()) {
    hl::TensorBlob b{t.name, std::string(hl::dtype_name(t.dtype)), t.shape,
                     std::string(reinterpret_cast<const char*>(t.data), t.nbytes)};
    if (t.name == tensor) {
      const std::string v = encoded(value, b.dtype);
      b.bytes.replace(static_cast<std::size_t>(row * t.shape.at(1)) * v.size(), v.size(), v);
      planted = true;
    }
    blobs.push_back(std::move(b));
  }
  REQUIRE(planted);
  std::ofstream(dir / "model.safetensors", std::ios::binary) << hl::safetensors_bytes(blobs);
  return dir;
}

}  // namespace hl::test
