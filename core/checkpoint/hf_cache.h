#pragma once
// Models where users already keep them: the Hugging Face hub cache, read in huggingface_hub's layout (nothing is
// downloaded). A repo "org/name" lives in <cache>/models--org--name/ with
//   refs/<branch>        the commit hash the branch points at
//   snapshots/<commit>/  the repo's files at that commit, usually relative links into ../../blobs/<sha>
//   blobs/<sha>          the file contents
// The cache is untrusted input: a dangling link, an unreadable ref or a ref to a missing snapshot is a one-line
// CheckpointError on lookup and an entry's `problem` in listings.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hl {

// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub, as
// huggingface_hub resolves it (an empty variable counts as unset). Empty when none is set, HOME included.
std::filesystem::path hub_cache_dir();

// The folder `arg` names: an existing path is itself; else "org/name" or "org/name@revision" (a branch or a
// commit) is the snapshot of that revision (default main) in hub_cache_dir(). Throws CheckpointError naming the
// cache folder searched when the repo is not there, and the problem when its snapshot is unusable.
std::filesystem::path resolve_model_folder(const std::string& arg);

// The name a model folder is known by in reports: the repo's name for a cache snapshot
// (.../models--org--name/snapshots/<commit> → "name"), else the folder's own ("llama" for models/llama/).
std::string model_folder_name(const std::filesystem::path& folder);

struct CachedRepo {
  std::string repo_id;            // "org/name"
  std::string revision;           // the snapshot's commit; empty when none could be chosen
  std::filesystem::path folder;   // the snapshot folder; empty when none could be chosen
  std::uint64_t size_on_disk = 0;  // the snapshot's files, links followed
  std::string problem;            // why the snapshot is unusable; empty when it is usable
};

// Every repo in `cache` whose main snapshot has a config.json (and every repo whose snapshot cannot be chosen,
// with the reason), sorted by repo id. A missing cache folder gives an empty list.
std::vector<CachedRepo> list_cached_repos(const std::filesystem::path& cache);

}  // namespace hl
