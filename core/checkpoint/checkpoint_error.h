#pragma once
// Errors raised while loading untrusted checkpoint files. The message is always one line and names the file, the
// field or tensor, and what was expected versus found, so the CLI and GUI can show it as is.
#include <stdexcept>
#include <string>

namespace hl {

class CheckpointError : public std::runtime_error {
 public:
  explicit CheckpointError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace hl
