#pragma once
#include <stdexcept>
#include <string>

namespace hl::tok {

// Every failure to load or run a tokenizer: a one-line message naming the file path or JSON path at fault.
class TokenizerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hl::tok
