#pragma once
// The models in the Hugging Face cache (core/checkpoint/hf_cache.h), each opened as `inspect` opens a folder, for
// `hybridlens-cli models` and the GUI's model pickers.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/hf_cache.h"

namespace hl {

struct CachedModel {
  CachedRepo repo;
  std::string family;          // config.json's model_type; empty when the folder does not open as a model
  std::int64_t parameters = 0;
  std::string problem;         // the repo's problem, or why the folder does not open as a model; empty if none
  // One line for a picker: "org/name · family · 1.24B parameters · 2.3 GiB", or "org/name · ⚠ problem".
  std::string label() const;
};

// Every model of list_cached_repos(cache), sorted by repo id.
std::vector<CachedModel> list_cached_models(const std::filesystem::path& cache = hub_cache_dir());

}  // namespace hl
