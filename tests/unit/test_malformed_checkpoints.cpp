// The malformed-input corpus: every case is built from bytes here (written under HL_TEST_OUTPUT_DIR) and must fail
// with its own specific one-line error, never crash (this suite also runs under ASan/UBSan).
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_header.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/model/config_parser.h"
#include "core/model/model_binding.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

const fs::path kFixtures = fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models";

// 8-byte little-endian length + header text + `data_size` zero bytes.
std::string raw_file(const std::string& header, std::size_t data_size, std::uint64_t declared_length) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((declared_length >> (8 * i)) & 0xff);
  return out + header + std::string(data_size, '\0');
}
std::string raw_file(const std::string& header, std::size_t data_size) {
  return raw_file(header, data_size, header.size());
}

std::string parse_error(const std::string& bytes) {
  try {
    (void)hl::parse_safetensors(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())), "model.safetensors");
  } catch (const hl::CheckpointError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string tensor(const std::string& name, const std::string& dtype, const std::string& shape, std::uint64_t begin,
                   std::uint64_t end) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
         std::to_string(begin) + "," + std::to_string(end) + "]}";
}

struct HeaderCase {
  const char* what;
  std::string bytes;
  const char* expected;
};

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::path(HL_TEST_OUTPUT_DIR) / "malformed" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hl::CheckpointError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string open_error(const fs::path& dir) {
  return error_of([&] { (void)hl::Checkpoint::open(dir); });
}

std::string model_error(const fs::path& dir) {
  return error_of([&] {
    const auto spec = hl::load_model_spec(dir);
    const auto ck = hl::Checkpoint::open(dir);
    (void)hl::BoundModel::bind(spec, ck);
  });
}

std::string config_error(const std::string& json) {
  return error_of([&] { (void)hl::parse_model_spec(json); });
}

// The llama fixture's tensors with one of them changed by `edit` (returning false drops it).
std::string edited_llama(const std::function<bool(hl::TensorBlob&)>& edit, std::vector<hl::TensorBlob> extra = {}) {
  const auto file = hl::SafetensorsFile::open(kFixtures / "llama" / "model.safetensors");
  std::vector<hl::TensorBlob> blobs;
  for (const auto& t : file.tensors()) {
    hl::TensorBlob b{t.name, std::string(hl::dtype_name(t.dtype)), t.shape,
                     std::string(reinterpret_cast<const char*>(t.data), t.nbytes)};
    if (edit(b)) blobs.push_back(std::move(b));
  }
  blobs.insert(blobs.end(), extra.begin(), extra.end());
  return hl::safetensors_bytes(blobs);
}

fs::path llama_folder(const std::string& name, const std::string& weights) {
  const auto dir = fresh_dir(name);
  fs::copy_file(kFixtures / "llama" / "config.json", dir / "config.json");
  write(dir / "model.safetensors", weights);
  return dir;
}

}  // namespace

