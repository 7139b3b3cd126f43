#pragma once
// The built-in demo pair (resources/demo): a miniature Olmo-Hybrid-style hybrid and an Olmo-3-style transformer
// trained on the same data, and the sample text the app opens on. It ships with the app because no model hub can
// be reached at run time.
#include <filesystem>
#include <optional>

namespace hl {

struct DemoPair {
  std::filesystem::path folder;       // share/hybridlens/demo
  std::filesystem::path hybrid;       // folder/olmo-hybrid-mini: olmo_hybrid
  std::filesystem::path transformer;  // folder/olmo3-mini: olmo3
  std::filesystem::path sample;       // folder/sample.txt
};

// The folder holding a complete demo pair, searched in this order: $HYBRIDLENS_DEMO_DIR; <executable_dir>/../share/
// hybridlens/demo, which is where both the build tree (build/app/ → build/share/) and an installed package
// (/usr/bin/ → /usr/share/) keep it. nullopt when none has config.json, model.safetensors and tokenizer.json in
// both model folders and the sample text.
std::optional<DemoPair> find_demo_pair(const std::filesystem::path& executable_dir);

}  // namespace hl
