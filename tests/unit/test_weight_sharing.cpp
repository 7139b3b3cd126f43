// What a checkpoint shares is decided by config.json and the stored tensors together (transformers 5
// PreTrainedModel.tie_weights): resolve_weight_sharing on copies of the fixtures with tensors added or the config
// changed. The golden variants (nemotron_h_tied, zamba2_untied) check the numbers; these check the rules and the
// one-line warnings.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/model/model_binding.h"
#include "core/model/weight_sharing.h"

namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models";

// A copy of fixture `family` in `name`: `edit_config` changes its config.json, `edit_tensors` its tensor list.
fs::path edited_fixture(const std::string& family, const std::string& name,
                        const std::function<void(nlohmann::json&)>& edit_config,
                        const std::function<void(std::vector<hl::TensorBlob>&)>& edit_tensors) {
  const auto dir = fs::path(HL_TEST_OUTPUT_DIR) / "weight-sharing" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  nlohmann::json config;
  std::ifstream(kModels / family / "config.json") >> config;
  edit_config(config);
  std::ofstream(dir / "config.json") << config.dump(2);
  const auto file = hl::SafetensorsFile::open(kModels / family / "model.safetensors");
  std::vector<hl::TensorBlob> blobs;
  for (const auto& t : file.tensors())
    blobs.push_back({t.name, std::string(hl::dtype_name(t.dtype)), t.shape,
                     std::string(reinterpret_cast<const char*>(t.data), t.nbytes)});
  edit_tensors(blobs);
  std::ofstream(dir / "model.safetensors", std::ios::binary) << hl::safetensors_bytes(blobs);
  return dir;
}

hl::TensorBlob copy_of(const std::vector<hl::TensorBlob>& blobs, const std::string& from, const std::string& to) {
  for (const auto& b : blobs)
    if (b.name == from) return {to, b.dtype, b.shape, b.bytes};
  FAIL("no tensor " << from);
  return {};
}

struct Resolved {
  explicit Resolved(const fs::path& dir)
      : plan(hl::open_model_plan(dir)), checkpoint(plan.checkpoint), warnings(plan.warnings), spec(plan.spec) {}
  hl::ModelPlan plan;
  const hl::Checkpoint& checkpoint;
  const std::vector<std::string>& warnings;
  const hl::ModelSpec& spec;
};

}  // namespace

TEST_CASE("a tied config with a stored lm_head: tied when the copy is equal, used when it differs", "[sharing]") {
  const auto keep = [](nlohmann::json&) {};
  SECTION("equal copy (as .bin conversions store it): tied, silent, nothing unused") {
    const Resolved r(edited_fixture("qwen2", "equal-lm-head", keep, [](auto& blobs) {
      blobs.push_back(copy_of(blobs, "model.embed_tokens.weight", "lm_head.weight"));
    }));
    CHECK(r.spec.tied_embeddings);
    CHECK(r.warnings.empty());
    const auto bound = hl::BoundModel::bind(r.spec, r.checkpoint);
    CHECK(bound.unused_tensors.empty());
    CHECK(bound.warnings.empty());
    CHECK(bound.globals.get("lm_head").name == "model.embed_tokens.weight");
  }
  SECTION("different copy: untied, one line") {
    const Resolved r(edited_fixture("qwen2", "different-lm-head", keep, [](auto& blobs) {
      auto head = copy_of(blobs, "model.embed_tokens.weight", "lm_head.weight");
      head.bytes[0] = static_cast<char>(head.bytes[0] ^ 1);
      blobs.push_back(head);
    }));
    CHECK_FALSE(r.spec.tied_embeddings);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] ==
          "tie_word_embeddings is true but the checkpoint stores a different 'lm_head.weight'; it is "
          "used, as transformers does");
    CHECK(hl::BoundModel::bind(r.spec, r.checkpoint).globals.get("lm_head").name == "lm_head.weight");
  }
}

TEST_CASE("an untied config without lm_head is refused, naming the tensor", "[sharing]") {
  const Resolved r(edited_fixture(
      "qwen2", "untied-no-lm-head", [](auto& config) { config["tie_word_embeddings"] = false; }, [](auto&) {}));
  CHECK_FALSE(r.spec.tied_embeddings);
  CHECK_THROWS_WITH(hl::BoundModel::bind(r.spec, r.checkpoint),
                    Catch::Contains("checkpoint is missing tensor 'lm_head.weight'"));
}

TEST_CASE("zamba2: an untied config whose checkpoint stores one copy per block reuses it, saying so", "[sharing]") {
  const Resolved r(edited_fixture(
      "zamba2", "zamba2-untied-config", [](auto& config) { config["tie_word_embeddings"] = false; },
      [](auto& blobs) { blobs.push_back(copy_of(blobs, "model.embed_tokens.weight", "lm_head.weight")); }));
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] ==
        "tie_word_embeddings is false, so transformers gives hybrid layer 5 its own copy of shared "
        "block 0, but the checkpoint stores none; layer 1's copy is used (transformers would "
        "initialise it randomly)");
  REQUIRE(r.spec.shared_blocks.size() == 2);
  CHECK(r.spec.shared_blocks[0].layers == std::vector<int>{1, 5});
}

TEST_CASE("zamba2: a tied config whose checkpoint stores a different copy for a later layer uses it", "[sharing]") {
  const Resolved r(edited_fixture(
      "zamba2", "zamba2-extra-copy", [](auto&) {},
      [](auto& blobs) {
        std::vector<hl::TensorBlob> copies;
        const std::string first = "model.layers.1.shared_transformer.";
        for (const auto& b : blobs)
          if (b.name.rfind(first, 0) == 0)
            copies.push_back(
                {"model.layers.5.shared_transformer." + b.name.substr(first.size()), b.dtype, b.shape, b.bytes});
        copies.front().bytes[0] = static_cast<char>(copies.front().bytes[0] ^ 1);
        blobs.insert(blobs.end(), copies.begin(), copies.end());
      }));
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] ==
        "tie_word_embeddings is true but the checkpoint stores a different copy of shared block 0 "
        "for hybrid layer 5; it is used, as transformers does");
  REQUIRE(r.spec.shared_blocks.size() == 3);
  CHECK(r.spec.layers[5].shared_block == 2);
  const auto bound = hl::BoundModel::bind(r.spec, r.checkpoint);
  CHECK(bound.shared_block(2).get("input_norm").name == "model.layers.5.shared_transformer.input_layernorm.weight");
  CHECK(bound.unused_tensors.empty());
}
