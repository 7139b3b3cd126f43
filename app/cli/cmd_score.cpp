// hybridlens-cli score: one teacher-forced pass of a model over a text; per-token NLL, rank, probability, entropy
// and top-k predictions, plus a summary.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/compare/scoring_pipeline.h"
#include "core/engine/device_backend.h"
#include "core/engine/loaded_model.h"
#include "core/engine/windowed_scoring.h"

namespace hl::cli {
namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli score --model DIR (--text S | --file F | --ids 1,2,3) [--device cpu|cuda]\n"
    "                            [--top-k K] [--format text|json] [--json] [--dump-logits FILE]\n"
    "                            [--no-special-tokens]\n"
    "                            [--window N [--stride S]] [--state-norms]\n\n"
    "  --model DIR          Hugging Face folder: config.json, *.safetensors, tokenizer.json\n"
    "  --tokenizer PATH     use this tokenizer.json (or folder) instead of the model folder's\n"
    "  --text/--file/--ids  what to score; --ids takes comma-separated token ids (no tokenizer needed)\n"
    "  --top-k K            predictions listed per token (default 5, at most 20)\n"
    "  --format text|json   a table (default) or JSON; --json is --format json\n"
    "  JSON                 per-token records {index, id, token, text, offsets, nll, rank, prob, entropy, topk,\n"
    "                       valid} and a summary; token i's numbers describe the prediction of token i from tokens\n"
    "                       < i; valid: false (numbers null) where the model's logits were not finite (NaN/Inf)\n"
    "  --dump-logits FILE   write the logits as raw little-endian float32 [T, V] (position t predicts token t+1)\n"
    "  --no-special-tokens  do not add the tokenizer's BOS/EOS (added by default, as transformers does)\n"
    "  --window N           score a text longer than the context in windows of N tokens, advancing by --stride\n"
    "                       (default N/2); each token keeps the score from the first window that gives it at least\n"
    "                       N - stride tokens of context\n"
    "  --state-norms        recurrent-state norms of every recurrent layer (Mamba / Mamba2 / Gated DeltaNet): with\n"
    "                       JSON, \"state_norms\": {\"<layer>\": [[norm per head] per token]}; row t is the Frobenius\n"
    "                       norm of each head's state AFTER consuming token t (Mamba1: one head = the whole state)\n"
    "\nWith --reference REF, score compares models token by token ('score --reference REF --help').\n";

constexpr OptionSpec kOptions[] = {
    {"--model"},       {"--text"},  {"--file"},        {"--ids"},    {"--device"},
    {"--top-k"},       {"--format"},              {"--dump-logits"}, {"--no-special-tokens", false},
    {"--window"},      {"--stride"},  {"--state-norms", false}, {"--tokenizer"},
};

std::vector<std::int32_t> parse_ids(const std::string& s) {
  std::vector<std::int32_t> ids;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    std::size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size() || v < 0 || v > INT32_MAX)
      throw std::runtime_error("--ids: '" + part + "' is not a token id");
    ids.push_back(static_cast<std::int32_t>(v));
  }
  if (ids.empty()) throw std::runtime_error("--ids is empty");
  return ids;
}

