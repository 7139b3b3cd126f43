// hybridlens-cli bench: time the scoring pass of a model on N random tokens. Median of repeated runs after warm-up;
// the figure for comparisons is tokens/s (see tools/bench/ for the scripts that run a peer on the same input).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/bench_support.h"
#include "app/cli/command.h"
#include "core/engine/device_backend.h"
#include "core/engine/loaded_model.h"

namespace hl::cli {
namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli bench --model DIR --tokens N [--device cpu|cuda] [--repeats R] [--warmup W]\n"
    "                            [--seed S] [--ids-out FILE]\n\n"
    "  Scores N token ids drawn uniformly from the vocabulary (seeded) W times to warm up, then R times (default\n"
    "  5), and prints the median and the fastest time, tokens/s and the peak memory. On --device cuda the times are\n"
    "  CUDA events around each scoring pass and the memory is the engine's peak GPU allocation (weights included).\n"
    "  --ids-out FILE writes the ids (one per line) so a peer can be timed on exactly the same input.\n";

constexpr OptionSpec kOptions[] = {{"--model"},   {"--tokens"}, {"--device"}, {"--repeats"},
                                   {"--warmup"},  {"--seed"},   {"--ids-out"}};

}  // namespace

int run_bench(std::span<char*> argv) {
  const auto parsed = parse_args("bench", argv, kOptions, kUsage);
  if (!parsed) return 0;  // --help
  const ParsedArgs& args = *parsed;
  const auto tokens = args.integer("--tokens", 0, 1, 1 << 24);
  if (!args.has("--tokens")) throw std::runtime_error("--tokens is required (see bench --help)");
  const auto repeats = args.integer("--repeats", 5, 1, 1000);
  const auto warmup = args.integer("--warmup", 1, 0, 1000);
  const auto seed = args.integer("--seed", 1234, 0, INT32_MAX);
  auto backend = engine::make_backend(args.value("--device").value_or("cpu"));
  auto model = engine::LoadedModel::open(args.required("--model"), *backend);

  std::mt19937 rng(static_cast<std::uint32_t>(seed));
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(model->spec().vocab_size - 1));
  std::vector<std::int32_t> ids(static_cast<std::size_t>(tokens));
  for (auto& id : ids) id = pick(rng);
  if (auto path = args.value("--ids-out")) {
    std::ofstream out(*path);
    for (auto id : ids) out << id << '\n';
    if (!out) throw std::runtime_error(*path + ": cannot write");
  }

  engine::check_device_memory(*backend, {model.get()}, tokens);
  engine::ScoreOptions opt;
  for (std::int64_t i = 0; i < warmup; ++i) model->runner().score(ids, opt);
  backend->reset_peak_memory();  // weights stay counted: they are resident from the first pass on
  std::vector<double> ms;
  for (std::int64_t i = 0; i < repeats; ++i)
    ms.push_back(backend->time_ms([&] { model->runner().score(ids, opt); }));
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];
  std::printf("model %s (%s), device %s, %lld tokens, %lld runs after %lld warm-up\n", model->name().c_str(),
              model->spec().model_type.c_str(), backend->name().c_str(), static_cast<long long>(tokens),
              static_cast<long long>(repeats), static_cast<long long>(warmup));
  std::printf("median %.1f ms, fastest %.1f ms, %.1f tokens/s (median), %s\n", median, ms.front(),
              static_cast<double>(tokens) / (median / 1e3), peak_memory_text(*backend).c_str());
  return 0;
}

}  // namespace hl::cli
