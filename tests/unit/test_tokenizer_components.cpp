// Tokenizer components one at a time. Expected values come from HF `tokenizers` 0.23.3 (pre_tokenize_str,
// normalize_str, decoders' decode) and were checked by hand.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/decoders.h"
#include "core/tokenizer/normalizers.h"
#include "core/tokenizer/pre_tokenizers.h"

namespace {

using nlohmann::json;
using hl::tok::NormalizedString;
using Pieces = std::vector<std::pair<std::string, std::pair<std::size_t, std::size_t>>>;

// What HF's pre_tokenize_str reports: each piece's normalized text and original byte span (ASCII inputs here, so
// bytes and chars agree).
Pieces pre_tokenize(const json& config, const std::string& text) {
  const auto pre = hl::tok::make_pre_tokenizer(config, "pre_tokenizer");
  hl::tok::PreTokenized p;
  p.pieces.push_back({NormalizedString(text), std::nullopt});
  pre->pre_tokenize(p);
  Pieces out;
  for (const auto& part : p.pieces) {
    const auto span = part.normalized.original_span(0, part.normalized.get().size());
    out.push_back({part.normalized.get(), {span.first, span.second}});
  }
  return out;
}

std::string decode(const json& config, std::vector<std::string> tokens) {
  std::string out;
  for (const auto& s : hl::tok::make_decoder(config, "decoder")->decode_chain(std::move(tokens))) out += s;
  return out;
}

json split(const char* behavior, bool invert) {
  return {{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}, {"invert", invert}};
}

}  // namespace

TEST_CASE("tokenizer: byte-level alphabet is GPT-2's bytes_to_unicode") {
  CHECK(hl::tok::byte_to_char(' ') == "\xC4\xA0");   // Ġ
  CHECK(hl::tok::byte_to_char('\n') == "\xC4\x8A");  // Ċ
  CHECK(hl::tok::byte_to_char('A') == "A");
  CHECK(hl::tok::byte_to_char(0xA1) == "\xC2\xA1");  // ¡ stands for itself
  CHECK(hl::tok::byte_to_char(0xAD) == "\xC5\x83");  // soft hyphen is the last remapped byte: U+0143
  CHECK(hl::tok::byte_to_char(0x00) == "\xC4\x80");  // U+0100
  for (int b = 0; b < 256; ++b) {
    const std::string c = std::string(hl::tok::byte_to_char(static_cast<unsigned char>(b)));
    std::size_t i = 0;
    char32_t cp = 0;
    for (unsigned char x : c) cp = (i++ == 0) ? (x < 0x80 ? x : x & 0x1F) : (cp << 6) | (x & 0x3F);
    REQUIRE(hl::tok::char_to_byte(cp) == static_cast<unsigned char>(b));
  }
  CHECK_FALSE(hl::tok::char_to_byte(U' ').has_value());
}

TEST_CASE("tokenizer: Split behaviours on 'a-b--c-'") {
  const std::string t = "a-b--c-";
  CHECK(pre_tokenize(split("Removed", false), t) == Pieces{{"a", {0, 1}}, {"b", {2, 3}}, {"c", {5, 6}}});
  CHECK(pre_tokenize(split("Removed", true), t) == Pieces{{"-", {1, 2}}, {"-", {3, 4}}, {"-", {4, 5}}, {"-", {6, 7}}});
  CHECK(pre_tokenize(split("Isolated", false), t) ==
        Pieces{{"a", {0, 1}}, {"-", {1, 2}}, {"b", {2, 3}}, {"-", {3, 4}}, {"-", {4, 5}}, {"c", {5, 6}}, {"-", {6, 7}}});
  CHECK(pre_tokenize(split("MergedWithPrevious", false), t) ==
        Pieces{{"a-", {0, 2}}, {"b-", {2, 4}}, {"-", {4, 5}}, {"c-", {5, 7}}});
  CHECK(pre_tokenize(split("MergedWithPrevious", true), t) ==
        Pieces{{"a", {0, 1}}, {"-b", {1, 3}}, {"-", {3, 4}}, {"-c", {4, 6}}, {"-", {6, 7}}});
  CHECK(pre_tokenize(split("MergedWithNext", false), t) ==
        Pieces{{"a", {0, 1}}, {"-b", {1, 3}}, {"-", {3, 4}}, {"-c", {4, 6}}, {"-", {6, 7}}});
  CHECK(pre_tokenize(split("Contiguous", false), t) ==
        Pieces{{"a", {0, 1}}, {"-", {1, 2}}, {"b", {2, 3}}, {"--", {3, 5}}, {"c", {5, 6}}, {"-", {6, 7}}});
  const json re = {{"type", "Split"}, {"pattern", {{"Regex", "\\s+"}}}, {"behavior", "Removed"}, {"invert", false}};
  CHECK(pre_tokenize(re, "hi  there \n you") == Pieces{{"hi", {0, 2}}, {"there", {4, 9}}, {"you", {12, 15}}});
}