TEST_CASE("malformed safetensors headers each give their specific one-line error", "[malformed]") {
  const auto up = tensor("model.layers.0.mlp.up_proj.weight", "BF16", "[64,128]", 0, 16000);
  const std::vector<HeaderCase> cases = {
      {"empty file", "", "file is 0 bytes, too short"},
      {"truncated length", std::string(5, '\x10'), "file is 5 bytes, too short"},
      {"header length past EOF", raw_file("{}", 0, 4096), "header length 4096 runs past the end of the file (10 bytes)"},
      {"header length > 100 MB", raw_file("{}", 0, 200'000'000ull), "header length 200000000 exceeds the 100 MB limit"},
      {"bad JSON", raw_file("{\"a\":", 0), "not valid JSON"},
      {"non-object JSON", raw_file("[1,2,3]", 0), "header must be a JSON object, found an array"},
      {"tensor entry not an object", raw_file("{\"w\":5}", 0), "tensor 'w': expected an object, found an integer"},
      {"missing dtype", raw_file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,2]}}", 2), "tensor 'w': missing field 'dtype'"},
      {"unknown dtype", raw_file("{" + tensor("w", "Q7", "[1]", 0, 2) + "}", 2), "tensor 'w': unknown dtype 'Q7'"},
      {"F64 refused", raw_file("{" + tensor("w", "F64", "[1]", 0, 8) + "}", 8),
       "tensor 'w': dtype F64 is not supported (supported: BF16, F16, F32)"},
      {"I8 refused", raw_file("{" + tensor("w", "I8", "[4]", 0, 4) + "}", 4), "tensor 'w': dtype I8 is not supported"},
      {"F8_E4M3 refused", raw_file("{" + tensor("w", "F8_E4M3", "[4]", 0, 4) + "}", 4),
       "tensor 'w': dtype F8_E4M3 is not supported"},
      {"BOOL refused", raw_file("{" + tensor("w", "BOOL", "[4]", 0, 4) + "}", 4), "tensor 'w': dtype BOOL is not supported"},
      {"missing shape", raw_file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w': missing field 'shape'"},
      {"negative shape", raw_file("{" + tensor("w", "F32", "[-4,2]", 0, 4) + "}", 4),
       "tensor 'w': shape dimension 0 is -4, expected a non-negative integer"},
      {"fractional shape", raw_file("{" + tensor("w", "F32", "[1.5]", 0, 4) + "}", 4),
       "shape dimension 0 must be an integer, found a number"},
      {"overflowing shape", raw_file("{" + tensor("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4),
       "shape [4294967296,4294967296] × F32 overflows a 64-bit byte count"},
      {"shape/length mismatch", raw_file("{" + up + "}", 16000),
       "model.safetensors: tensor 'model.layers.0.mlp.up_proj.weight': shape [64,128] × BF16 needs 16384 bytes, header "
       "says 16000"},
      {"begin > end", raw_file("{" + tensor("w", "F32", "[1]", 8, 4) + "}", 8), "data_offsets [8,4] have begin > end"},
      {"offsets past data end", raw_file("{" + tensor("w", "F32", "[2]", 0, 8) + "}", 4),
       "data_offsets end 8 is past the end of the data section (4 bytes)"},
      {"overlapping offsets",
       raw_file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12),
       "tensors 'a' [0,8) and 'b' [4,12) overlap"},
      {"gap between tensors",
       raw_file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12),
       "gap of 4 bytes before tensor 'b' at data offset 4"},
      {"trailing bytes", raw_file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 10),
       "6 unaccounted bytes after the last tensor"},
      {"duplicate tensor key", raw_file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 0, 4) + "}", 4),
       "duplicate JSON key 'a'"},
      {"duplicate field key", raw_file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
       "duplicate JSON key 'dtype'"},
      {"non-UTF-8 tensor name", raw_file("{" + tensor("w\xff\xfe", "F32", "[1]", 0, 4) + "}", 4), "UTF-8"},
      {"metadata value not a string", raw_file("{\"__metadata__\":{\"format\":3}}", 0),
       "'__metadata__' entry 'format' must be a string, found an integer"},
      {"data_offsets not a pair", raw_file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4),
       "'data_offsets' must be two non-negative integers"},
      {"unexpected tensor field", raw_file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
       "unexpected field 'x'"},
      {"absurd nesting", raw_file(std::string(100, '[') + std::string(100, ']'), 0), "nested deeper than 64 levels"},
      {"empty tensor name", raw_file("{" + tensor("", "F32", "[1]", 0, 4) + "}", 4), "a tensor has an empty name"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto message = parse_error(c.bytes);
    CHECK_THAT(message, Contains(c.expected));
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("control characters in tensor names are escaped in messages", "[malformed]") {
  const auto message = parse_error(raw_file("{" + tensor("a\\nb", "F64", "[1]", 0, 8) + "}", 8));
  CHECK_THAT(message, Contains("tensor 'a\\x0ab'"));
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("a valid header with metadata and zero-sized tensors parses", "[malformed]") {
  const auto bytes = hl::safetensors_bytes({{"empty", "F32", {0, 3}, ""}, {"x", "BF16", {2}, std::string(4, '\1')}},
                                           {{"format", "pt"}});
  const auto header =
      hl::parse_safetensors(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())), "model.safetensors");
  REQUIRE(header.tensors.size() == 2);
  CHECK(header.metadata.at("format") == "pt");
}

