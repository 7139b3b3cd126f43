#pragma once
// Sizes and counts for people: "1.5 GiB", "1.24B".
#include <cstdint>
#include <string>

namespace hl {

std::string human_bytes(std::uint64_t bytes);  // binary units: "512 B", "1.5 KiB", ... "TiB"
std::string human_count(std::int64_t n);       // "950", "1.2K", "3.40M", "1.24B"

}  // namespace hl
