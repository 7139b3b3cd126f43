// `hybridlens-cli score` with several --reference: every model scores each input once, and each reference gets a
// report whose numbers are those of a one-reference run against it. One reference keeps the output it always had.
// The rules are core/compare's, as in the window: --model models first, then the references; names made unique.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/run_cli.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using hl::test::run_cli;
using nlohmann::json;

namespace {

const fs::path kData = HL_TEST_DATA_DIR;
const fs::path kModels = kData / "fixtures" / "models";

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::path(HL_TEST_OUTPUT_DIR) / "cli-references" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// `score` on the fixtures (all share the tiny BPE tokenizer) with the hybrid bamba and the transformer mamba as
// --model models; `rest` adds the references, the input and the output.
std::string score_args(const std::string& rest) {
  return "score --model " + (kModels / "bamba").string() + " --model " + (kModels / "mamba").string() +
         " --tokenizer " + (kData / "tokenizers" / "tiny-bpe-512").string() + " " + rest;
}

std::string reference_args(const std::vector<std::string>& references) {
  std::string args;
  for (const auto& r : references) args += " --reference " + (kModels / r).string();
  return args;
}

std::vector<std::string> model_names(const json& report) {
  std::vector<std::string> names;
  for (const auto& m : report.at("models")) names.push_back(m.at("name").get<std::string>());
  return names;
}

std::set<std::string> files_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The error line of a refused run (after any "loading" progress lines), which must be its only one.
std::string error_line(const hl::test::CliRun& run) {
  CHECK(run.exit_code == 1);
  CHECK(run.out.empty());
  CHECK(count_of(run.err, "error:") == 1);
  const auto start = run.err.rfind('\n', run.err.size() >= 2 ? run.err.size() - 2 : 0);
  return run.err.substr(start == std::string::npos ? 0 : start + 1);
}

}  // namespace

TEST_CASE("score with two references writes one report per reference, each as a one-reference run", "[cli]") {
  const auto dir = fresh_dir("two");
  write_bytes(dir / "a.txt", "The quick brown fox jumps over the lazy dog. The quick brown fox.");
  write_bytes(dir / "b.txt", "def add(a, b):\n    return a + b\n");
  const auto out = dir / "reports";
  const auto run = run_cli(score_args(reference_args({"llama", "qwen3"}) + " --file " + (dir / "a.txt").string() +
                                      " " + (dir / "b.txt").string() + " --out " + out.string()));
  REQUIRE(run.exit_code == 0);
  CHECK(files_in(out) ==
        std::set<std::string>{"a-vs-llama.json", "a-vs-qwen3.json", "b-vs-llama.json", "b-vs-qwen3.json"});
  // Each of the 4 models scored each of the 2 inputs once, not once per reference.
  CHECK(count_of(run.err, ": scoring with ") == 8);

  const std::vector<std::string> references = {"llama", "qwen3"};
  for (std::size_t k = 0; k < references.size(); ++k) {
    INFO("reference " << references[k]);
    const json report = json::parse(read_bytes(out / ("a-vs-" + references[k] + ".json")));
    CHECK(report.at("schema") == "hybridlens.report");
    CHECK(report.at("reference") == references[k]);
    // The --model models in order (the first is the compared model), then the references in order.
    CHECK(model_names(report) == std::vector<std::string>{"bamba", "mamba", "llama", "qwen3"});

    const auto single = run_cli(score_args(reference_args({references[k]}) + " --file " + (dir / "a.txt").string()));
    REQUIRE(single.exit_code == 0);
    const json alone = json::parse(single.out);
    REQUIRE(report.at("units").size() == alone.at("units").size());
    std::size_t scored = 0;
    for (std::size_t u = 0; u < alone.at("units").size(); ++u) {
      const json& unit = report.at("units").at(u);
      CHECK(unit.at("delta").at("bamba") == alone.at("units").at(u).at("delta").at("bamba"));
      if (!unit.at("scored").get<bool>()) continue;
      ++scored;
      // Δ = NLL_reference − NLL_hybrid on the unit.
      const double reference_nll = unit.at("models").at(2 + k).at("nll");
      const double hybrid_nll = unit.at("models").at(0).at("nll");
      CHECK(unit.at("delta").at("bamba").get<double>() == Approx(reference_nll - hybrid_nll).margin(1e-9));
    }
    CHECK(scored > 0);
    CHECK(report.at("categories").at(0).at("gaps").at(0) == alone.at("categories").at(0).at("gaps").at(0));
  }
}

