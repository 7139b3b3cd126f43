// Every vector in tests/data/tokenizers/vectors/ (made by tools/fixtures/make_tokenizer_vectors.py with HF
// `tokenizers`): ids, tokens, byte and char offsets with and without special tokens, and both decodings, must be
// identical. A failure names the first string that differs and where.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace {

using nlohmann::json;

std::string describe(const std::string& text) { return json(text).dump(); }

template <class A, class B>
std::string first_difference(const A& got, const B& want) {
  for (std::size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    if (i >= got.size() || i >= want.size() || !(got[i] == want[i])) {
      std::ostringstream s;
      s << "position " << i << ": got "
        << (i < got.size() ? json(got[i]).dump() : std::string("(end)")) << ", expected "
        << (i < want.size() ? json(want[i]).dump() : std::string("(end)"));
      return s.str();
    }
  }
  return {};
}

std::vector<std::pair<std::size_t, std::size_t>> offsets(const json& j) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& o : j) out.emplace_back(o[0].get<std::size_t>(), o[1].get<std::size_t>());
  return out;
}

// Empty when the encoding matches, else what differs first.
std::string compare(const hl::tok::Encoding& e, const json& want) {
  const auto ids = want["ids"].get<std::vector<std::int32_t>>();
  const auto tokens = want["tokens"].get<std::vector<std::string>>();
  if (e.ids != ids) return "ids differ at " + first_difference(e.ids, ids);
  if (e.tokens != tokens) return "tokens differ at " + first_difference(e.tokens, tokens);
  if (const auto b = offsets(want["bytes"]); e.byte_offsets != b)
    return "byte offsets differ at " + first_difference(e.byte_offsets, b);
  if (const auto c = offsets(want["offsets"]); e.char_offsets != c)
    return "char offsets differ at " + first_difference(e.char_offsets, c);
  return {};
}

void check_tokenizer(const std::string& name) {
  const std::string dir = std::string(HL_TEST_DATA_DIR) + "/tokenizers/";
  const auto tok = hl::tok::Tokenizer::from_file(dir + name);
  std::ifstream in(dir + "vectors/" + name + ".jsonl", std::ios::binary);
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  const json header = json::parse(line);
  std::size_t count = 0, failures = 0;
  std::string first_failure;
  while (std::getline(in, line)) {
    const json v = json::parse(line);
    const auto text = v["text"].get<std::string>();
    ++count;
    std::string problem;
    const auto plain = tok.encode(text, false);
    const auto special = tok.encode(text, true);
    problem = compare(plain, v["plain"]);
    if (problem.empty()) problem = compare(special, v["special"].is_null() ? v["plain"] : v["special"]);
    if (problem.empty()) {
      const auto decoded = tok.decode(special.ids, false);
      const auto skipped = tok.decode(special.ids, true);
      if (decoded != v["decoded"][0].get<std::string>())
        problem = "decode differs: got " + describe(decoded) + ", expected " + v["decoded"][0].dump();
      else if (skipped != v["decoded"][1].get<std::string>())
        problem = "decode(skip_special_tokens) differs: got " + describe(skipped) + ", expected " + v["decoded"][1].dump();
    }
    if (!problem.empty() && failures++ == 0) first_failure = "text " + describe(text) + ": " + problem;
  }
  INFO(name << ": " << failures << " of " << count << " strings differ; first: " << first_failure);
  CHECK(count == header["count"].get<std::size_t>());
  CHECK(count >= 2000);
  CHECK(failures == 0);
}

}  // namespace

TEST_CASE("tokenizer vectors: gpt2") { check_tokenizer("gpt2"); }
TEST_CASE("tokenizer vectors: gpt-neox-20b") { check_tokenizer("gpt-neox-20b"); }
TEST_CASE("tokenizer vectors: qwen3") { check_tokenizer("qwen3"); }
TEST_CASE("tokenizer vectors: mistral-7b-v0.1") { check_tokenizer("mistral-7b-v0.1"); }
