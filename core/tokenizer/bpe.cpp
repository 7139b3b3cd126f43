#include "core/tokenizer/bpe.h"

#include <cstdio>
#include <queue>

#include "core/tokenizer/config.h"
#include "core/text/utf8.h"

namespace hl::tok {

namespace {

using config::json;

constexpr std::size_t kCacheCapacity = 200000;

std::uint64_t pair_key(std::int32_t a, std::int32_t b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}

std::pair<std::string, std::string> merge_pair(const json& m, const std::string& path) {
  if (m.is_string()) {  // legacy "a b": split on the first space
    const auto s = m.get<std::string>();
    const auto sp = s.find(' ');
    if (sp == std::string::npos) config::fail(path, "is not a pair \"a b\"");
    return {s.substr(0, sp), s.substr(sp + 1)};
  }
  if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
    return {m[0].get<std::string>(), m[1].get<std::string>()};
  config::fail(path, "must be \"a b\" or [a, b]");
}

}  // namespace

Bpe::Bpe(const json& model, const std::string& path) {
  const json& vocab = config::need(model, "vocab", path);
  if (!vocab.is_object()) config::fail(path + ".vocab", "must be an object");
  vocab_.reserve(vocab.size());
  for (const auto& [token, value] : vocab.items()) {
    const std::string at = path + ".vocab['" + printable(token, 60) + "']";
    const std::int32_t id = config::token_id(value, at);
    // Two tokens with one id would make decoding pick either; real vocabularies are one-to-one.
    const auto [other, fresh] = vocab_r_.emplace(id, token);
    if (!fresh) config::fail(at, "has id " + std::to_string(id) + ", already used by '" + printable(other->second, 60) + "'");
    vocab_.emplace(token, id);
  }
  prefix_ = config::get_or<std::string>(model, "continuing_subword_prefix", "", path);
  suffix_ = config::get_or<std::string>(model, "end_of_word_suffix", "", path);
  fuse_unk_ = config::get_or(model, "fuse_unk", false, path);
  byte_fallback_ = config::get_or(model, "byte_fallback", false, path);
  ignore_merges_ = config::get_or(model, "ignore_merges", false, path);
  const auto unk = config::get_or<std::string>(model, "unk_token", "", path);
  if (!unk.empty()) {
    const auto it = vocab_.find(unk);
    if (it == vocab_.end()) config::fail(path + ".unk_token", "'" + printable(unk, 60) + "' is not in the vocab");
    unk_ = it->second;
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    const auto it = vocab_.find(std::string_view(name));
    byte_ids_[b] = it == vocab_.end() ? -1 : it->second;
  }
  const json& merges = config::need_array(model, "merges", path);
  merges_.reserve(merges.size());
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const std::string at = config::item(path + ".merges", i);
    const auto [a, b] = merge_pair(merges[i], at);
    const auto ia = vocab_.find(a), ib = vocab_.find(b);
    if (ia == vocab_.end() || ib == vocab_.end())
      config::fail(at, "uses '" + printable(ia == vocab_.end() ? a : b, 60) + "', a token that is not in the vocab");
    const std::string merged = a + b.substr(b.starts_with(prefix_) ? prefix_.size() : 0);
    const auto im = vocab_.find(merged);
    if (im == vocab_.end()) config::fail(at, "makes '" + printable(merged, 60) + "', which is not in the vocab");
    merges_.insert_or_assign(pair_key(ia->second, ib->second), std::make_pair(static_cast<std::uint32_t>(i), im->second));
  }
}

