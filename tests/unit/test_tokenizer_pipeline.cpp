// Whole tokenizers: added-token flags, byte fallback, invalid UTF-8, empty and large inputs, and load errors.
// Expected values come from HF `tokenizers` 0.23.3.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace {

using nlohmann::json;
using hl::tok::Tokenizer;
using Offsets = std::vector<std::pair<std::size_t, std::size_t>>;

std::string data(const std::string& name) { return std::string(HL_TEST_DATA_DIR) + "/tokenizers/" + name; }

const json& gpt2_json() {
  static const json j = [] {
    std::ifstream in(data("gpt2/tokenizer.json"), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
  }();
  return j;
}

const Tokenizer& mistral() {
  static const Tokenizer t = Tokenizer::from_file(data("mistral-7b-v0.1"));
  return t;
}

std::string load_error(const json& j) {
  try {
    Tokenizer::from_json(j.dump());
  } catch (const hl::tok::TokenizerError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("tokenizer: added tokens honour lstrip, rstrip and single_word") {
  json j = gpt2_json();
  const auto added = [](const char* content, int id, const char* flag) {
    json t = {{"id", id}, {"content", content}, {"single_word", false}, {"lstrip", false}, {"rstrip", false},
              {"normalized", false}, {"special", false}};
    t[flag] = true;
    return t;
  };
  j["added_tokens"].push_back(added("<L>", 50257, "lstrip"));
  j["added_tokens"].push_back(added("<R>", 50258, "rstrip"));
  j["added_tokens"].push_back(added("w", 50259, "single_word"));
  const Tokenizer t = Tokenizer::from_json(j.dump());

  auto e = t.encode("a  <L>b", false);
  CHECK(e.ids == std::vector<std::int32_t>{64, 50257, 65});
  CHECK(e.tokens == std::vector<std::string>{"a", "  <L>", "b"});
  CHECK(e.char_offsets == Offsets{{0, 1}, {3, 6}, {6, 7}});  // ByteLevel trim_offsets drops the absorbed spaces

  e = t.encode("a<R>  b", false);
  CHECK(e.ids == std::vector<std::int32_t>{64, 50258, 65});
  CHECK(e.char_offsets == Offsets{{0, 1}, {1, 4}, {6, 7}});

  e = t.encode("w xw w", false);
  CHECK(e.ids == std::vector<std::int32_t>{50259, 2124, 86, 220, 50259});
}

TEST_CASE("tokenizer: special tokens split the text before the normalizer (Mistral)") {
  const auto e = mistral().encode("a\xF0\x9F\xA4\x97 <s> b</s>", true);
  CHECK(e.ids == std::vector<std::int32_t>{1, 264, 243, 162, 167, 154, 28705, 1, 28705, 287, 2});
  CHECK(e.tokens[2] == "<0xF0>");  // byte fallback, uppercase hex
  // Every byte token of the emoji reports the emoji's whole span.
  CHECK(e.byte_offsets == Offsets{{0, 0}, {0, 1}, {1, 5}, {1, 5}, {1, 5}, {1, 5}, {5, 6}, {6, 9}, {9, 10}, {9, 11}, {11, 15}});
  CHECK(e.char_offsets == Offsets{{0, 0}, {0, 1}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {2, 3}, {3, 6}, {6, 7}, {6, 8}, {8, 12}});
  const std::vector<std::int32_t> ids = e.ids;
  CHECK(mistral().decode(ids, false) == "<s> a\xF0\x9F\xA4\x97 <s>  b</s>");
  CHECK(mistral().decode(ids, true) == "a\xF0\x9F\xA4\x97   b");
}

TEST_CASE("tokenizer: invalid UTF-8 is replaced with a warning, offsets still index the input") {
  const Tokenizer t = Tokenizer::from_json(gpt2_json().dump());
  const std::string bad = "ab\xFF" "c\xE2\x82";  // a stray byte and a truncated 3-byte sequence
  const auto e = t.encode(bad, false);
  REQUIRE(e.warnings.size() == 1);
  CHECK(e.warnings[0].find("not valid UTF-8: 2 invalid") != std::string::npos);
  CHECK(e.ids == std::vector<std::int32_t>{397, 4210, 66, 4210});  // "ab", U+FFFD, "c", U+FFFD
  CHECK(e.byte_offsets == Offsets{{0, 2}, {2, 3}, {3, 4}, {4, 6}});
  CHECK(e.char_offsets == Offsets{{0, 2}, {2, 3}, {3, 4}, {4, 5}});
  CHECK(t.encode("hello", false).warnings.empty());
}

TEST_CASE("tokenizer: empty input and BOS-only output") {
  CHECK(mistral().encode("", false).ids.empty());
  const auto e = mistral().encode("", true);
  CHECK(e.ids == std::vector<std::int32_t>{1});
  CHECK(e.byte_offsets == Offsets{{0, 0}});
  CHECK(mistral().decode(std::vector<std::int32_t>{}, false).empty());
}

TEST_CASE("tokenizer: a 10 MB input encodes whole, offsets to the last byte (time printed)") {
  static const Tokenizer gpt2 = Tokenizer::from_json(gpt2_json().dump());
  std::string text;
  const std::string para = "The state space model reads 1234 tokens; \xC3\xA9t\xC3\xA9 \xF0\x9F\xA4\x97 done.\n";
  while (text.size() < 10'000'000) text += para;
  const auto start = std::chrono::steady_clock::now();
  const auto e = gpt2.encode(text, false);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(e.size() > 2'000'000);
  CHECK(e.tokens.back() == "\xC4\x8A");  // the final "\n"
  CHECK(e.byte_offsets.back() == std::pair<std::size_t, std::size_t>{text.size() - 1, text.size()});
  std::printf("[benchmark] 10 MB through the GPT-2 pipeline: %.2f s\n", seconds);  // printed, never asserted
}

TEST_CASE("tokenizer: vocabulary lookups") {
  CHECK(mistral().vocab_size() == 32000);
  CHECK(mistral().token_to_id("\xE2\x96\x81Hello") == 22557);
  CHECK(mistral().id_to_token(1) == "<s>");
  CHECK_FALSE(mistral().id_to_token(-5).has_value());
}

TEST_CASE("tokenizer: load errors are one line and name the JSON path") {
  json j = gpt2_json();
  j["pre_tokenizer"] = {{"type", "Foo"}};
  CHECK(load_error(j) == "tokenizer.json: pre_tokenizer.type 'Foo' is not supported");

  j = gpt2_json();
  j["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", {{{"type", "Split"}, {"pattern", {{"Regex", "(a"}}}, {"behavior", "Isolated"}}}}};
  const std::string re = load_error(j);
  CHECK(re.find("pre_tokenizer.pretokenizers[0].pattern.Regex") != std::string::npos);
  CHECK(re.find("invalid regex '(a'") != std::string::npos);

  j = gpt2_json();
  j["model"].erase("merges");
  CHECK(load_error(j) == "tokenizer.json: model.merges is missing");
  j = gpt2_json();
  j["model"].erase("vocab");
  CHECK(load_error(j) == "tokenizer.json: model.vocab is missing");
  j = gpt2_json();
  j["model"]["type"] = "Unigram";
  CHECK(load_error(j) == "tokenizer.json: model.type 'Unigram' is not supported");
  j = gpt2_json();
  j["decoder"] = {{"type", "WordPiece"}};
  CHECK(load_error(j) == "tokenizer.json: decoder.type 'WordPiece' is not supported");
  j = gpt2_json();
  j["model"]["merges"].push_back("notinvocab zzz");
  CHECK(load_error(j) == "tokenizer.json: model.merges[50000] uses 'notinvocab', a token that is not in the vocab");

  for (const char* broken : {"", "{", "[1,2]", "{\"model\": 3}", "{\"model\": {\"type\": \"BPE\", \"vocab\": [], \"merges\": []}}",
                             "{\"model\": {\"vocab\": {\"a\": \"x\"}, \"merges\": []}}", "nul\xFF"}) {
    CHECK_THROWS_AS(Tokenizer::from_json(broken), hl::tok::TokenizerError);
  }
  CHECK_THROWS_WITH(Tokenizer::from_file(data("no-such-folder")), Catch::Contains("cannot open"));
}