TEST_CASE("score with one reference keeps its output: a file, or standard output", "[cli]") {
  const auto dir = fresh_dir("one");
  const std::string common =
      score_args(reference_args({"llama"}) + " --text 'The quick brown fox. The quick brown fox.'");
  const auto to_stdout = run_cli(common);
  REQUIRE(to_stdout.exit_code == 0);
  const json report = json::parse(to_stdout.out);
  CHECK(report.at("reference") == "llama");
  CHECK(model_names(report) == std::vector<std::string>{"bamba", "mamba", "llama"});

  const auto to_file = run_cli(common + " --out " + (dir / "report.json").string());
  REQUIRE(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  REQUIRE(fs::is_regular_file(dir / "report.json"));
  CHECK(read_bytes(dir / "report.json") == to_stdout.out);
}

TEST_CASE("score refuses several references without --out, and references that share a file name; names two "
          "models of one folder name by their role", "[cli]") {
  const std::string text = " --text 'The quick brown fox.'";
  CHECK(error_line(run_cli(score_args(reference_args({"llama", "qwen3"}) + text))) ==
        "hybridlens-cli score: error: several --reference models need --out FOLDER for their reports\n");

  // Two folder names that differ only in characters a file name does not keep.
  const auto dir = fresh_dir("clash");
  fs::create_directory_symlink(kModels / "llama", dir / "ref+1");
  fs::create_directory_symlink(kModels / "qwen3", dir / "ref=1");
  const std::string clash = " --reference " + (dir / "ref+1").string() + " --reference " + (dir / "ref=1").string();
  CHECK(error_line(run_cli(score_args(clash + text + " --out " + (dir / "out").string()))) ==
        "hybridlens-cli score: error: references 'ref+1' and 'ref=1' would both write <input>-vs-ref_1 reports; "
        "rename one folder\n");

  // Two models of one folder name: told apart by their role, as the window does.
  fs::create_directory_symlink(kModels / "qwen3", dir / "bamba");
  const auto same_name = run_cli(score_args(" --reference " + (dir / "bamba").string() + text));
  REQUIRE(same_name.exit_code == 0);
  const json report = json::parse(same_name.out);
  CHECK(model_names(report) == std::vector<std::string>{"bamba (model 1)", "mamba", "bamba (reference 1)"});
  CHECK(report.at("reference") == "bamba (reference 1)");
}

TEST_CASE("every command that writes JSON takes --json for --format json", "[cli]") {
  const std::string text = " --text 'The quick brown fox.'";
  const auto format = run_cli(score_args(reference_args({"llama"}) + text + " --format json"));
  const auto flag = run_cli(score_args(reference_args({"llama"}) + text + " --json"));
  REQUIRE(format.exit_code == 0);
  REQUIRE(flag.exit_code == 0);
  CHECK(flag.out == format.out);
  const std::string model = " --model " + (kModels / "llama").string();
  const std::string tokenizer = " --tokenizer " + (kData / "tokenizers" / "tiny-bpe-512").string();
  for (const std::string& command :
       {"score" + model + tokenizer + text, "inspect" + model, "tokenize" + tokenizer + text, std::string("models")}) {
    INFO(command);
    const auto as_flag = run_cli(command + " --json");
    const auto as_format = run_cli(command + " --format json");
    REQUIRE(as_flag.exit_code == 0);
    REQUIRE(as_format.exit_code == 0);
    json a = json::parse(as_flag.out), b = json::parse(as_format.out);
    for (json* doc : {&a, &b})  // score times itself
      if (doc->contains("summary")) doc->at("summary").erase("seconds"), doc->at("summary").erase("tokens_per_second");
    CHECK(a == b);
    if (command.rfind("score", 0) != 0) CHECK(run_cli(command).out != as_flag.out);  // text is the default
  }
  CHECK_THAT(error_line(run_cli("inspect" + model + " --format xml")), Contains("--format must be text or json, got 'xml'"));
}
