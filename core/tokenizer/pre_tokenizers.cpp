#include "core/tokenizer/pre_tokenizers.h"

#include <vector>

#include "core/tokenizer/config.h"

namespace hl::tok {

namespace {

using config::json;

// The GPT-2 pattern ByteLevel uses when use_regex is set (hard-coded in HF's byte_level.rs).
constexpr const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// A pre-tokenizer that splits every piece with a pattern.
class PatternSplit final : public PreTokenizer {
 public:
  PatternSplit(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
  void pre_tokenize(PreTokenized& p) const override {
    p.split([&](NormalizedString&& n) { return untokenized(n.split(pattern_, behavior_, invert_)); });
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class ByteLevel final : public PreTokenizer {
 public:
  ByteLevel(bool add_prefix_space, bool use_regex) : add_prefix_space_(add_prefix_space) {
    if (use_regex) pattern_ = std::make_unique<Pattern>(Pattern::regex(kGpt2Pattern));
  }
  void pre_tokenize(PreTokenized& p) const override {
    p.split([&](NormalizedString&& n) {
      if (add_prefix_space_ && n.get().front() != ' ') n.prepend(" ");
      if (pattern_) return untokenized(n.split(*pattern_, SplitBehavior::Isolated));
      std::vector<NormalizedString> whole;
      whole.push_back(std::move(n));
      return untokenized(std::move(whole));
    });
    p.normalize([](NormalizedString& n) { n.to_byte_level(); });
  }

 private:
  bool add_prefix_space_;
  std::unique_ptr<Pattern> pattern_;
};

enum class PrependScheme { Always, First, Never };

class Metaspace final : public PreTokenizer {
 public:
  Metaspace(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}
  void pre_tokenize(PreTokenized& p) const override {
    const Pattern space = Pattern::literal(" ");
    const Pattern rep = Pattern::literal(replacement_);
    p.split([&](NormalizedString&& n) {
      n.replace(space, replacement_);
      const bool starts = n.get().starts_with(replacement_);
      if (!starts && (scheme_ == PrependScheme::Always || (scheme_ == PrependScheme::First && n.original_start() == 0)))
        n.prepend(replacement_);
      if (split_) return untokenized(n.split(rep, SplitBehavior::MergedWithNext));
      std::vector<NormalizedString> whole;
      whole.push_back(std::move(n));
      return untokenized(std::move(whole));
    });
  }

 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

class Sequence final : public PreTokenizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void pre_tokenize(PreTokenized& p) const override {
    for (const auto& s : steps_) s->pre_tokenize(p);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

SplitBehavior behavior_of(const json& j, const std::string& path, SplitBehavior fallback) {
  const auto name = config::get_or<std::string>(j, "behavior", "", path);
  if (name.empty()) return fallback;
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  config::fail(path + ".behavior", "'" + name + "' is not supported");
}

std::unique_ptr<PreTokenizer> make_metaspace(const json& j, const std::string& path) {
  auto replacement = config::get_or<std::string>(j, "replacement", "\xE2\x96\x81", path);
  PrependScheme scheme = PrependScheme::Always;
  if (j.contains("prepend_scheme") && !j["prepend_scheme"].is_null()) {
    const auto s = config::get<std::string>(j, "prepend_scheme", path);
    if (s == "always") scheme = PrependScheme::Always;
    else if (s == "first") scheme = PrependScheme::First;
    else if (s == "never") scheme = PrependScheme::Never;
    else config::fail(path + ".prepend_scheme", "'" + s + "' is not supported");
  } else if (!config::get_or(j, "add_prefix_space", true, path)) {
    scheme = PrependScheme::Never;  // files written before prepend_scheme existed
  }
  return std::make_unique<Metaspace>(std::move(replacement), scheme, config::get_or(j, "split", true, path));
}

}  // namespace

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const json& j, const std::string& path) {
  if (j.is_null()) return nullptr;
  const std::string type = config::type_of(j, path);
  if (type == "ByteLevel")
    return std::make_unique<ByteLevel>(config::get_or(j, "add_prefix_space", true, path),
                                       config::get_or(j, "use_regex", true, path));
  if (type == "Split")
    return std::make_unique<PatternSplit>(make_pattern(config::need(j, "pattern", path), path + ".pattern"),
                                          behavior_of(j, path, SplitBehavior::Isolated),
                                          config::get_or(j, "invert", false, path));
  if (type == "Metaspace") return make_metaspace(j, path);
  if (type == "Digits") {
    const bool individual = config::get_or(j, "individual_digits", false, path);
    return std::make_unique<PatternSplit>(Pattern::predicate(is_numeric),
                                          individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous, false);
  }
  if (type == "Punctuation")
    return std::make_unique<PatternSplit>(Pattern::predicate(is_punctuation),
                                          behavior_of(j, path, SplitBehavior::Isolated), false);
  if (type == "Whitespace")
    return std::make_unique<PatternSplit>(Pattern::regex(R"(\w+|[^\w\s]+)"), SplitBehavior::Removed, true);
  if (type == "WhitespaceSplit")
    return std::make_unique<PatternSplit>(Pattern::predicate(is_whitespace), SplitBehavior::Removed, false);
  if (type == "Sequence")
    return std::make_unique<Sequence>(
        config::sequence_steps<PreTokenizer>(j, "pretokenizers", path, make_pre_tokenizer));
  config::unsupported(path, type);
}

}  // namespace hl::tok
