// Hostile input that is not a malformed file format: config.json sizes no real model has, tokenizer.json files that
// parse as JSON but describe no usable tokenizer, and text that is huge, binary or longer than the model's context.
// Every case must end in one specific one-line error (or a documented, bounded behaviour), never a crash or a huge
// allocation first. The malformed-format corpus is test_malformed_checkpoints.cpp; docs/robustness.md lists both.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint_error.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"
#include "core/engine/windowed_scoring.h"
#include "core/model/config_parser.h"
#include "core/tokenizer/error.h"
#include "core/tokenizer/tokenizer.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

struct RefusalCase {
  const char* what;
  std::string input;
  const char* expected;  // a substring of the one-line message
};

// Runs `f`, returning the message of the exception type E it throws ("(no error)" when it returns).
template <class E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no error)";
}

void check_refusals(const std::vector<RefusalCase>& cases, const std::function<std::string(const std::string&)>& run) {
  for (const auto& c : cases) {
    INFO(c.what);
    const auto message = run(c.input);
    CHECK_THAT(message, Contains(c.expected));
    CHECK(message.find('\n') == std::string::npos);
  }
}

std::string config_error(const std::string& json) {
  return message_of<hl::CheckpointError>([&] { (void)hl::parse_model_spec(json); });
}

std::string tokenizer_error(const std::string& json) {
  return message_of<hl::tok::TokenizerError>([&] { (void)hl::tok::Tokenizer::from_json(json); });
}

// A minimal valid tokenizer.json: vocab {a, b, ab}, one merge; `extra` adds top-level members, `model` replaces the
// model object.
std::string tokenizer_json(const std::string& extra = "",
                           const std::string& model = R"({"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]})") {
  return "{\"model\":" + model + (extra.empty() ? "" : "," + extra) + "}";
}

const fs::path kTokenizers = fs::path(HL_TEST_DATA_DIR) / "tokenizers";

}  // namespace

