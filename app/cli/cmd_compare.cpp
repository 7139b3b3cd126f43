// hybridlens-cli score --model HYBRID --reference REF [--reference REF2 ...]: score one or more texts with every
// model and write the token-by-token comparison report (Δ = NLL_reference − NLL_model per aligned unit, categories,
// statistics), one report per reference. The models open, score and compare through core/compare, the path the
// window and `render` take, so the same inputs give the same report bytes.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/analysis/report/report.h"
#include "core/compare/scoring_pipeline.h"
#include "core/engine/device_backend.h"

namespace hl::cli {
namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli score --model HYBRID [--model OTHER ...] --reference REF [--reference REF2 ...]\n"
    "                            (--text S | --file F [F ...]) [--format json|csv|html] [--json] [--out PATH]\n"
    "                            [--bits] [--tokenizer PATH] [--device cpu|cuda] [--window N [--stride S]]\n"
    "                            [--no-special-tokens]\n\n"
    "  Scores the text with every model and compares each with the reference: Δ = NLL_reference − NLL_model\n"
    "  (positive: the model predicted the actual token better). Models with different tokenizers are aligned on\n"
    "  byte spans (see docs/categories.md and docs/report-schema.md).\n"
    "  --reference  repeat it to compare with several references: every model scores each input once and each\n"
    "               reference gets a report. Reports list the --model models first, then the references.\n"
    "               Two models with the same folder name are told apart by their role: \"x (hybrid)\",\n"
    "               \"x (model 2)\", \"x (reference 1)\".\n"
    "  --format     json (default; schema hybridlens.report v1), csv (one row per unit) or html (self-contained);\n"
    "               --json is --format json\n"
    "  --out PATH   a file for one input and one reference; else a folder (created): PATH/<input>.<format> for\n"
    "               several --file inputs, PATH/<input>-vs-<reference>.<format> for several references (<input>:\n"
    "               the file's stem or \"text\"; <reference>: its name, characters outside A-Za-z0-9._- as '_').\n"
    "               Without --out the report goes to standard output (one input and one reference only).\n"
    "  --bits       report losses in bits instead of nats\n"
    "  --tokenizer  tokenizer.json (or folder) for models whose folder has none\n"
    "  --window N   score in windows of N tokens advancing by --stride (default N/2); without it, a text longer\n"
    "               than a model's context is scored in windows of that context\n";

constexpr OptionSpec kOptions[] = {
    {"--model", true, true}, {"--reference", true, true}, {"--text"},      {"--file", true, true},
    {"--format"},            {"--out"},                   {"--bits", false}, {"--tokenizer"},
    {"--device"},            {"--window"},                {"--stride"},    {"--no-special-tokens", false}};

struct Input {
  std::string name;  // for progress lines and output file names
  std::string text;
};

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

// A model name as part of a file name: any character outside [A-Za-z0-9._-] becomes '_'.
std::string file_name_part(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '_';
  return out;
}

// The reference names as they go into file names; two that come out the same would overwrite each other's reports.
std::vector<std::string> reference_file_names(const compare::ModelSet& set) {
  std::vector<std::string> names;
  for (std::size_t r = 0; r < set.reference_count(); ++r) {
    const std::string& name = set.names()[set.reference_index(r)];
    names.push_back(file_name_part(name));
    for (std::size_t earlier = 0; earlier < r; ++earlier)
      if (names[earlier] == names[r])
        throw std::runtime_error("references '" + set.names()[set.reference_index(earlier)] + "' and '" + name +
                                 "' would both write <input>-vs-" + names[r] + " reports; rename one folder");
  }
  return names;
}

}  // namespace

int run_compare(std::span<char*> argv) {
  const auto parsed = parse_args("score", argv, kOptions, kUsage);
  if (!parsed) return 0;  // --help
  const ParsedArgs& args = *parsed;
  const std::string format = args.format({"json", "csv", "html"});
  if (args.has("--text") == args.has("--file")) throw std::runtime_error("give exactly one of --text and --file");
  std::vector<Input> inputs;
  if (args.has("--text")) inputs.push_back({"text", *args.value("--text")});
  for (const auto& f : args.values("--file"))
    inputs.push_back({std::filesystem::path(f).stem().string(), read_file_bytes(f)});
  if (inputs.size() > 1 && !args.has("--out"))
    throw std::runtime_error("several --file inputs need --out FOLDER for their reports");
  if (args.values("--reference").size() > 1 && !args.has("--out"))
    throw std::runtime_error("several --reference models need --out FOLDER for their reports");
  if (!args.has("--model")) throw std::runtime_error("--model is required (see score --help)");

  compare::ModelSetPaths paths;
  std::vector<std::string> folders = args.values("--model");  // in set order, for the progress lines
  for (const auto& m : folders) paths.compared.emplace_back(m);
  for (const auto& r : args.values("--reference")) {
    paths.references.emplace_back(r);
    folders.push_back(r);
  }
  paths.tokenizer = args.value("--tokenizer").value_or("");
  auto backend = engine::make_backend(args.value("--device").value_or("cpu"));
  const compare::ModelSet set = compare::ModelSet::open(paths, *backend, [&](int done, int total, const std::string&) {
    if (done < total) std::fprintf(stderr, "loading %s\n", folders[static_cast<std::size_t>(done)].c_str());
  });
  const std::vector<std::string> reference_names = reference_file_names(set);

  compare::ScoreRequest request;
  request.add_special_tokens = !args.has("--no-special-tokens");
  request.window.window = args.integer("--window", 0, 2, INT32_MAX);
  request.window.stride = args.integer("--stride", 0, 1, INT32_MAX);
  analysis::ReportOptions report_options;
  if (args.has("--bits")) report_options.loss_unit = analysis::LossUnit::bits;
  const bool out_folder = inputs.size() > 1 || set.reference_count() > 1;
  if (out_folder) std::filesystem::create_directories(*args.value("--out"));

  for (std::size_t n = 0; n < inputs.size(); ++n) {
    std::string current_stage;
    request.progress = [&](int, int, const std::string& stage) {
      if (stage == current_stage) return;
      current_stage = stage;
      std::fprintf(stderr, "[%zu/%zu] %s: %s\n", n + 1, inputs.size(), inputs[n].name.c_str(), stage.c_str());
    };
    const compare::ScoredText scored = compare::score_text(set, *backend, inputs[n].text, request);
    for (const auto& m : scored.messages) std::fprintf(stderr, "note: %s\n", m.c_str());
    const std::vector<analysis::Report> reports = compare::build_reports(set, scored, report_options);
    for (std::size_t k = 0; k < reports.size(); ++k) {
      const std::string bytes = *analysis::to_format(reports[k], format);
      if (set.reference_count() > 1) {
        write_file(std::filesystem::path(*args.value("--out")) /
                       (inputs[n].name + "-vs-" + reference_names[k] + "." + format),
                   bytes);
      } else if (out_folder) {
        write_file(std::filesystem::path(*args.value("--out")) / (inputs[n].name + "." + format), bytes);
      } else if (args.has("--out")) {
        write_file(*args.value("--out"), bytes);
      } else {
        std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      }
    }
  }
  return 0;
}

}  // namespace hl::cli
