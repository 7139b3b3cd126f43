#pragma once
// JSON parsing for untrusted files (safetensors headers, index files, config.json). Stricter than plain
// nlohmann::json::parse: duplicate object keys are an error (nlohmann would silently keep the last one, so two
// readers could disagree about the same file), nesting is bounded, and parse errors become one-line CheckpointErrors.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hl {

// Throws CheckpointError("<label>: <what>") on malformed JSON, duplicate keys or nesting deeper than 64.
nlohmann::json parse_json_strict(std::string_view text, const std::string& label);

// Makes untrusted text safe to embed in a one-line message: control characters and bytes outside printable ASCII
// are escaped as \xNN, and very long strings are truncated with "...".
std::string printable(std::string_view text, std::size_t max_length = 160);

// The JSON type of a value in words, for "expected an object, found an array" messages.
std::string json_type_name(const nlohmann::json& value);

}  // namespace hl