TEST_CASE("config.json sizes no real model has are refused before anything is sized from them", "[hostile]") {
  const std::vector<RefusalCase> cases = {
      {"num_hidden_layers = 1e12", R"({"model_type":"llama","num_hidden_layers":1e12})",
       "config.json: field 'num_hidden_layers' is 1000000000000, more than the limit 10000"},
      {"zero attention heads", R"({"model_type":"llama","num_attention_heads":0})",
       "config.json: field 'num_attention_heads' is 0, expected a positive integer"},
      {"negative hidden size", R"({"model_type":"llama","hidden_size":-64})",
       "config.json: field 'hidden_size' is -64, expected a positive integer"},
      {"head_dim 0", R"({"model_type":"qwen3","head_dim":0})",
       "config.json: field 'head_dim' is 0, expected a positive integer"},
      {"intermediate 2^62", R"({"model_type":"llama","intermediate_size":4611686018427387904})",
       "config.json: field 'intermediate_size' is 4611686018427387904, more than the limit 16777216"},
      {"size beyond int64", R"({"model_type":"llama","hidden_size":18446744073709551615})",
       "config.json: field 'hidden_size' is 18446744073709551615, too large"},
      {"fractional size", R"({"model_type":"llama","hidden_size":1e300})",
       "config.json: field 'hidden_size' is 1e+300, expected an integer"},
      {"vocab 2^62", R"({"model_type":"llama","vocab_size":4611686018427387904})",
       "config.json: field 'vocab_size' is 4611686018427387904, more than the limit 2147483648"},
      {"vocab × hidden beyond any model",
       R"({"model_type":"llama","vocab_size":2147483648,"hidden_size":16777216,"num_attention_heads":1})",
       "config.json: the sizes describe a model with more than 4398046511104 parameters"},
      {"layers × layer width beyond any model",
       R"({"model_type":"llama","num_hidden_layers":10000,"hidden_size":65536,"num_attention_heads":1,)"
       R"("intermediate_size":16777216})",
       "config.json: the sizes describe a model with more than 4398046511104 parameters"},
      {"heads × head_dim overflowing a projection",
       R"({"model_type":"qwen3","num_attention_heads":16777216,"num_key_value_heads":16777216,"head_dim":16777216})",
       "config.json: the sizes describe a model with more than 4398046511104 parameters"},
      {"experts × layers", R"({"model_type":"qwen3_next","num_hidden_layers":10000,"num_experts":65536})",
       "config.json: 655360000 experts over all layers (experts per layer × MoE layers), more than the limit 131072"},
      {"experts per layer", R"({"model_type":"qwen3_next","num_experts":1000000})",
       "config.json: field 'num_experts' is 1000000, expected 0..65536"},
      {"Mamba2 chunk without a weight behind it", R"({"model_type":"mamba2","chunk_size":16777216})",
       "config.json: field 'chunk_size' is 16777216, more than the limit 4096"},
      {"Mamba d_inner = expand × hidden", R"({"model_type":"mamba","hidden_size":16777216,"expand":2})",
       "config.json: field 'expand' gives d_inner 33554432, too large"},
      {"LFM2 width multiplier 1e300", R"({"model_type":"lfm2","block_ffn_dim_multiplier":1e300})",
       "config.json: field 'block_ffn_dim_multiplier' gives an MLP width of"},
      {"kv heads not dividing heads", R"({"model_type":"llama","num_attention_heads":8,"num_key_value_heads":16})",
       "config.json: field 'num_key_value_heads' is 16, which does not divide num_attention_heads 8"},
      {"negative sliding window", R"({"model_type":"qwen2","use_sliding_window":true,"sliding_window":-5})",
       "config.json: field 'sliding_window' is -5, expected 0..2147483647"},
      {"context 2^50", R"({"model_type":"llama","max_position_embeddings":1125899906842624})",
       "config.json: field 'max_position_embeddings' is 1125899906842624, expected 0..1099511627776"},
      {"NaN rope theta", R"({"model_type":"llama","rope_theta":NaN})",
       "config.json: field 'rope_theta' must be a number, found a string"},
      {"negative rope theta", R"({"model_type":"llama","rope_theta":-1})",
       "config.json: field 'rope_theta' must be positive"},
      {"negative norm eps", R"({"model_type":"llama","rms_norm_eps":-1e-5})",
       "config.json: field 'rms_norm_eps' is negative"},
  };
  check_refusals(cases, config_error);
}

TEST_CASE("the plan-size check accepts every fixture, an 80B MoE shape and the most experts it allows", "[hostile]") {
  for (const auto& entry : fs::directory_iterator(fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models")) {
    INFO(entry.path().filename().string());
    CHECK_NOTHROW(hl::load_model_spec(entry.path()));
  }
  // Qwen3-Next-80B-A3B's shape: 48 layers × 512 experts, about 80 billion parameters.
  const auto spec = hl::parse_model_spec(R"({"model_type":"qwen3_next","num_hidden_layers":48,"hidden_size":2048,
    "num_experts":512,"moe_intermediate_size":512,"vocab_size":151936,"num_attention_heads":16,
    "num_key_value_heads":2,"head_dim":256})");
  CHECK(spec.layers.size() == 48);
  // The most experts the check lets through (2 × 65536); 10000 layers × 65536 experts is refused (table above)
  // rather than spending minutes on tensor names.
  CHECK(hl::parse_model_spec(R"({"model_type":"qwen3_next","num_hidden_layers":2,"num_experts":65536})").layers.size() == 2);
}

