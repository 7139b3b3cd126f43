#pragma once
// config.json → ModelSpec for every supported family (families.h). Input is untrusted: every field is validated
// (positive sizes, divisibility, bounded counts, overflow-free products) before anything is sized from it.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model_spec.h"

namespace hl {

// Throws CheckpointError("<label>: ...") with a one-line message naming the field on any problem; an unknown
// model_type gives exactly "model_type 'x' is not supported (supported: bamba, falcon_h1, ...)".
ModelSpec parse_model_spec(std::string_view config_json, const std::string& label = "config.json");

// Reads <folder>/config.json (at most 16 MB).
ModelSpec load_model_spec(const std::filesystem::path& folder);

std::vector<std::string> supported_model_types();  // sorted

}  // namespace hl
