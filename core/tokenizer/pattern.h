#pragma once
// Where a pattern occurs in a string, as HF's Pattern trait reports it: the whole string cut into consecutive pieces,
// each flagged as a match or not. Regexes run on Oniguruma (ONIG_SYNTAX_DEFAULT, UTF-8) like HF's onig backend.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hl::tok {

struct Piece {
  std::size_t begin, end;
  bool match;
};

class Regex {
 public:
  explicit Regex(const std::string& pattern);  // throws TokenizerError naming the pattern when it does not compile
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  // Matches in order, following the onig crate's find_iter (an empty match right after the previous match is skipped).
  std::vector<Piece> find_matches(std::string_view text) const;

 private:
  void* re_;  // regex_t*, kept opaque so that Oniguruma's headers stay out of ours
};

// The JSON "pattern": {"String": s} (literal) or {"Regex": r}.
class Pattern {
 public:
  static Pattern literal(std::string s);
  static Pattern regex(const std::string& re);
  static Pattern predicate(std::function<bool(char32_t)> per_char);  // every matching char is its own match
  std::vector<Piece> find_matches(std::string_view text) const;

 private:
  std::string literal_;
  std::shared_ptr<const Regex> regex_;
  std::function<bool(char32_t)> predicate_;
};

// {"String": s} or {"Regex": r} at path.
Pattern make_pattern(const nlohmann::json& j, const std::string& path);

}  // namespace hl::tok
