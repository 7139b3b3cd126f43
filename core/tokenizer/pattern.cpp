#include "core/tokenizer/pattern.h"

#include <oniguruma.h>

#include <mutex>

#include "core/tokenizer/config.h"
#include "core/tokenizer/error.h"
#include "core/text/utf8.h"

namespace hl::tok {

namespace {

void init_oniguruma() {
  static std::once_flag once;
  std::call_once(once, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
}

}  // namespace

Regex::Regex(const std::string& pattern) : re_(nullptr) {
  init_oniguruma();
  regex_t* re = nullptr;
  OnigErrorInfo info;
  const auto* p = reinterpret_cast<const OnigUChar*>(pattern.data());
  const int rc = onig_new(&re, p, p + pattern.size(), ONIG_OPTION_NONE, ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &info);
  if (rc != ONIG_NORMAL) {
    OnigUChar msg[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(msg, rc, &info);
    throw TokenizerError("invalid regex '" + printable(pattern, 80) + "': " + reinterpret_cast<const char*>(msg));
  }
  re_ = re;
}

Regex::~Regex() { onig_free(static_cast<regex_t*>(re_)); }

std::vector<Piece> Regex::find_matches(std::string_view text) const {
  if (text.empty()) return {{0, 0, false}};
  auto* re = static_cast<regex_t*>(re_);
  OnigRegion* region = onig_region_new();
  const auto* base = reinterpret_cast<const OnigUChar*>(text.data());
  const auto* end = base + text.size();
  std::vector<Piece> out;
  std::size_t prev = 0, from = 0;
  bool have_last = false;
  std::size_t last_match_end = 0;
  while (from <= text.size()) {
    const int r = onig_search(re, base, end, base + from, end, region, ONIG_OPTION_NONE);
    if (r < 0) break;
    const auto s = static_cast<std::size_t>(region->beg[0]);
    const auto e = static_cast<std::size_t>(region->end[0]);
    if (s == e && have_last && last_match_end == e) {
      from += from < text.size() ? utf8_seq_len(static_cast<unsigned char>(text[from])) : 1;
      continue;
    }
    from = e;
    have_last = true;
    last_match_end = e;
    if (prev != s) out.push_back({prev, s, false});
    out.push_back({s, e, true});
    prev = e;
  }
  onig_region_free(region, 1);
  if (prev != text.size()) out.push_back({prev, text.size(), false});
  return out;
}

Pattern Pattern::literal(std::string s) {
  Pattern p;
  p.literal_ = std::move(s);
  return p;
}

Pattern Pattern::regex(const std::string& re) {
  Pattern p;
  p.regex_ = std::make_shared<const Regex>(re);
  return p;
}

Pattern Pattern::predicate(std::function<bool(char32_t)> per_char) {
  Pattern p;
  p.predicate_ = std::move(per_char);
  return p;
}

std::vector<Piece> Pattern::find_matches(std::string_view text) const {
  if (regex_) return regex_->find_matches(text);
  if (text.empty()) return {{0, 0, false}};
  std::vector<Piece> out;
  std::size_t prev = 0;
  const auto emit = [&](std::size_t b, std::size_t e) {
    if (prev < b) out.push_back({prev, b, false});
    out.push_back({b, e, true});
    prev = e;
  };
  if (predicate_) {
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t b = i;
      if (predicate_(next_char(text, i))) emit(b, i);
    }
  } else if (!literal_.empty()) {
    for (std::size_t at = text.find(literal_); at != std::string_view::npos; at = text.find(literal_, prev)) {
      emit(at, at + literal_.size());
    }
  }
  // An empty literal matches nothing, as in HF.
  if (prev != text.size()) out.push_back({prev, text.size(), false});
  return out;
}

Pattern make_pattern(const nlohmann::json& j, const std::string& path) {
  if (j.is_object() && j.contains("String") && j["String"].is_string()) return Pattern::literal(j["String"].get<std::string>());
  if (j.is_object() && j.contains("Regex") && j["Regex"].is_string()) {
    try {
      return Pattern::regex(j["Regex"].get<std::string>());
    } catch (const TokenizerError& e) {
      config::fail(path + ".Regex:", e.what());
    }
  }
  config::fail(path, "must be {\"String\": ...} or {\"Regex\": ...}");
}

}  // namespace hl::tok
