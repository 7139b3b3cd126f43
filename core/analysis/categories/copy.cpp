#include "core/analysis/categories/copy.h"

#include <map>
#include <string>
#include <unordered_set>

namespace hl::analysis {

namespace {
std::string ngram_key(std::span<const std::int64_t> sequence, std::size_t end, std::size_t n) {
  return std::string(reinterpret_cast<const char*>(sequence.data() + (end + 1 - n)), n * sizeof(std::int64_t));
}
}  // namespace

std::vector<int> copy_lengths(std::span<const std::int64_t> sequence) {
  std::vector<int> lengths(sequence.size(), 0);
  // seen[n - 1]: the n-grams ending before the current position.
  std::vector<std::unordered_set<std::string>> seen(kMaxCopyLength);
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    // An n-gram repeat implies a repeat of its (n-1)-suffix, so the longest n is the first one that fails, minus 1.
    for (std::size_t n = 1; n <= static_cast<std::size_t>(kMaxCopyLength) && n <= i + 1; ++n) {
      if (!seen[n - 1].count(ngram_key(sequence, i, n))) break;
      lengths[i] = static_cast<int>(n);
    }
    for (std::size_t n = 1; n <= static_cast<std::size_t>(kMaxCopyLength) && n <= i + 1; ++n)
      seen[n - 1].insert(ngram_key(sequence, i, n));
  }
  return lengths;
}

std::vector<int> token_copy_lengths(const ModelTokens& model) {
  std::vector<std::int64_t> ids;
  for (const Token& t : model.tokens) ids.push_back(t.id);
  return copy_lengths(ids);
}

std::vector<int> unit_copy_lengths(std::string_view text, std::span<const ByteSpan> units) {
  std::map<std::string_view, std::int64_t> interned;
  std::vector<std::int64_t> ids;
  for (const ByteSpan& u : units) {
    const auto [it, added] = interned.emplace(text.substr(u.begin, u.end - u.begin), interned.size());
    ids.push_back(it->second);
  }
  return copy_lengths(ids);
}

void label_copy(const std::vector<int>& lengths, UnitLabels& labels) {
  for (std::size_t u = 0; u < lengths.size(); ++u) {
    if (lengths[u] == 0) {
      add_label(labels[u], "copy:none");
      continue;
    }
    add_label(labels[u], "copy:any");
    add_label(labels[u], lengths[u] >= kMaxCopyLength ? "copy:" + std::to_string(kMaxCopyLength) + "+"
                                                      : "copy:" + std::to_string(lengths[u]));
  }
}

}  // namespace hl::analysis
