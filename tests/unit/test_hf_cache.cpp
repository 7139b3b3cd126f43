// The Hugging Face cache layout (core/checkpoint/hf_cache.h): a cache tree built in a temp folder the way
// huggingface_hub writes it (blobs + relative links from snapshots/<commit>/, refs/main), the environment variables
// that locate it, the lookups and listings, and the hostile trees a cache can hold.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/hf_cache.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"
#include "core/model/cached_models.h"
#include "support/hf_cache_tree.h"
#include "support/run_cli.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kCommit = "0123456789abcdef0123456789abcdef01234567";
const fs::path kLlama = fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models" / "llama";
const fs::path kTokenizer = fs::path(HL_TEST_DATA_DIR) / "tokenizers" / "tiny-bpe-512" / "tokenizer.json";

// Sets (or unsets) environment variables for one test and restores them after.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::optional<std::string>>> vars) {
    for (const auto& [name, value] : vars) {
      const char* old = std::getenv(name);
      saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
      if (value) ::setenv(name, value->c_str(), 1);
      else ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(HL_TEST_OUTPUT_DIR) / "hf_cache" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

using hl::test::add_cached_repo;
using hl::test::write_text;

std::string error_of(const std::string& arg) {
  try {
    hl::resolve_model_folder(arg);
  } catch (const hl::CheckpointError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("hub_cache_dir: HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache/huggingface/hub") {
  {
    ScopedEnv env{{"HF_HUB_CACHE", "/a/hub"}, {"HF_HOME", "/b"}, {"XDG_CACHE_HOME", "/c"}, {"HOME", "/d"}};
    CHECK(hl::hub_cache_dir() == fs::path("/a/hub"));
  }
  {
    ScopedEnv env{{"HF_HUB_CACHE", ""}, {"HF_HOME", "/b"}, {"XDG_CACHE_HOME", "/c"}, {"HOME", "/d"}};
    CHECK(hl::hub_cache_dir() == fs::path("/b/hub"));
  }
  {
    ScopedEnv env{{"HF_HUB_CACHE", std::nullopt}, {"HF_HOME", std::nullopt}, {"XDG_CACHE_HOME", "/c"}, {"HOME", "/d"}};
    CHECK(hl::hub_cache_dir() == fs::path("/c/huggingface/hub"));
  }
  {
    ScopedEnv env{{"HF_HUB_CACHE", std::nullopt}, {"HF_HOME", std::nullopt}, {"XDG_CACHE_HOME", std::nullopt},
                  {"HOME", "/d"}};
    CHECK(hl::hub_cache_dir() == fs::path("/d/.cache/huggingface/hub"));
  }
  {
    ScopedEnv env{{"HF_HUB_CACHE", std::nullopt}, {"HF_HOME", std::nullopt}, {"XDG_CACHE_HOME", std::nullopt},
                  {"HOME", std::nullopt}};
    CHECK(hl::hub_cache_dir().empty());
    CHECK_THAT(error_of("org/model"), Catch::Contains("HF_HUB_CACHE, HF_HOME and HOME are unset"));
  }
}

TEST_CASE("resolve_model_folder finds org/name in the cache through refs/main, and opens it as a model") {
  const fs::path home = fresh_dir("resolve");
  const fs::path snapshot = add_cached_repo(home / ".cache" / "huggingface" / "hub", "org", "tiny-llama", kCommit);
  ScopedEnv env{{"HF_HUB_CACHE", std::nullopt}, {"HF_HOME", std::nullopt}, {"XDG_CACHE_HOME", std::nullopt},
                {"HOME", home.string()}};
  CHECK(hl::resolve_model_folder("org/tiny-llama") == snapshot);
  CHECK(hl::resolve_model_folder(std::string("org/tiny-llama@") + kCommit) == snapshot);
  CHECK(hl::resolve_model_folder("org/tiny-llama@main") == snapshot);
  CHECK(hl::resolve_model_folder(kLlama.string()) == kLlama);  // an existing folder is itself
  CHECK(hl::model_folder_name(snapshot) == "tiny-llama");
  CHECK(hl::model_folder_name(kLlama) == "llama");

  hl::engine::CpuBackend backend;
  const auto model = hl::engine::LoadedModel::open("org/tiny-llama", backend);
  CHECK(model->folder() == snapshot);
  CHECK(model->name() == "tiny-llama");
  CHECK(model->spec().model_type == "llama");
  CHECK(model->tokenizer() != nullptr);
}

TEST_CASE("resolve_model_folder: a missing repo or revision is a one-line error naming what was searched") {
  const fs::path cache = fresh_dir("missing");
  add_cached_repo(cache, "org", "tiny-llama", kCommit);
  ScopedEnv env{{"HF_HUB_CACHE", cache.string()}};
  const std::string missing = error_of("org/absent");
  CHECK_THAT(missing, Catch::Contains("org/absent: no such folder, and not in the Hugging Face cache"));
  CHECK_THAT(missing, Catch::Contains((cache / "models--org--absent").string()));
  CHECK(missing.find('\n') == std::string::npos);
  CHECK_THAT(error_of("org/tiny-llama@v2"), Catch::Contains("no revision 'v2'") && Catch::Contains(kCommit));
  CHECK_THAT(error_of("org/tiny-llama@../../x"), Catch::Contains("is not a revision"));
  // Paths that are not repo ids keep their meaning: opening them names the path.
  CHECK(hl::resolve_model_folder("./absent/folder") == fs::path("./absent/folder"));
  CHECK(hl::resolve_model_folder("/absent/folder") == fs::path("/absent/folder"));
}

TEST_CASE("resolve_model_folder without refs/main: the one snapshot, or the list of revisions to choose from") {
  const fs::path cache = fresh_dir("no_ref");
  const fs::path only = add_cached_repo(cache, "org", "single", kCommit, false);
  add_cached_repo(cache, "org", "several", "aaaa", false);
  add_cached_repo(cache, "org", "several", "bbbb", false);
  ScopedEnv env{{"HF_HUB_CACHE", cache.string()}};
  CHECK(hl::resolve_model_folder("org/single") == only);
  CHECK_THAT(error_of("org/several"), Catch::Contains("snapshots: aaaa, bbbb") && Catch::Contains("org/several@<revision>"));
  CHECK(hl::resolve_model_folder("org/several@bbbb") == cache / "models--org--several" / "snapshots" / "bbbb");
}

TEST_CASE("hostile cache trees: dangling links, unreadable refs and refs to missing snapshots are messages") {
  const fs::path cache = fresh_dir("hostile");
  add_cached_repo(cache, "org", "good", kCommit);
  const fs::path dangling = add_cached_repo(cache, "org", "dangling", kCommit);
  fs::remove(cache / "models--org--dangling" / "blobs" / ("blob-" + std::string(kCommit).substr(0, 8) + "-model.safetensors"));
  add_cached_repo(cache, "org", "ref-dir", kCommit);
  fs::remove(cache / "models--org--ref-dir" / "refs" / "main");
  fs::create_directories(cache / "models--org--ref-dir" / "refs" / "main");
  add_cached_repo(cache, "org", "ref-escape", kCommit);
  write_text(cache / "models--org--ref-escape" / "refs" / "main", "../../../etc");
  add_cached_repo(cache, "org", "ref-stale", kCommit);
  write_text(cache / "models--org--ref-stale" / "refs" / "main", "ffff");
  fs::create_directories(cache / "models--org--no-config" / "snapshots" / kCommit);  // e.g. a tokenizer-only repo
  write_text(cache / "models--org--no-config" / "refs" / "main", kCommit);
  write_text(cache / "models--not-a-dir", "x");
  ScopedEnv env{{"HF_HUB_CACHE", cache.string()}};

  CHECK_THAT(error_of("org/dangling"), Catch::Contains((dangling / "model.safetensors").string() +
                                                        " is a link to a missing file"));
  CHECK_THAT(error_of("org/ref-dir"), Catch::Contains("cannot read the ref of org/ref-dir"));
  CHECK_THAT(error_of("org/ref-escape"), Catch::Contains("holds '../../../etc', not a commit hash"));
  CHECK_THAT(error_of("org/ref-stale"), Catch::Contains("refs/main points at commit ffff, whose snapshot"));

  const auto models = hl::list_cached_models(cache);
  std::vector<std::string> ids;
  for (const auto& m : models) ids.push_back(m.repo.repo_id);
  CHECK(ids == std::vector<std::string>{"org/dangling", "org/good", "org/ref-dir", "org/ref-escape", "org/ref-stale"});
  for (const auto& m : models) {
    INFO(m.repo.repo_id << ": " << m.problem);
    CHECK(m.problem.empty() == (m.repo.repo_id == "org/good"));
    CHECK(m.label().starts_with(m.repo.repo_id + " · "));
  }
  const auto& good = models[1];
  CHECK(good.family == "llama");
  CHECK(good.parameters > 0);
  CHECK(good.repo.revision == kCommit);
  CHECK(good.repo.size_on_disk == fs::file_size(kLlama / "config.json") + fs::file_size(kLlama / "model.safetensors") +
                                      fs::file_size(kTokenizer));
  CHECK_THAT(good.label(), Catch::Contains("llama") && Catch::Contains("parameters"));
  CHECK(hl::list_cached_models(cache / "absent").empty());
}

TEST_CASE("hybridlens-cli scores, tokenizes, inspects and lists models from the cache") {
  const fs::path cache = fresh_dir("cli");
  add_cached_repo(cache, "org", "tiny-llama", kCommit);
  ScopedEnv env{{"HF_HUB_CACHE", cache.string()}};
  const std::string text = "--text 'The quick brown fox.' --json";
  const auto cached = hl::test::run_cli("score --model org/tiny-llama " + text);
  REQUIRE(cached.exit_code == 0);
  const auto direct = hl::test::run_cli("score --model '" + kLlama.string() + "' --tokenizer '" + kTokenizer.string() +
                                        "' " + text);
  REQUIRE(direct.exit_code == 0);
  CHECK(nlohmann::json::parse(cached.out)["tokens"] == nlohmann::json::parse(direct.out)["tokens"]);

  const auto tokens = hl::test::run_cli("tokenize --tokenizer org/tiny-llama " + text);
  CHECK(tokens.exit_code == 0);
  CHECK_THAT(tokens.out, Catch::Contains("\"ids\""));
  const auto inspect = hl::test::run_cli("inspect --model org/tiny-llama");
  CHECK(inspect.exit_code == 0);
  CHECK_THAT(inspect.out, Catch::Contains((cache / "models--org--tiny-llama" / "snapshots" / kCommit).string()));

  const auto listing = hl::test::run_cli("models --json");
  REQUIRE(listing.exit_code == 0);
  const auto j = nlohmann::json::parse(listing.out);
  CHECK(j["cache"] == cache.string());
  REQUIRE(j["models"].size() == 1);
  CHECK(j["models"][0]["repo_id"] == "org/tiny-llama");
  CHECK(j["models"][0]["family"] == "llama");

  const auto absent = hl::test::run_cli("score --model org/absent " + text);
  CHECK(absent.exit_code == 1);
  CHECK_THAT(absent.err, Catch::Contains("org/absent: no such folder, and not in the Hugging Face cache"));
}
