#include "core/tokenizer/post_processors.h"

#include <algorithm>
#include <vector>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/config.h"
#include "core/text/unicode.h"
#include "core/text/utf8.h"

namespace hl::tok {

namespace {

using config::json;

// HF's process_offsets: offsets stop covering the spaces a token starts or ends with ('Ġ' or real whitespace in added
// tokens). HF counts those chars and moves its char offsets by the count; the byte offsets move by the bytes the
// chars stand for in the input (1 for 'Ġ', the UTF-8 length of real whitespace).
class ByteLevelTrim final : public PostProcessor {
 public:
  ByteLevelTrim(bool trim_offsets, bool add_prefix_space) : trim_(trim_offsets), add_prefix_space_(add_prefix_space) {}

  void process(Encoding& e, bool) const override {
    if (!trim_) return;
    for (std::size_t i = 0; i < e.size(); ++i) {
      std::vector<std::pair<char32_t, std::size_t>> chars;  // (char, input bytes it stands for)
      const std::string& t = e.tokens[i];
      for (std::size_t k = 0; k < t.size();) {
        const char32_t c = next_char(t, k);
        chars.emplace_back(c, c == 0x120 ? 1 : utf8_len(c));
      }
      const auto spacey = [](char32_t c) { return c == 0x120 || is_whitespace(c); };
      std::size_t lead = 0, lead_bytes = 0, trail = 0, trail_bytes = 0;
      while (lead < chars.size() && spacey(chars[lead].first)) lead_bytes += chars[lead++].second;
      while (trail < chars.size() && spacey(chars[chars.size() - 1 - trail].first))
        trail_bytes += chars[chars.size() - 1 - trail++].second;
      auto& co = e.char_offsets[i];
      auto& bo = e.byte_offsets[i];
      if (lead > 0) {
        const bool is_first = i == 0 || co.first == 0;
        if (!(is_first && add_prefix_space_ && lead == 1)) {
          co.first = std::min(co.first + lead, co.second);
          bo.first = std::min(bo.first + lead_bytes, bo.second);
        }
      }
      if (trail > 0 && co.second >= trail) co.second = std::max(co.second - trail, co.first);
      if (trail > 0 && bo.second >= trail_bytes) bo.second = std::max(bo.second - trail_bytes, bo.first);
    }
  }

 private:
  bool trim_, add_prefix_space_;
};

class Template final : public PostProcessor {
 public:
  struct Item {
    bool sequence;  // $A; otherwise a special token's ids/tokens
    std::vector<std::int32_t> ids;
    std::vector<std::string> tokens;
  };
  explicit Template(std::vector<Item> single) : single_(std::move(single)) {}

  void process(Encoding& e, bool add_special_tokens) const override {
    if (!add_special_tokens) return;
    Encoding out;
    out.warnings = std::move(e.warnings);
    for (const Item& it : single_) {
      if (it.sequence) {
        out.ids.insert(out.ids.end(), e.ids.begin(), e.ids.end());
        out.tokens.insert(out.tokens.end(), e.tokens.begin(), e.tokens.end());
        out.byte_offsets.insert(out.byte_offsets.end(), e.byte_offsets.begin(), e.byte_offsets.end());
        out.char_offsets.insert(out.char_offsets.end(), e.char_offsets.begin(), e.char_offsets.end());
        continue;
      }
      out.ids.insert(out.ids.end(), it.ids.begin(), it.ids.end());
      out.tokens.insert(out.tokens.end(), it.tokens.begin(), it.tokens.end());
      out.byte_offsets.insert(out.byte_offsets.end(), it.ids.size(), Offsets{0, 0});
      out.char_offsets.insert(out.char_offsets.end(), it.ids.size(), Offsets{0, 0});
    }
    e = std::move(out);
  }

 private:
  std::vector<Item> single_;
};

class Sequence final : public PostProcessor {
 public:
  explicit Sequence(std::vector<std::unique_ptr<PostProcessor>> steps) : steps_(std::move(steps)) {}
  void process(Encoding& e, bool add_special_tokens) const override {
    for (const auto& s : steps_) s->process(e, add_special_tokens);
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

std::unique_ptr<PostProcessor> make_template(const json& j, const std::string& path) {
  const json& specials = config::need(j, "special_tokens", path);
  const json& single = config::need_array(j, "single", path);
  std::vector<Template::Item> items;
  for (std::size_t i = 0; i < single.size(); ++i) {
    const std::string at = config::item(path + ".single", i);
    const json& piece = single[i];
    if (piece.is_object() && piece.contains("Sequence")) {
      items.push_back({true, {}, {}});
      continue;
    }
    if (!piece.is_object() || !piece.contains("SpecialToken")) config::fail(at, "must be a Sequence or a SpecialToken");
    const auto name = config::get<std::string>(piece["SpecialToken"], "id", at + ".SpecialToken");
    const std::string sp = path + ".special_tokens." + name;
    if (!specials.is_object() || !specials.contains(name)) config::fail(sp, "is missing");
    items.push_back({false, config::token_ids(specials[name], "ids", sp),
                     config::get<std::vector<std::string>>(specials[name], "tokens", sp)});
    if (items.back().ids.size() != items.back().tokens.size()) config::fail(sp, "has different numbers of ids and tokens");
  }
  return std::make_unique<Template>(std::move(items));
}

}  // namespace

std::unique_ptr<PostProcessor> make_post_processor(const json& j, const std::string& path) {
  if (j.is_null()) return nullptr;
  const std::string type = config::type_of(j, path);
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelTrim>(config::get_or(j, "trim_offsets", true, path),
                                           config::get_or(j, "add_prefix_space", true, path));
  if (type == "TemplateProcessing") return make_template(j, path);
  if (type == "Sequence") {
    const json& list = config::need_array(j, "processors", path);
    std::vector<std::unique_ptr<PostProcessor>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto p = make_post_processor(list[i], config::item(path + ".processors", i));
      if (p) steps.push_back(std::move(p));
    }
    return std::make_unique<Sequence>(std::move(steps));
  }
  config::unsupported(path, type);
}

}  // namespace hl::tok
