// hybridlens-cli score --model HYBRID --reference REF [--reference REF2 ...]: score one or more texts with every
// model and write the token-by-token comparison report (Δ = NLL_reference − NLL_model per aligned unit, categories,
// statistics), one report per reference.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/analysis/from_score.h"
#include "core/analysis/report.h"
#include "core/compare/scoring_pipeline.h"
#include "core/engine/device_backend.h"
#include "core/engine/loaded_model.h"

namespace hl::cli {
namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli score --model HYBRID [--model OTHER ...] --reference REF [--reference REF2 ...]\n"
    "                            (--text S | --file F [F ...]) [--format json|csv|html] [--out PATH] [--bits]\n"
    "                            [--tokenizer PATH] [--device cpu|cuda] [--window N [--stride S]]\n"
    "                            [--no-special-tokens]\n\n"
    "  Scores the text with every model and compares each with the reference: Δ = NLL_reference − NLL_model\n"
    "  (positive: the model predicted the actual token better). Models with different tokenizers are aligned on\n"
    "  byte spans (see docs/categories.md and docs/report-schema.md).\n"
    "  --reference  repeat it to compare with several references: every model scores each input once and each\n"
    "               reference gets a report, where the --model models come next and the other references last.\n"
    "               Model names (folder names) must differ.\n"
    "  --format     json (default; schema hybridlens.report v1), csv (one row per unit) or html (self-contained)\n"
    "  --out PATH   a file for one input and one reference; else a folder (created): PATH/<input>.<format> for\n"
    "               several --file inputs, PATH/<input>-vs-<reference>.<format> for several references (<input>:\n"
    "               the file's stem or \"text\"; <reference>: its name, characters outside A-Za-z0-9._- as '_').\n"
    "               Without --out the report goes to standard output (one input and one reference only).\n"
    "  --bits       report losses in bits instead of nats\n"
    "  --tokenizer  tokenizer.json (or folder) for models whose folder has none\n";

constexpr OptionSpec kOptions[] = {
    {"--model", true, true}, {"--reference", true, true}, {"--text"},      {"--file", true, true},
    {"--format"},            {"--out"},                   {"--bits", false}, {"--tokenizer"},
    {"--device"},            {"--window"},                {"--stride"},    {"--no-special-tokens", false}};

struct Input {
  std::string name;  // for progress lines and output file names
  std::string text;
};

std::string render(const analysis::Report& report, const std::string& format) {
  if (format == "json") return analysis::to_json(report);
  if (format == "csv") return analysis::to_csv(report);
  return analysis::to_html(report);
}

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

// Reports key models by name, and compare() would refuse a repeat only after every model had scored every input.
void check_unique_names(const std::vector<std::unique_ptr<engine::LoadedModel>>& models) {
  for (std::size_t a = 0; a < models.size(); ++a)
    for (std::size_t b = a + 1; b < models.size(); ++b)
      if (models[a]->name() == models[b]->name())
        throw std::runtime_error("two models are named '" + models[a]->name() + "' (" +
                                 models[a]->folder().string() + " and " + models[b]->folder().string() +
                                 "); reports name models by folder name, so the folder names must differ");
}

// The reference names as they go into file names; two that come out the same would overwrite each other's reports.
std::vector<std::string> reference_file_names(const std::vector<std::unique_ptr<engine::LoadedModel>>& models,
                                              std::size_t references) {
  std::vector<std::string> names;
  for (std::size_t r = 0; r < references; ++r) {
    names.push_back(file_name_part(models[r]->name()));
    for (std::size_t earlier = 0; earlier < r; ++earlier)
      if (names[earlier] == names[r])
        throw std::runtime_error("references '" + models[earlier]->name() + "' and '" + models[r]->name() +
                                 "' would both write <input>-vs-" + names[r] + " reports; rename one folder");
  }
  return names;
}

// The models of the report against reference k, as indices into the loaded models [references..., --model models...]:
// reference k, then the --model models (so the first one is the compared model), then the other references.
std::vector<std::size_t> report_order(std::size_t k, std::size_t references, std::size_t models) {
  std::vector<std::size_t> order = {k};
  for (std::size_t m = references; m < models; ++m) order.push_back(m);
  for (std::size_t r = 0; r < references; ++r)
    if (r != k) order.push_back(r);
  return order;
}

}  // namespace

