#include "core/checkpoint/hf_cache.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"

namespace hl {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kRepoPrefix = "models--";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A repo id as the hub spells it: "name" or "org/name", each part of letters, digits, '-', '_' and '.', neither
// "." nor "..". Paths ("./x", "/x", "a/b/c") never match, so they keep their meaning as folders.
bool is_repo_id(std::string_view id) {
  const auto part_ok = [](std::string_view p) {
    return !p.empty() && p != "." && p != ".." && std::all_of(p.begin(), p.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
  };
  const auto slash = id.find('/');
  if (slash == std::string_view::npos) return part_ok(id);
  return part_ok(id.substr(0, slash)) && part_ok(id.substr(slash + 1));
}

std::string repo_folder_name(const std::string& repo_id) {
  std::string name(kRepoPrefix);
  for (const char c : repo_id) name += c == '/' ? std::string("--") : std::string(1, c);
  return name;
}

std::string repo_id_of(const std::string& folder_name) {
  std::string id = folder_name.substr(kRepoPrefix.size());
  if (const auto sep = id.find("--"); sep != std::string::npos) id.replace(sep, 2, "/");
  return id;
}

std::vector<std::string> snapshot_names(const fs::path& repo) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(repo / "snapshots", ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec)) names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A commit hash read from a ref file: one plain name (no separators, so it cannot lead out of snapshots/).
std::string read_ref(const fs::path& ref, const std::string& repo_id) {
  std::error_code ec;
  std::ifstream in(ref, std::ios::binary);
  if (fs::is_directory(ref, ec) || !in) throw CheckpointError(ref.string() + ": cannot read the ref of " + repo_id);
  std::string hash(256, '\0');  // a hash is 40 characters: more is not a ref
  in.read(hash.data(), static_cast<std::streamsize>(hash.size()));
  hash.resize(static_cast<std::size_t>(in.gcount()));
  while (!hash.empty() && std::isspace(static_cast<unsigned char>(hash.back()))) hash.pop_back();
  if (hash.empty() || !std::all_of(hash.begin(), hash.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
    throw CheckpointError(ref.string() + ": holds '" + printable(hash, 60) + "', not a commit hash");
  return hash;
}

// The snapshot folder of `revision` (a branch under refs/, or a commit under snapshots/). Without an explicit
// revision and without refs/main, a repo with a single snapshot uses it, as a cache copied without refs has.
fs::path find_snapshot(const fs::path& repo, const std::string& repo_id, const std::string& revision, bool explicit_revision) {
  std::error_code ec;
  if (revision.find("..") != std::string::npos || revision.empty() || revision.front() == '/')
    throw CheckpointError(repo_id + ": '" + printable(revision, 60) + "' is not a revision");
  const fs::path ref = repo / "refs" / revision;
  if (fs::exists(ref, ec) || fs::is_symlink(ref, ec)) {
    const std::string commit = read_ref(ref, repo_id);
    const fs::path snapshot = repo / "snapshots" / commit;
    if (!fs::is_directory(snapshot, ec))
      throw CheckpointError(repo_id + ": refs/" + revision + " points at commit " + commit + ", whose snapshot " +
                            snapshot.string() + " is missing");
    return snapshot;
  }
  if (fs::is_directory(repo / "snapshots" / revision, ec)) return repo / "snapshots" / revision;
  const auto names = snapshot_names(repo);
  if (!explicit_revision && names.size() == 1) return repo / "snapshots" / names.front();
  std::string listed;
  for (const auto& n : names) listed += (listed.empty() ? "" : ", ") + n;
  throw CheckpointError(repo_id + ": no revision '" + printable(revision, 60) + "' in " + repo.string() +
                        (names.empty() ? " (it has no snapshots)" : " (snapshots: " + listed + "; give one as " +
                                                                        repo_id + "@<revision>)"));
}

// The first link in the snapshot whose target is missing (an interrupted download), as a message; empty if none.
std::string dangling_link(const fs::path& snapshot) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(snapshot, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_symlink(ec) && !fs::exists(it->path(), ec))
      return it->path().string() + " is a link to a missing file (an interrupted download?)";
  return {};
}

std::uint64_t size_on_disk(const fs::path& snapshot) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(snapshot, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (!it->is_regular_file(size_ec)) continue;
    const auto n = fs::file_size(it->path(), size_ec);
    if (!size_ec) total += n;
  }
  return total;
}

}  // namespace

fs::path hub_cache_dir() {
  if (const auto v = env("HF_HUB_CACHE"); !v.empty()) return v;
  if (const auto v = env("HF_HOME"); !v.empty()) return fs::path(v) / "hub";
  if (const auto v = env("XDG_CACHE_HOME"); !v.empty()) return fs::path(v) / "huggingface" / "hub";
  if (const auto v = env("HOME"); !v.empty()) return fs::path(v) / ".cache" / "huggingface" / "hub";
  return {};
}

fs::path resolve_model_folder(const std::string& arg) {
  std::error_code ec;
  if (fs::exists(arg, ec)) return arg;
  const auto at = arg.find('@');
  const std::string repo_id = arg.substr(0, at);
  if (!is_repo_id(repo_id)) return arg;  // a path: opening it gives the error that names it
  const fs::path cache = hub_cache_dir();
  const fs::path repo = cache / repo_folder_name(repo_id);
  if (cache.empty() || !fs::is_directory(repo, ec))
    throw CheckpointError(printable(arg) + ": no such folder, and not in the Hugging Face cache (" +
                          (cache.empty() ? std::string("none: HF_HUB_CACHE, HF_HOME and HOME are unset")
                                         : "no " + repo.string()) +
                          ")");
  const bool explicit_revision = at != std::string::npos;
  const fs::path snapshot = find_snapshot(repo, repo_id, explicit_revision ? arg.substr(at + 1) : "main", explicit_revision);
  if (const auto problem = dangling_link(snapshot); !problem.empty()) throw CheckpointError(problem);
  return snapshot;
}

std::string model_folder_name(const fs::path& folder) {
  const fs::path f = folder.has_filename() ? folder : folder.parent_path();
  const std::string repo = f.parent_path().parent_path().filename().string();
  if (f.parent_path().filename() == "snapshots" && repo.starts_with(kRepoPrefix)) {
    const std::string id = repo_id_of(repo);
    return id.substr(id.find('/') + 1);
  }
  return f.filename().string();
}

std::vector<CachedRepo> list_cached_repos(const fs::path& cache) {
  std::vector<CachedRepo> repos;
  std::error_code ec;
  for (fs::directory_iterator it(cache, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code dir_ec;
    if (!name.starts_with(kRepoPrefix) || !it->is_directory(dir_ec)) continue;
    CachedRepo r;
    r.repo_id = repo_id_of(name);
    try {
      r.folder = find_snapshot(it->path(), r.repo_id, "main", false);
    } catch (const CheckpointError& e) {
      r.problem = e.what();
      repos.push_back(std::move(r));
      continue;
    }
    std::error_code config_ec;
    const fs::path config = r.folder / "config.json";
    if (!fs::exists(config, config_ec) && !fs::is_symlink(config, config_ec)) continue;  // not a model (a tokenizer, ...)
    r.revision = r.folder.filename().string();
    r.size_on_disk = size_on_disk(r.folder);
    r.problem = dangling_link(r.folder);
    repos.push_back(std::move(r));
  }
  std::sort(repos.begin(), repos.end(), [](const CachedRepo& a, const CachedRepo& b) { return a.repo_id < b.repo_id; });
  return repos;
}

}  // namespace hl
