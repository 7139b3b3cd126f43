#pragma once
// Scoring texts longer than a model's context: overlapping windows of `window` tokens, advancing by `stride`.
// Every position's statistics come from exactly one window: the first window scores all its positions; each later
// window contributes only the positions past those already scored, which therefore see at least window − stride
// tokens of context. This is the usual strided-perplexity protocol; its NLLs are upper bounds of full-context ones.
#include <cstdint>
#include <span>

#include "core/engine/model_runner.h"

namespace hl::engine {

struct WindowOptions {
  std::int64_t window = 0;  // tokens per window (≤ the model's context)
  std::int64_t stride = 0;  // 0 = window / 2
};

ScoreResult score_windowed(ModelRunner& runner, std::span<const std::int32_t> ids, const WindowOptions& w,
                           const ScoreOptions& options);

}  // namespace hl::engine