TEST_CASE("tokenizer.json files that describe no usable tokenizer give one specific line each", "[hostile]") {
  const std::string vocab_ab = R"({"type":"BPE","vocab":{"a":0,"b":1},"merges":[]})";
  const std::vector<RefusalCase> cases = {
      {"model type", tokenizer_json("", R"({"type":"WordPiece","vocab":{}})"),
       "tokenizer.json: model.type 'WordPiece' is not supported"},
      {"normalizer type", tokenizer_json(R"("normalizer":{"type":"BertNormalizer"})"),
       "tokenizer.json: normalizer.type 'BertNormalizer' is not supported"},
      {"nested normalizer type", tokenizer_json(R"("normalizer":{"type":"Sequence","normalizers":[{"type":"Foo"}]})"),
       "tokenizer.json: normalizer.normalizers[0].type 'Foo' is not supported"},
      {"pre_tokenizer type", tokenizer_json(R"("pre_tokenizer":{"type":"UnicodeScripts"})"),
       "tokenizer.json: pre_tokenizer.type 'UnicodeScripts' is not supported"},
      {"decoder type", tokenizer_json(R"("decoder":{"type":"CTC"})"), "tokenizer.json: decoder.type 'CTC' is not supported"},
      {"post_processor type", tokenizer_json(R"("post_processor":{"type":"RobertaProcessing"})"),
       "tokenizer.json: post_processor.type 'RobertaProcessing' is not supported"},
      {"control characters in a type name", tokenizer_json(R"("decoder":{"type":"A\nB"})"),
       "tokenizer.json: decoder.type 'A\\x0aB' is not supported"},
      {"bad regex in a Split pattern",
       tokenizer_json(R"("pre_tokenizer":{"type":"Split","pattern":{"Regex":"(a"},"behavior":"Isolated","invert":false})"),
       "tokenizer.json: pre_tokenizer.pattern.Regex: invalid regex '(a'"},
      {"missing merges", tokenizer_json("", R"({"type":"BPE","vocab":{"a":0}})"), "tokenizer.json: model.merges is missing"},
      {"missing vocab", tokenizer_json("", R"({"type":"BPE","merges":[]})"), "tokenizer.json: model.vocab is missing"},
      {"merge of a token not in the vocab", tokenizer_json("", R"({"type":"BPE","vocab":{"a":0,"ab":1},"merges":["a c"]})"),
       "tokenizer.json: model.merges[0] uses 'c', a token that is not in the vocab"},
      {"merge result not in the vocab", tokenizer_json("", R"({"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]})"),
       "tokenizer.json: model.merges[0] makes 'ab', which is not in the vocab"},
      {"negative id", tokenizer_json("", R"({"type":"BPE","vocab":{"a":-1},"merges":[]})"),
       "tokenizer.json: model.vocab['a'] is -1, expected a token id in 0..2147483647"},
      {"id 2^31", tokenizer_json("", R"({"type":"BPE","vocab":{"a":2147483648},"merges":[]})"),
       "tokenizer.json: model.vocab['a'] is 2147483648, expected a token id in 0..2147483647"},
      {"id 2^64 - 1", tokenizer_json("", R"({"type":"BPE","vocab":{"a":18446744073709551615},"merges":[]})"),
       "is 18446744073709551615, expected a token id"},
      {"fractional id", tokenizer_json("", R"({"type":"BPE","vocab":{"a":1e12},"merges":[]})"),
       "tokenizer.json: model.vocab['a'] is 1000000000000.0, expected a token id"},
      {"id as a string", tokenizer_json("", R"({"type":"BPE","vocab":{"a":"5"},"merges":[]})"),
       "tokenizer.json: model.vocab['a'] is \"5\", expected a token id"},
      {"duplicate id", tokenizer_json("", R"({"type":"BPE","vocab":{"a":0,"b":0},"merges":[]})"),
       "tokenizer.json: model.vocab['b'] has id 0, already used by 'a'"},
      {"added token id out of range", tokenizer_json(R"("added_tokens":[{"id":4294967296,"content":"<s>"}])", vocab_ab),
       "tokenizer.json: added_tokens[0].id is 4294967296, expected a token id"},
      {"template special token id negative",
       tokenizer_json(R"("post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>"}},)"
                      R"({"Sequence":{"id":"A"}}],"special_tokens":{"<s>":{"id":"<s>","ids":[-3],"tokens":["<s>"]}}})",
                      vocab_ab),
       "tokenizer.json: post_processor.special_tokens.<s>.ids[0] is -3, expected a token id"},
      {"unk token not in the vocab", tokenizer_json("", R"({"type":"BPE","vocab":{"a":0},"merges":[],"unk_token":"<unk>"})"),
       "tokenizer.json: model.unk_token '<unk>' is not in the vocab"},
      {"vocab not an object", tokenizer_json("", R"({"type":"BPE","vocab":[1,2],"merges":[]})"),
       "tokenizer.json: model.vocab must be an object"},
      {"not JSON", "{\"model\":", "tokenizer.json: not valid JSON"},
      {"root not an object", "[1]", "tokenizer.json: (root) must be an object"},
      {"100k-deep nesting", std::string(100000, '[') + std::string(100000, ']'), "tokenizer.json: (root) must be an object"},
  };
  check_refusals(cases, tokenizer_error);
}