TEST_CASE("tokenizer: Metaspace prepend schemes and split") {
  const auto meta = [](const char* scheme, bool split_) {
    return json{{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", scheme}, {"split", split_}};
  };
  const std::string t = "Hello  world";
  const Pieces split_always{{"\xE2\x96\x81Hello", {0, 5}}, {"\xE2\x96\x81", {5, 6}}, {"\xE2\x96\x81world", {6, 12}}};
  CHECK(pre_tokenize(meta("always", true), t) == split_always);
  CHECK(pre_tokenize(meta("first", true), t) == split_always);
  CHECK(pre_tokenize(meta("never", true), t) ==
        Pieces{{"Hello", {0, 5}}, {"\xE2\x96\x81", {5, 6}}, {"\xE2\x96\x81world", {6, 12}}});
  CHECK(pre_tokenize(meta("first", false), t) == Pieces{{"\xE2\x96\x81Hello\xE2\x96\x81\xE2\x96\x81world", {0, 12}}});
  // Files older than prepend_scheme say add_prefix_space.
  const json legacy = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"add_prefix_space", false}};
  CHECK(pre_tokenize(legacy, "a b") == Pieces{{"a", {0, 1}}, {"\xE2\x96\x81" "b", {1, 3}}});
}

TEST_CASE("tokenizer: Digits, Punctuation, Whitespace, WhitespaceSplit") {
  CHECK(pre_tokenize({{"type", "Digits"}, {"individual_digits", false}}, "ab123c4") ==
        Pieces{{"ab", {0, 2}}, {"123", {2, 5}}, {"c", {5, 6}}, {"4", {6, 7}}});
  CHECK(pre_tokenize({{"type", "Digits"}, {"individual_digits", true}}, "a12") ==
        Pieces{{"a", {0, 1}}, {"1", {1, 2}}, {"2", {2, 3}}});
  CHECK(pre_tokenize({{"type", "Punctuation"}}, "a,b!?c$d") ==
        Pieces{{"a", {0, 1}}, {",", {1, 2}}, {"b", {2, 3}}, {"!", {3, 4}}, {"?", {4, 5}}, {"c", {5, 6}}, {"$", {6, 7}}, {"d", {7, 8}}});
  CHECK(pre_tokenize({{"type", "Whitespace"}}, "ab12,c  d!? x_y") ==
        Pieces{{"ab12", {0, 4}}, {",", {4, 5}}, {"c", {5, 6}}, {"d", {8, 9}}, {"!?", {9, 11}}, {"x_y", {12, 15}}});
  CHECK(pre_tokenize({{"type", "WhitespaceSplit"}}, "ab12,c  d!? x") ==
        Pieces{{"ab12,c", {0, 6}}, {"d!?", {8, 11}}, {"x", {12, 13}}});
}

TEST_CASE("tokenizer: normalizers keep alignments to the original text") {
  // HF: Sequence[NFKC, Lowercase, Strip, Replace(\d -> #)] normalizes " ＡＢＣ İx 12 " to "abc i̇x ##".
  const json seq = {{"type", "Sequence"},
                    {"normalizers",
                     {{{"type", "NFKC"}},
                      {{"type", "Lowercase"}},
                      {{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}},
                      {{"type", "Replace"}, {"pattern", {{"Regex", "\\d"}}}, {"content", "#"}}}}};
  NormalizedString n(" \xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 \xC4\xB0x 12 ");
  hl::tok::make_normalizer(seq, "normalizer")->normalize(n);
  CHECK(n.get() == "abc i\xCC\x87x ##");
  CHECK(n.original_span(0, 1) == hl::tok::Span{1, 4});     // 'a' comes from the 3-byte 'Ａ'
  CHECK(n.original_span(5, 7) == hl::tok::Span{11, 13});   // the combining dot belongs to "İ"
  CHECK(n.original_span(9, 11) == hl::tok::Span{15, 17});  // "##" from "12"

  NormalizedString composed("e\xCC\x81\xCC\x82x");  // e + acute + circumflex: NFC composes é, keeps the circumflex
  hl::tok::make_normalizer({{"type", "NFC"}}, "normalizer")->normalize(composed);
  CHECK(composed.get() == "\xC3\xA9\xCC\x82x");
  CHECK(composed.original_span(0, 2) == hl::tok::Span{0, 1});  // HF aligns é with the 'e' only
  CHECK(composed.original_span(2, 4) == hl::tok::Span{3, 5});

  NormalizedString prepended("ab");
  hl::tok::make_normalizer({{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, "normalizer")->normalize(prepended);
  CHECK(prepended.get() == "\xE2\x96\x81" "ab");
  CHECK(prepended.original_span(0, 3) == hl::tok::Span{0, 1});
}

TEST_CASE("tokenizer: decoders") {
  CHECK(decode({{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}},
               {"\xE2\x96\x81Hey", "\xE2\x96\x81\xE2\x96\x81my", "\xE2\x96\x81" "friend"}) == "Hey  my friend");
  CHECK(decode({{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 1}}, {" a ", "  b  "}) == "a b ");
  // A byte run that is not UTF-8 gives one U+FFFD per byte; a valid one gives its character.
  CHECK(decode({{"type", "ByteFallback"}}, {"<0x61>", "<0xE2>", "<0x82>", "b", "<0xE2>", "<0x82>", "<0xAC>"}) ==
        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xE2\x82\xAC");
  CHECK(decode({{"type", "ByteLevel"}}, {"Hello", "\xC4\xA0world", "<|endoftext|>", "\xC4\x8A"}) ==
        "Hello world<|endoftext|>\n");
  CHECK(decode({{"type", "Sequence"},
                {"decoders",
                 {{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
                  {{"type", "Fuse"}}}}},
               {"\xE2\x96\x81" "a", "\xE2\x96\x81" "b"}) == " a b");
}
