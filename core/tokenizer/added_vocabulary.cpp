#include "core/tokenizer/added_vocabulary.h"

#include <algorithm>

#include "core/tokenizer/config.h"
#include "core/text/unicode.h"
#include "core/text/utf8.h"

namespace hl::tok {

namespace {

// The char ending at byte `end` (end > 0).
char32_t char_before(std::string_view s, std::size_t end) {
  std::size_t b = end - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  return next_char(s, b);
}

char32_t char_at(std::string_view s, std::size_t at) { return next_char(s, at); }

}  // namespace

void AddedVocabulary::Matcher::add(std::string_view pattern, std::size_t token) {
  if (pattern.empty()) return;
  std::uint32_t node = 0;
  for (unsigned char b : pattern) {
    auto& next = nodes_[node].next;
    const auto it = std::find_if(next.begin(), next.end(), [b](const auto& e) { return e.first == b; });
    if (it != next.end()) {
      node = it->second;
    } else {
      const auto created = static_cast<std::uint32_t>(nodes_.size());
      next.emplace_back(b, created);
      nodes_.emplace_back();
      node = created;
    }
  }
  if (!nodes_[node].token) nodes_[node].token = token;  // the first token listed wins a duplicate content
}

std::pair<std::size_t, std::size_t> AddedVocabulary::Matcher::longest_at(std::string_view text, std::size_t at) const {
  std::pair<std::size_t, std::size_t> best{0, 0};
  std::uint32_t node = 0;
  for (std::size_t i = at; i < text.size(); ++i) {
    const auto& next = nodes_[node].next;
    const auto b = static_cast<unsigned char>(text[i]);
    const auto it = std::find_if(next.begin(), next.end(), [b](const auto& e) { return e.first == b; });
    if (it == next.end()) break;
    node = it->second;
    if (nodes_[node].token) best = {i + 1 - at, *nodes_[node].token};
  }
  return best;
}

AddedVocabulary::AddedVocabulary(const nlohmann::json& added, const Normalizer* normalizer, const std::string& path) {
  if (added.is_null()) return;
  if (!added.is_array()) config::fail(path, "must be an array");
  for (std::size_t i = 0; i < added.size(); ++i) {
    const std::string at = config::item(path, i);
    AddedToken t;
    t.content = config::get<std::string>(added[i], "content", at);
    t.id = config::token_id(config::need(added[i], "id", at), at + ".id");
    t.single_word = config::get_or(added[i], "single_word", false, at);
    t.lstrip = config::get_or(added[i], "lstrip", false, at);
    t.rstrip = config::get_or(added[i], "rstrip", false, at);
    t.normalized = config::get_or(added[i], "normalized", true, at);
    t.special = config::get_or(added[i], "special", false, at);
    by_id_.emplace(t.id, tokens_.size());
    tokens_.push_back(std::move(t));
  }
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& t = tokens_[i];
    if (!t.normalized) {
      raw_.add(t.content, i);
      continue;
    }
    // HF matches normalized tokens by their normalized form.
    NormalizedString n(t.content);
    if (normalizer) normalizer->normalize(n);
    normalized_.add(n.get(), i);
  }
}

const AddedToken* AddedVocabulary::by_id(std::int32_t id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

std::optional<std::int32_t> AddedVocabulary::id_of(std::string_view content) const {
  for (const AddedToken& t : tokens_)
    if (t.content == content) return t.id;
  return std::nullopt;
}

std::vector<Part> AddedVocabulary::split_matches(NormalizedString&& s, const Matcher& m) const {
  std::vector<Part> out;
  if (m.empty()) {
    out.push_back({std::move(s), std::nullopt});
    return out;
  }
  const std::string& text = s.get();
  std::size_t start_offset = 0;
  const auto push = [&](std::size_t b, std::size_t e, const AddedToken* t) {
    NormalizedString piece = s.slice(b, e);
    if (!t) {
      out.push_back({std::move(piece), std::nullopt});
      return;
    }
    std::string value = piece.get();
    const std::size_t len = value.size();
    out.push_back({std::move(piece), std::vector<Token>{Token{t->id, std::move(value), 0, len}}});
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto [len, index] = m.longest_at(text, i);
    if (len == 0) {
      ++i;
      continue;
    }
    std::size_t start = i, stop = i + len;
    i = stop;
    const AddedToken& t = tokens_[index];
    if (t.single_word) {
      const bool start_space = start == 0 || !is_word_char(char_before(text, start));
      const bool stop_space = stop == text.size() || !is_word_char(char_at(text, stop));
      if (!start_space || !stop_space) continue;
    }
    if (t.lstrip) {
      std::size_t b = start;
      while (b > 0) {
        std::size_t p = b - 1;
        while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
        std::size_t q = p;
        if (!is_whitespace(next_char(text, q))) break;
        b = p;
      }
      start = std::max(b, start_offset);
    }
    if (t.rstrip) {
      while (stop < text.size()) {
        std::size_t q = stop;
        if (!is_whitespace(next_char(text, q))) break;
        stop = q;
      }
    }
    if (start > start_offset) push(start_offset, start, nullptr);
    push(start, stop, &t);
    start_offset = stop;
  }
  if (start_offset != text.size()) push(start_offset, text.size(), nullptr);
  return out;
}

PreTokenized AddedVocabulary::extract_and_normalize(std::string_view text, const Normalizer* normalizer) const {
  PreTokenized p;
  p.pieces.push_back({NormalizedString(text), std::nullopt});
  p.split([&](NormalizedString&& s) { return split_matches(std::move(s), raw_); });
  p.split([&](NormalizedString&& s) {
    if (normalizer) normalizer->normalize(s);
    return split_matches(std::move(s), normalized_);
  });
  return p;
}

}  // namespace hl::tok