TEST_CASE("a vocabulary's memory follows its entries, not its largest id", "[hostile]") {
  const auto tok = hl::tok::Tokenizer::from_json(
      tokenizer_json("", R"({"type":"BPE","vocab":{"a":0,"b":2147483647},"merges":[]})"));
  CHECK(tok.vocab_size() == 2);
  CHECK(tok.encode("ab", false).ids == std::vector<std::int32_t>{0, 2147483647});
}

TEST_CASE("a tokenizer.json over 256 MB is refused before it is read", "[hostile]") {
  const auto dir = fs::path(HL_TEST_OUTPUT_DIR) / "hostile" / "huge-tokenizer";
  fs::create_directories(dir);
  const auto file = dir / "tokenizer.json";
  { std::ofstream(file) << "{}"; }
  fs::resize_file(file, 300ull * 1024 * 1024);  // sparse: no 300 MB written
  const auto message = message_of<hl::tok::TokenizerError>([&] { (void)hl::tok::Tokenizer::from_file(dir); });
  CHECK_THAT(message, Contains("tokenizer.json: file is 314572800 bytes, more than the 256 MB limit"));
  fs::remove(file);
}

TEST_CASE("binary and invalid UTF-8 text is tokenized with spans inside the input and a warning", "[hostile]") {
  const auto tok = hl::tok::Tokenizer::from_file(kTokenizers / "gpt2");
  const std::string text("a\0b\xff\xfe c\x80\0", 9);
  const auto e = tok.encode(text, false);
  REQUIRE_FALSE(e.ids.empty());
  CHECK(e.warnings.size() == 1);
  CHECK_THAT(e.warnings.at(0), Contains("input is not valid UTF-8: 3 invalid sequence(s)"));
  for (const auto& [begin, end] : e.byte_offsets) CHECK((begin <= end && end <= text.size()));
  CHECK(e.byte_offsets.back().second == text.size());  // the trailing NUL is a token, not a terminator
}

TEST_CASE("scoring beyond the context is refused up front and names the limit and --window", "[hostile]") {
  hl::engine::CpuBackend backend;
  auto model = hl::engine::LoadedModel::open(fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models" / "llama", backend);
  std::vector<std::int32_t> ids(100'000);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>((i * 37 + 11) % 512);
  // Refused before any work: no layer reports progress.
  int layers_run = 0;
  hl::engine::ScoreOptions counting;
  counting.progress = [&layers_run](int, int) { ++layers_run; };
  CHECK_THROWS_WITH(model->score(ids, counting), "the text is 100000 tokens but the model's context is 512 tokens "
                                           "(max_position_embeddings); score it in windows of at most 512 tokens "
                                           "(--window 512) or shorten it");
  CHECK(layers_run == 0);
  hl::engine::WindowOptions too_wide;
  too_wide.window = 1024;
  CHECK_THROWS_WITH(model->score(ids, {}, too_wide),
                    "the scoring window is 1024 tokens but the model's context is 512 tokens "
                    "(max_position_embeddings); use --window 512 or less");
  // Within the context, windows cover every position of a text several contexts long.
  const std::span<const std::int32_t> text(ids.data(), 2000);
  hl::engine::WindowOptions w;
  w.window = 512;
  const auto r = model->score(text, {}, w);
  REQUIRE(r.T == 2000);
  CHECK(r.stats.invalid_count() == 0);
  for (std::size_t t = 0; t + 1 < r.T; ++t) CHECK(std::isfinite(r.stats.nll[t]));
}
