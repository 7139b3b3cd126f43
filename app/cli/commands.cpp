#include "app/cli/command.h"

namespace hl::cli {

int run_tokenize(std::span<char*> args);  // cmd_tokenize.cpp
int run_inspect(std::span<char*> args);   // cmd_inspect.cpp
int run_score(std::span<char*> args);     // cmd_score.cpp
int run_bench(std::span<char*> args);     // cmd_bench.cpp
int run_render(std::span<char*> args);    // cmd_render.cpp
int run_models(std::span<char*> args);    // cmd_models.cpp

// The registry: one line per subcommand.
const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"tokenize", "split text into tokens with a tokenizer.json", run_tokenize},
      {"inspect", "describe a Hugging Face model folder: family, layer plan, sizes", run_inspect},
      {"score", "score a text with a model: per-token NLL, rank, probability, entropy, top-k", run_score},
      {"bench", "time scoring N tokens: median wall time, tokens/s, peak memory", run_bench},
      {"render", "score a text with two models and write the slide as PNG / SVG / PDF (no display needed)", run_render},
      {"models", "list the models in the Hugging Face cache: repo id, family, parameters, size, folder", run_models},
  };
  return all;
}

}  // namespace hl::cli
