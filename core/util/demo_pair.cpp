#include "core/util/demo_pair.h"

#include <cstdlib>
#include <system_error>

namespace hl {
namespace {

bool is_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

std::optional<DemoPair> demo_at(const std::filesystem::path& folder) {
  DemoPair d{folder, folder / "olmo-hybrid-mini", folder / "olmo3-mini", folder / "sample.txt"};
  for (const auto& model : {d.hybrid, d.transformer})
    for (const char* name : {"config.json", "model.safetensors", "tokenizer.json"})
      if (!is_file(model / name)) return std::nullopt;
  if (!is_file(d.sample)) return std::nullopt;
  return d;
}

}  // namespace

std::optional<DemoPair> find_demo_pair(const std::filesystem::path& executable_dir) {
  if (const char* env = std::getenv("HYBRIDLENS_DEMO_DIR"); env != nullptr && *env != '\0')
    return demo_at(env);  // an explicit choice is not second-guessed by the search below
  return demo_at((executable_dir / ".." / "share" / "hybridlens" / "demo").lexically_normal());
}

}  // namespace hl
