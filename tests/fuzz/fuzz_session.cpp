// libFuzzer target: arbitrary bytes as a .hlens session. Only SessionError may escape the parser (anything else, or a
// crash, is a finding), and whatever it accepts must survive to_json → parse_session unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/session/session_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hl::session::Session session;
  try {
    session = hl::session::parse_session(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const hl::session::SessionError&) {
    return 0;
  }
  // An accepted session is valid by definition, so writing it must not throw either: no try here.
  const std::string json = hl::session::to_json(session);
  if (json.empty() || json.back() != '\n') std::abort();
  if (!(hl::session::parse_session(json) == session)) std::abort();
  if (hl::session::to_json(hl::session::parse_session(json)) != json) std::abort();
  return 0;
}
