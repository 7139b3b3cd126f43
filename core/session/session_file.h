#pragma once
// The .hlens session file: what the explorer was looking at (model folders, text, colouring, window layout), as
// versioned JSON. docs/sessions.md is its specification. Session files are shared between users, so parsing treats
// them as untrusted: every refusal is a SessionError with a one-line message, never a crash or another exception.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hl::session {

class SessionError : public std::runtime_error {
 public:
  explicit SessionError(const std::string& message) : std::runtime_error(message) {}
};

constexpr int kSessionVersion = 1;
constexpr std::string_view kSessionSchema = "hybridlens.session";

// Limits, checked when reading and when writing (a session this build writes, it can read back).
constexpr std::size_t kMaxSessionFileBytes = std::size_t{32} << 20;
constexpr std::size_t kMaxTextBytes = std::size_t{16} << 20;
constexpr std::size_t kMaxWindowStateBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxShortStringBytes = std::size_t{64} << 10;  // folders, tokenizer, category_filter
constexpr std::size_t kMaxReferences = 8;                             // entries of reference_folders
constexpr int kMaxJsonDepth = 64;
constexpr double kMaxColourLimit = 100.0;

struct Session {
  std::string hybrid_folder, tokenizer;        // paths as the user chose them (may be empty)
  std::vector<std::string> reference_folders;  // in order, at most kMaxReferences; the first is the default reference
  int active_reference = 0;    // index into reference_folders of the reference whose Δ is shown; 0 when there is none
  std::string device = "cpu";  // "cpu" or "cuda" (core/engine/device_backend.h)
  std::string text;            // the text being explored (valid UTF-8)
  double colour_limit = 2.0;   // ± |Δ| at which the colour saturates, in (0, 100]
  std::string colouring = "delta";  // delta, nll_reference, nll_hybrid, rank, entropy, category, rank_reference or
                                    // entropy_reference (rank, entropy: the hybrid's)
  int pinned_unit = -1;             // -1 none, else a unit index
  std::string category_filter;      // empty = none
  std::string window_state;         // base64 of QMainWindow::saveState(); opaque here

  bool operator==(const Session&) const = default;
};

// Throws SessionError on anything that is not a valid session of a version this build reads. Keys this build does
// not know are ignored, so a later build may add fields without a new version.
Session parse_session(std::string_view bytes);

// Pretty JSON in a fixed key order, ending with '\n'. Throws SessionError if `s` breaks a limit (non-finite
// colour_limit, invalid UTF-8, ...), so nothing unreadable is ever written.
std::string to_json(const Session& s);

// Errors name the file. The size is checked before anything is read.
Session read_session_file(const std::filesystem::path& path);

// Writes "<path>.tmp", flushes it to disk, then renames it over `path`: a crash leaves the old session or the new
// one, never a truncated file.
void write_session_file(const std::filesystem::path& path, const Session& s);

}  // namespace hl::session
