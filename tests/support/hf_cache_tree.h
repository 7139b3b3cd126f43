#pragma once
// A Hugging Face hub cache tree as huggingface_hub writes it, for tests of the cache lookup (core/checkpoint/hf_cache.h):
// models--<org>--<name>/blobs/ holding each file, snapshots/<commit>/<file> a relative link to its blob, and
// refs/main naming the commit.
#include <filesystem>
#include <fstream>
#include <string>

namespace hl::test {

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// The tiny llama fixture (config.json, model.safetensors) with the tiny BPE tokenizer as org/name at `commit`;
// returns the snapshot folder.
inline std::filesystem::path add_cached_repo(const std::filesystem::path& cache, const std::string& org,
                                             const std::string& name, const std::string& commit, bool with_ref = true) {
  namespace fs = std::filesystem;
  const fs::path llama = fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models" / "llama";
  const fs::path tokenizer = fs::path(HL_TEST_DATA_DIR) / "tokenizers" / "tiny-bpe-512" / "tokenizer.json";
  const fs::path repo = cache / ("models--" + org + "--" + name);
  const fs::path snapshot = repo / "snapshots" / commit;
  fs::create_directories(snapshot);
  fs::create_directories(repo / "blobs");
  const std::pair<std::string, fs::path> files[] = {{"config.json", llama / "config.json"},
                                                    {"model.safetensors", llama / "model.safetensors"},
                                                    {"tokenizer.json", tokenizer}};
  for (const auto& [file, source] : files) {
    const std::string blob = "blob-" + commit.substr(0, 8) + "-" + file;
    fs::copy_file(source, repo / "blobs" / blob, fs::copy_options::overwrite_existing);
    fs::create_symlink(fs::path("..") / ".." / "blobs" / blob, snapshot / file);
  }
  if (with_ref) write_text(repo / "refs" / "main", commit);
  return snapshot;
}

}  // namespace hl::test
