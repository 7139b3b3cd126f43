#pragma once
// The safetensors container format, parsed from bytes and validated strictly; no I/O here so the parser can be
// fuzzed over arbitrary input (tests/fuzz/fuzz_safetensors.cpp).
//
// File layout: [u64 little-endian N][N bytes of JSON header][data section]. The header maps tensor names to
// {"dtype", "shape", "data_offsets": [begin, end]} with offsets relative to the start of the data section, plus an
// optional "__metadata__" object of string → string.
//
// Accepted only when: N ≤ 100 MB and 8 + N ≤ file size; the JSON is one well-formed object without duplicate keys;
// every tensor has exactly those three fields; its dtype is BF16/F16/F32 (other safetensors dtypes are refused by
// name); its shape is non-negative integers whose element count × dtype size fits 64 bits and equals end − begin;
// begin ≤ end ≤ data size; and the tensors tile the data section exactly (no overlap, no gap, no trailing bytes).
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/dtype.h"
#include "core/checkpoint/tensor_view.h"

namespace hl {

inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100ull * 1000 * 1000;

struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::BF16;
  Shape shape;
  std::uint64_t begin = 0;  // byte offsets into the data section, half-open
  std::uint64_t end = 0;
};

struct SafetensorsHeader {
  std::vector<SafetensorsEntry> tensors;  // sorted by name
  std::map<std::string, std::string> metadata;
  std::uint64_t data_offset = 0;  // 8 + N: where the data section starts in the file
};

// `file` is the whole file; `label` (usually the file name) prefixes every error message.
// Throws CheckpointError with a one-line message on any violation.
SafetensorsHeader parse_safetensors(std::span<const std::byte> file, const std::string& label);

}  // namespace hl