TEST_CASE("malformed model folders each give their specific error", "[malformed]") {
  const auto good = read(kFixtures / "llama" / "model.safetensors");
  const auto half = hl::safetensors_bytes({{"a", "F32", {1}, std::string(4, '\0')}});
  const auto other_half = hl::safetensors_bytes({{"b", "F32", {1}, std::string(4, '\0')}});

  SECTION("empty folder") {
    CHECK_THAT(open_error(fresh_dir("empty")), Contains("no model.safetensors or model.safetensors.index.json found"));
  }
  SECTION("not a directory") {
    CHECK_THAT(open_error(fs::path(HL_TEST_OUTPUT_DIR) / "malformed" / "does-not-exist"), Contains("not a directory"));
  }
  SECTION("pickle-only folder is refused without being read") {
    const auto dir = fresh_dir("pickle");
    write(dir / "pytorch_model.bin", "\x80\x02}q\x00.");  // a pickle opcode stream
    write(dir / "extra.pth", "not read");
    const auto message = open_error(dir);
    CHECK_THAT(message, Contains("only PyTorch pickle weights found (extra.pth, ...)"));
    CHECK_THAT(message, Contains("convert the model to safetensors"));
  }
  SECTION("missing config.json") {
    const auto dir = fresh_dir("no-config");
    write(dir / "model.safetensors", good);
    CHECK_THAT(model_error(dir), Contains("config.json is missing"));
  }
  SECTION("truncated weights file in a folder") {
    const auto dir = llama_folder("truncated", good.substr(0, good.size() / 2));
    CHECK_THAT(model_error(dir), Contains("model.safetensors: "));
    CHECK_THAT(model_error(dir), Contains("past the end of the data section"));
  }
  SECTION("missing shard") {
    const auto dir = fresh_dir("missing-shard");
    write(dir / "model-00001-of-00002.safetensors", half);
    write(dir / "model.safetensors.index.json",
          R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})");
    CHECK_THAT(open_error(dir), Contains("model.safetensors.index.json: shard 'model-00002-of-00002.safetensors' is missing"));
  }
  SECTION("tensor stored in two shards") {
    const auto dir = fresh_dir("two-shards");
    write(dir / "s1.safetensors", half);
    write(dir / "s2.safetensors", half);
    write(dir / "model.safetensors.index.json", R"({"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}})");
    CHECK_THAT(open_error(dir), Contains("tensor 'a' is stored in two shards: s1.safetensors and s2.safetensors"));
  }
  SECTION("index maps a tensor to a shard that lacks it") {
    const auto dir = fresh_dir("wrong-shard");
    write(dir / "s1.safetensors", half);
    write(dir / "s2.safetensors", other_half);
    write(dir / "model.safetensors.index.json", R"({"weight_map":{"a":"s2.safetensors","b":"s1.safetensors"}})");
    CHECK_THAT(open_error(dir), Contains("tensor 'b' is mapped to s1.safetensors but that shard does not contain it"));
  }
  SECTION("shard holds a tensor the index does not list") {
    const auto dir = fresh_dir("unlisted");
    write(dir / "s1.safetensors", hl::safetensors_bytes({{"a", "F32", {1}, std::string(4, '\0')},
                                                         {"z", "F32", {1}, std::string(4, '\0')}}));
    write(dir / "model.safetensors.index.json", R"({"weight_map":{"a":"s1.safetensors"}})");
    CHECK_THAT(open_error(dir), Contains("tensor 'z' is stored in a shard but not listed in weight_map"));
  }
  SECTION("bad index JSON") {
    const auto dir = fresh_dir("bad-index");
    write(dir / "model.safetensors.index.json", "{\"weight_map\": {");
    CHECK_THAT(open_error(dir), Contains("model.safetensors.index.json: not valid JSON"));
  }
  SECTION("index without weight_map") {
    const auto dir = fresh_dir("no-weight-map");
    write(dir / "model.safetensors.index.json", R"({"metadata":{}})");
    CHECK_THAT(open_error(dir), Contains("model.safetensors.index.json: missing field 'weight_map'"));
  }
  SECTION("index shard path escaping the folder") {
    const auto dir = fresh_dir("traversal");
    write(dir / "model.safetensors.index.json", R"({"weight_map":{"a":"../../etc/passwd"}})");
    CHECK_THAT(open_error(dir), Contains("names shard '../../etc/passwd', expected a file name inside the model folder"));
  }
  SECTION("missing tensor") {
    const auto dir = llama_folder("missing-tensor", edited_llama([](auto& b) {
      return b.name != "model.layers.1.mlp.up_proj.weight";
    }));
    CHECK_THAT(model_error(dir), Contains("checkpoint is missing tensor 'model.layers.1.mlp.up_proj.weight' (layer 1 "
                                          "mlp.up, expected shape [160,64])"));
  }
  SECTION("wrong tensor shape") {
    const auto dir = llama_folder("wrong-shape", edited_llama([](auto& b) {
      if (b.name == "model.layers.0.self_attn.k_proj.weight") {
        b.shape = {16, 64};
        b.bytes.resize(16 * 64 * 2);
      }
      return true;
    }));
    CHECK_THAT(model_error(dir), Contains("tensor 'model.layers.0.self_attn.k_proj.weight': expected shape [32,64], found "
                                          "[16,64] (layer 0 attn.k)"));
  }
  SECTION("wrong dtype for a tensor") {
    const auto dir = llama_folder("wrong-dtype", edited_llama([](auto& b) {
      if (b.name == "model.norm.weight") b.dtype = "F16";
      return true;
    }));
    CHECK_THAT(model_error(dir), Contains("tensor 'model.norm.weight': dtype F16, expected BF16 like the embedding"));
  }
  SECTION("unused tensors are warnings, not errors") {
    const auto dir = llama_folder("extra-tensor", edited_llama([](auto&) { return true; },
                                                               {{"mtp.proj.weight", "BF16", {2}, std::string(4, '\0')}}));
    const auto spec = hl::load_model_spec(dir);
    const auto ck = hl::Checkpoint::open(dir);
    const auto bound = hl::BoundModel::bind(spec, ck);
    REQUIRE(bound.unused_tensors == std::vector<std::string>{"mtp.proj.weight"});
    CHECK_THAT(bound.warnings.at(0), Contains("1 checkpoint tensor(s) not used by the model plan, e.g. 'mtp.proj.weight'"));
  }
}

