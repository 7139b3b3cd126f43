// hybridlens-cli models [--json]: the models in the Hugging Face cache, with family, parameters, size and folder.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/model/cached_models.h"
#include "core/util/human_units.h"

namespace hl::cli {
namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli models [--format text|json] [--json]\n\n"
    "  Lists the models in the Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else\n"
    "  $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub): repo id, family, parameters, size on disk\n"
    "  and the snapshot folder. Any --model or --tokenizer takes such a repo id (ORG/NAME, or ORG/NAME@REVISION).\n"
    "  Nothing is downloaded. --json is --format json.\n";

constexpr OptionSpec kOptions[] = {{"--format"}};

}  // namespace

int run_models(std::span<char*> argv) {
  const ParsedArgs args = parse_args("models", argv, kOptions);
  if (args.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const auto cache = hub_cache_dir();
  const auto models = list_cached_models(cache);
  if (args.format({"text", "json"}) == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : models)
      list.push_back({{"repo_id", m.repo.repo_id}, {"revision", m.repo.revision}, {"folder", m.repo.folder.string()},
                      {"size_on_disk", m.repo.size_on_disk}, {"family", m.family}, {"parameters", m.parameters},
                      {"problem", m.problem}});
    const nlohmann::json j = {{"cache", cache.string()}, {"models", list}};
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("cache %s: %zu model(s)\n", cache.string().c_str(), models.size());
  for (const auto& m : models) {
    if (!m.problem.empty()) {
      std::printf("%-40s  unusable: %s\n", m.repo.repo_id.c_str(), m.problem.c_str());
      continue;
    }
    std::printf("%-40s  %-18s %10s  %10s  %s\n", m.repo.repo_id.c_str(), m.family.c_str(), human_count(m.parameters).c_str(),
                human_bytes(m.repo.size_on_disk).c_str(), m.repo.folder.string().c_str());
  }
  return 0;
}

}  // namespace hl::cli