std::optional<std::int32_t> Bpe::token_to_id(std::string_view token) const {
  const auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* Bpe::id_to_token(std::int32_t id) const {
  const auto it = vocab_r_.find(id);
  return it == vocab_r_.end() ? nullptr : &it->second;
}

std::vector<Bpe::Symbol> Bpe::merge_word(std::string_view w) const {
  std::vector<Symbol> symbols;
  symbols.reserve(w.size());
  std::optional<Symbol> unk;
  std::string s;
  for (std::size_t i = 0; i < w.size();) {
    const std::size_t start = i;
    next_char(w, i);
    const auto byte_len = static_cast<std::uint32_t>(i - start);
    s.assign(w.substr(start, byte_len));
    if (start != 0) s.insert(0, prefix_);
    if (i == w.size()) s += suffix_;
    if (const auto it = vocab_.find(s); it != vocab_.end()) {
      if (unk) symbols.push_back(*std::exchange(unk, std::nullopt));
      symbols.push_back({it->second, byte_len});
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (unsigned char b : s) all = all && byte_ids_[b] >= 0;
      if (all) {
        for (unsigned char b : s) symbols.push_back({byte_ids_[b], 1});
        continue;
      }
    }
    if (!unk_) continue;  // no unk token: HF drops the char
    if (unk && fuse_unk_) {
      unk->len += byte_len;
    } else {
      if (unk) symbols.push_back(*unk);
      unk = Symbol{*unk_, byte_len};
    }
  }
  if (unk) symbols.push_back(*unk);

  // Merge the pair of lowest rank first, the leftmost on ties; entries made stale by earlier merges are skipped.
  struct Link {
    int prev, next;
  };
  std::vector<Link> links(symbols.size());
  for (std::size_t k = 0; k < symbols.size(); ++k)
    links[k] = {static_cast<int>(k) - 1, k + 1 < symbols.size() ? static_cast<int>(k + 1) : -1};
  struct Merge {
    std::uint32_t rank;
    int pos;
    std::int32_t new_id;
    bool operator<(const Merge& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Merge> queue;
  const auto lookup = [&](int a, int b) { return merges_.find(pair_key(symbols[static_cast<std::size_t>(a)].id, symbols[static_cast<std::size_t>(b)].id)); };
  for (std::size_t k = 0; k + 1 < symbols.size(); ++k) {
    const auto it = lookup(static_cast<int>(k), static_cast<int>(k + 1));
    if (it != merges_.end()) queue.push({it->second.first, static_cast<int>(k), it->second.second});
  }
  while (!queue.empty()) {
    const Merge top = queue.top();
    queue.pop();
    Symbol& cur = symbols[static_cast<std::size_t>(top.pos)];
    if (cur.len == 0) continue;
    const int next = links[static_cast<std::size_t>(top.pos)].next;
    if (next < 0) continue;
    const auto it = lookup(top.pos, next);
    if (it == merges_.end() || it->second.second != top.new_id) continue;
    Symbol& right = symbols[static_cast<std::size_t>(next)];
    cur.id = top.new_id;
    cur.len += right.len;
    right.len = 0;
    const int after = links[static_cast<std::size_t>(next)].next;
    links[static_cast<std::size_t>(top.pos)].next = after;
    if (after >= 0) links[static_cast<std::size_t>(after)].prev = top.pos;
    if (const int prev = links[static_cast<std::size_t>(top.pos)].prev; prev >= 0) {
      const auto p = lookup(prev, top.pos);
      if (p != merges_.end()) queue.push({p->second.first, prev, p->second.second});
    }
    if (after >= 0) {
      const auto n = lookup(top.pos, after);
      if (n != merges_.end()) queue.push({n->second.first, top.pos, n->second.second});
    }
  }
  std::erase_if(symbols, [](const Symbol& x) { return x.len == 0; });
  return symbols;
}

std::vector<Token> Bpe::tokenize(std::string_view word) const {
  if (word.empty()) return {};
  if (ignore_merges_) {
    if (const auto it = vocab_.find(word); it != vocab_.end()) return {Token{it->second, std::string(word), 0, word.size()}};
  }
  std::vector<Symbol> symbols;
  {
    std::lock_guard lock(cache_mutex_);
    if (const auto it = cache_.find(word); it != cache_.end()) symbols = it->second;
  }
  if (symbols.empty()) {
    symbols = merge_word(word);
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::string(word), symbols);
  }
  std::vector<Token> out;
  out.reserve(symbols.size());
  std::size_t at = 0;
  for (const Symbol& s : symbols) {
    out.push_back({s.id, vocab_r_.at(s.id), at, at + s.len});
    at += s.len;
  }
  return out;
}

}  // namespace hl::tok
