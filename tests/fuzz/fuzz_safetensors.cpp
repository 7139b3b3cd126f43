// libFuzzer target: the safetensors header parser over arbitrary bytes. Any outcome other than success or a
// CheckpointError (a crash, a sanitizer report, another exception type) is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto header = hl::parse_safetensors(std::as_bytes(std::span(data, size)), "fuzz.safetensors");
    // A header that parses must describe tensors inside the input.
    for (const auto& t : header.tensors)
      if (header.data_offset + t.end > size) __builtin_trap();
  } catch (const hl::CheckpointError&) {
  }
  return 0;
}