nlohmann::json number_or_null(float v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

int run_compare(std::span<char*> argv);  // cmd_compare.cpp: score with --reference

int run_score(std::span<char*> argv) {
  for (const char* a : argv)
    if (std::string_view(a) == "--reference") return run_compare(argv);
  const ParsedArgs args = parse_args("score", argv, kOptions);
  if (args.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const int sources = args.has("--text") + args.has("--file") + args.has("--ids");
  if (sources != 1) throw std::runtime_error("give exactly one of --text, --file and --ids");
  const auto top_k = static_cast<std::size_t>(args.integer("--top-k", 5, 0, 20));
  const bool as_json = args.format({"text", "json"}) == "json";

  auto backend = engine::make_backend(args.value("--device").value_or("cpu"));
  auto model = engine::LoadedModel::open(args.required("--model"), *backend);
  if (auto t = args.value("--tokenizer")) model->set_tokenizer(tok::Tokenizer::from_file(*t));
  const tok::Tokenizer* tokenizer = model->tokenizer();
  for (const auto& w : model->warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());

  std::string text;
  tok::Encoding enc;
  if (args.has("--ids")) {
    enc.ids = parse_ids(*args.value("--ids"));
  } else {
    text = args.has("--text") ? *args.value("--text") : read_file_bytes(*args.value("--file"));
    enc = model->encode(text, !args.has("--no-special-tokens"));
  }
  for (const auto& w : enc.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::vector<std::string> warnings = enc.warnings;
  if (model->scored_vocab_size() < model->spec().vocab_size)
    std::fprintf(stderr, "note: the model's vocabulary (%lld) is padded beyond its tokenizer's; predictions are "
                 "restricted to the tokenizer's %lld tokens\n", static_cast<long long>(model->spec().vocab_size),
                 static_cast<long long>(model->scored_vocab_size()));

  engine::ScoreOptions opt;
  opt.top_k = top_k;
  opt.keep_logits = args.has("--dump-logits");
  opt.state_norms = args.has("--state-norms");
  engine::WindowOptions window;
  if (args.has("--window")) {
    if (opt.state_norms) throw std::runtime_error("--state-norms cannot be combined with --window");
    window.window = args.integer("--window", 0, 2, INT32_MAX);
    window.stride = args.integer("--stride", 0, 1, INT32_MAX);
  }
  const auto n_ids = static_cast<std::int64_t>(enc.ids.size());
  engine::check_device_memory(*backend, {model.get()}, window.window > 0 ? std::min(window.window, n_ids) : n_ids);
  const engine::ScoreResult r = model->score(enc.ids, opt, window);
  for (const auto& note : r.notes) std::fprintf(stderr, "note: %s\n", note.c_str());

  if (auto path = args.value("--dump-logits")) {
    std::ofstream out(*path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(r.logits.data()),
              static_cast<std::streamsize>(r.logits.size() * sizeof(float)));
    if (!out) throw std::runtime_error(*path + ": cannot write the logits");
  }

  auto token_text = [&](std::int32_t id) {
    if (tokenizer == nullptr) return std::string();
    return tokenizer->id_to_token(id).value_or(std::string());
  };
  // Token i is predicted at position i - 1.
  double sum_nll = 0;
  std::size_t scored = 0;
  nlohmann::json records = nlohmann::json::array();
  for (std::size_t i = 0; i < enc.ids.size(); ++i) {
    nlohmann::json rec = {{"index", i}, {"id", enc.ids[i]}, {"token", token_text(enc.ids[i])}};
    if (i < enc.byte_offsets.size()) {
      const auto [b, e] = enc.byte_offsets[i];
      rec["offsets"] = {b, e};
      rec["text"] = text.substr(b, e - b);
    } else {
      rec["offsets"] = nullptr;
    }
    rec["valid"] = i == 0 || !r.stats.is_invalid(i - 1);
    if (i == 0) {
      rec["nll"] = rec["rank"] = rec["prob"] = rec["entropy"] = nullptr;
      rec["topk"] = nlohmann::json::array();
    } else {
      const std::size_t p = i - 1;
      const float nll = r.stats.nll[p];
      rec["nll"] = number_or_null(nll);
      rec["rank"] = r.stats.rank[p] >= 0 ? nlohmann::json(r.stats.rank[p]) : nlohmann::json(nullptr);
      rec["prob"] = number_or_null(r.stats.prob[p]);
      rec["entropy"] = number_or_null(r.stats.entropy[p]);
      nlohmann::json topk = nlohmann::json::array();
      for (std::size_t j = 0; j < r.stats.k; ++j) {
        const std::int32_t id = r.stats.topk_ids[p * r.stats.k + j];
        if (id < 0) continue;  // fewer candidates than k, or an invalid position
        topk.push_back({{"id", id}, {"token", token_text(id)}, {"prob", r.stats.topk_probs[p * r.stats.k + j]}});
      }
      rec["topk"] = std::move(topk);
      if (std::isfinite(nll)) {
        sum_nll += nll;
        ++scored;
      }
    }
    records.push_back(std::move(rec));
  }
  const double mean_nll = scored ? sum_nll / static_cast<double>(scored) : NAN;
  const std::size_t invalid = r.stats.invalid_count();
  if (invalid > 0) {
    warnings.push_back(compare::invalid_scores_warning(invalid, enc.ids.size() - 1));
    std::fprintf(stderr, "warning: %s\n", warnings.back().c_str());
  }
  const nlohmann::json summary = {
      {"model", model->folder().string()},
      {"model_type", model->spec().model_type},
      {"device", backend->name()},
      {"tokens", enc.ids.size()},
      {"scored_tokens", scored},
      {"invalid_tokens", invalid},
      {"mean_nll", scored ? nlohmann::json(mean_nll) : nlohmann::json(nullptr)},
      {"perplexity", scored ? nlohmann::json(std::exp(mean_nll)) : nlohmann::json(nullptr)},
      {"seconds", r.seconds},
      {"tokens_per_second", r.seconds > 0 ? static_cast<double>(enc.ids.size()) / r.seconds : 0.0},
  };

  // layer → [T][heads], token-major; row t = state after consuming token t.
  nlohmann::json state_norms = nlohmann::json::object();
  for (const auto& [layer, norms] : r.state_norms) {
    const auto heads = static_cast<std::size_t>(r.state_norm_heads.at(layer));
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t t = 0; heads > 0 && t < norms.size() / heads; ++t) {
      nlohmann::json row = nlohmann::json::array();
      for (std::size_t h = 0; h < heads; ++h) row.push_back(number_or_null(norms[t * heads + h]));
      rows.push_back(std::move(row));
    }
    state_norms[std::to_string(layer)] = std::move(rows);
  }

  if (as_json) {
    nlohmann::json doc = {{"tokens", records}, {"summary", summary}, {"warnings", warnings}};
    if (opt.state_norms) doc["state_norms"] = std::move(state_norms);
    std::puts(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%6s %9s %7s %9s  %s\n", "index", "nll", "rank", "prob", "token");
  for (const auto& rec : records) {
    const std::string tokstr = nlohmann::json(rec["token"]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!rec["valid"].get<bool>())
      std::printf("%6zu %9s %7s %9s  %s\n", rec["index"].get<std::size_t>(), "invalid", "-", "-", tokstr.c_str());
    else if (rec["nll"].is_null())
      std::printf("%6zu %9s %7s %9s  %s\n", rec["index"].get<std::size_t>(), "-", "-", "-", tokstr.c_str());
    else
      std::printf("%6zu %9.4f %7d %9.6f  %s\n", rec["index"].get<std::size_t>(), rec["nll"].get<double>(),
                  rec["rank"].get<int>(), rec["prob"].get<double>(), tokstr.c_str());
  }
  for (const auto& [layer, norms] : r.state_norms) {
    const auto heads = static_cast<std::size_t>(r.state_norm_heads.at(layer));
    double last = 0;
    for (std::size_t h = 0; h < heads && norms.size() >= heads; ++h) last += norms[norms.size() - heads + h];
    std::printf("state norms, layer %d: %zu heads, mean over heads after the last token %.4f\n", layer, heads,
                heads ? last / static_cast<double>(heads) : 0.0);
  }
  std::printf("\n%s (%s): %zu tokens", model->name().c_str(), model->spec().model_type.c_str(), enc.ids.size());
  if (invalid > 0) std::printf(", %zu invalid", invalid);
  if (scored > 0) std::printf(", mean NLL %.4f nats, perplexity %.3f", mean_nll, std::exp(mean_nll));
  else std::printf(", no valid scores");
  std::printf(", %.3f s, %.1f tokens/s\n", r.seconds, summary["tokens_per_second"].get<double>());
  return 0;
}

}  // namespace hl::cli