int run_compare(std::span<char*> argv) {
  const ParsedArgs args = parse_args("score", argv, kOptions);
  if (args.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const std::string format = args.value("--format").value_or("json");
  if (format != "json" && format != "csv" && format != "html")
    throw std::runtime_error("--format must be json, csv or html, got '" + format + "'");
  if (args.has("--text") == args.has("--file")) throw std::runtime_error("give exactly one of --text and --file");
  std::vector<Input> inputs;
  if (args.has("--text")) inputs.push_back({"text", *args.value("--text")});
  for (const auto& f : args.values("--file"))
    inputs.push_back({std::filesystem::path(f).stem().string(), read_file_bytes(f)});
  if (inputs.size() > 1 && !args.has("--out"))
    throw std::runtime_error("several --file inputs need --out FOLDER for their reports");
  const std::vector<std::string> references = args.values("--reference");
  if (references.size() > 1 && !args.has("--out"))
    throw std::runtime_error("several --reference models need --out FOLDER for their reports");

  auto backend = engine::make_backend(args.value("--device").value_or("cpu"));
  std::vector<std::string> folders = references;
  for (const auto& m : args.values("--model")) folders.push_back(m);
  if (folders.size() == references.size()) throw std::runtime_error("--model is required (see score --help)");
  std::vector<std::unique_ptr<engine::LoadedModel>> models;
  for (const auto& f : folders) {
    std::fprintf(stderr, "loading %s\n", f.c_str());
    models.push_back(engine::LoadedModel::open(f, *backend));
    if (models.back()->tokenizer() == nullptr && args.has("--tokenizer"))
      models.back()->set_tokenizer(tok::Tokenizer::from_file(*args.value("--tokenizer")));
  }
  check_unique_names(models);
  const std::vector<std::string> reference_names = reference_file_names(models, references.size());
  engine::WindowOptions window;
  window.window = args.integer("--window", 0, 2, INT32_MAX);
  window.stride = args.integer("--stride", 0, 1, INT32_MAX);
  if (backend->device() == engine::Device::cuda) {  // every model stays resident: check them together, up front
    std::int64_t longest = 0;
    std::vector<const engine::LoadedModel*> resident;
    for (const auto& m : models) {
      resident.push_back(m.get());
      for (const auto& in : inputs) {
        const auto n = m->encode(in.text, !args.has("--no-special-tokens")).ids.size();
        longest = std::max(longest, static_cast<std::int64_t>(n));
      }
    }
    engine::check_device_memory(*backend, resident, window.window > 0 ? std::min(window.window, longest) : longest);
  }
  analysis::ReportOptions report_options;
  if (args.has("--bits")) report_options.loss_unit = analysis::LossUnit::bits;
  const bool out_folder = inputs.size() > 1 || references.size() > 1;
  if (out_folder) std::filesystem::create_directories(*args.value("--out"));

  for (std::size_t n = 0; n < inputs.size(); ++n) {
    std::vector<analysis::ModelTokens> scored;  // every model scores the input once, whatever the references
    for (auto& m : models) {
      std::fprintf(stderr, "[%zu/%zu] %s: scoring with %s\n", n + 1, inputs.size(), inputs[n].name.c_str(),
                   m->name().c_str());
      const tok::Encoding enc = m->encode(inputs[n].text, !args.has("--no-special-tokens"));
      for (const auto& w : enc.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
      const engine::ScoreResult r = m->score(enc.ids, {}, window);
      for (const auto& note : r.notes) std::fprintf(stderr, "note: %s: %s\n", m->name().c_str(), note.c_str());
      if (const std::size_t invalid = r.stats.invalid_count(); invalid > 0)
        std::fprintf(stderr, "warning: %s: %s\n", m->name().c_str(),
                     compare::invalid_scores_warning(invalid, enc.ids.size() - 1).c_str());
      scored.push_back(analysis::from_score(m->name(), enc, r.stats, m->tokenizer()));
      analysis::record_vocabulary(scored.back(), m->tokenizer()->vocab_size(),
                                  static_cast<std::size_t>(m->spec().vocab_size));
    }
    for (std::size_t k = 0; k < references.size(); ++k) {
      const bool last = k + 1 == references.size();  // the last report may take the scores instead of copying
      std::vector<analysis::ModelTokens> ordered;
      for (const std::size_t m : report_order(k, references.size(), models.size()))
        ordered.push_back(last ? std::move(scored[m]) : scored[m]);
      const analysis::Report report =
          analysis::build_report(analysis::compare(inputs[n].text, std::move(ordered), 0, {}), report_options);
      const std::string bytes = render(report, format);
      if (references.size() > 1) {
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