TEST_CASE("malformed config.json files each give their specific error", "[malformed]") {
  CHECK(config_error(R"({"model_type":"bert"})") ==
        "model_type 'bert' is not supported (supported: bailing_hybrid, bamba, falcon_h1, falcon_mamba, gpt_neox, "
        "granite, granitemoehybrid, jamba, kimi_linear, lfm2, lfm2_moe, llama, mamba, mamba2, minimax, nemotron_h, "
        "olmo2, olmo3, olmo_hybrid, qwen2, qwen3, qwen3_5, qwen3_5_moe, qwen3_5_moe_text, qwen3_5_text, qwen3_next, "
        "recurrent_gemma, rwkv, xlstm, zamba, zamba2)");
  CHECK_THAT(config_error("[]"), Contains("config.json: expected a JSON object, found an array"));
  CHECK_THAT(config_error("{\"model_type\": \"llama\","), Contains("config.json: not valid JSON"));
  CHECK_THAT(config_error(R"({"hidden_size": 8})"), Contains("field 'model_type' is missing"));
  CHECK_THAT(config_error(R"({"model_type":"llama","num_attention_heads":0})"),
             Contains("config.json: field 'num_attention_heads' is 0, expected a positive integer"));
  CHECK_THAT(config_error(R"({"model_type":"llama","hidden_size":-64})"),
             Contains("field 'hidden_size' is -64, expected a positive integer"));
  CHECK_THAT(config_error(R"({"model_type":"llama","vocab_size":4294967296})"),
             Contains("field 'vocab_size' is 4294967296, more than the limit 2147483648"));
  CHECK_THAT(config_error(R"({"model_type":"llama","num_hidden_layers":20000})"),
             Contains("field 'num_hidden_layers' is 20000, more than the limit 10000"));
  CHECK_THAT(config_error(R"({"model_type":"llama","hidden_size":100,"num_attention_heads":8})"),
             Contains("field 'num_attention_heads' is 8, which does not divide hidden_size 100"));
  CHECK_THAT(config_error(R"({"model_type":"llama","num_attention_heads":8,"num_key_value_heads":3})"),
             Contains("field 'num_key_value_heads' is 3, which does not divide num_attention_heads 8"));
  CHECK_THAT(config_error(R"({"model_type":"llama","hidden_size":"4096"})"),
             Contains("field 'hidden_size' must be an integer, found a string"));
  CHECK_THAT(config_error(R"({"model_type":"llama","intermediate_size":9223372036854775807})"),
             Contains("field 'intermediate_size' is 9223372036854775807, more than the limit"));
  CHECK_THAT(config_error(R"({"model_type":"mamba2","hidden_size":64,"expand":2,"num_heads":6,"head_dim":16})"),
             Contains("does not equal d_inner 128"));
  CHECK_THAT(config_error(R"({"model_type":"nemotron_h","hybrid_override_pattern":"MX*"})"),
             Contains("field 'hybrid_override_pattern' has unknown layer type 'X'"));
  CHECK_THAT(config_error(R"({"model_type":"lfm2","num_hidden_layers":2,"layer_types":["conv"]})"),
             Contains("field 'layer_types' has 1 entries, expected num_hidden_layers = 2"));
  CHECK_THAT(config_error(R"({"model_type":"llama","rope_scaling":{"rope_type":"su"}})"),
             Contains("field 'rope_scaling.rope_type' has unsupported rope_type 'su'"));
  CHECK_THAT(config_error(R"({"model_type":"jamba","attn_layer_period":4,"attn_layer_offset":4})"),
             Contains("field 'attn_layer_offset' must be smaller than attn_layer_period"));
  CHECK_THAT(config_error(R"({"model_type":"bamba","num_hidden_layers":4,"attn_layer_indices":[7]})"),
             Contains("field 'attn_layer_indices' contains layer 7, expected 0..3"));
  CHECK_THAT(config_error(R"({"model_type":"llama","model_type":"qwen2"})"), Contains("duplicate JSON key 'model_type'"));
}
