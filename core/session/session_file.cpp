#include "core/session/session_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/analysis/categories/text_scan.h"
#include "core/checkpoint/strict_json.h"

namespace hl::session {

namespace {

using nlohmann::json;

// rank and entropy are the hybrid's; the reference's were added later under their own names, so files written
// before them read as they did (core/analysis/colour/unit_colouring.h maps these names to the GUI's modes).
constexpr std::array<std::string_view, 8> kColourings = {
    "delta", "nll_reference", "nll_hybrid", "rank", "entropy", "category", "rank_reference", "entropy_reference"};

constexpr std::array<std::string_view, 2> kDevices = {"cpu", "cuda"};

// The keys whose values are strings. reference_folder is version 1's single reference, still written for builds that
// know only it; reference_folders (the list) is the one container a session has.
constexpr std::array<std::string_view, 8> kStringFields = {
    "hybrid_folder", "reference_folder", "tokenizer", "device", "colouring", "category_filter", "text", "window_state"};
constexpr std::string_view kReferenceList = "reference_folders";

[[noreturn]] void fail(const std::string& label, const std::string& what) { throw SessionError(label + ": " + what); }

// Paths go into messages as the user knows them (UTF-8 kept), but a control character must not break the one line.
std::string one_line(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string number_text(double v) {
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

std::string byte_text(unsigned char b) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[b >> 4] + kHex[b & 15];
}

// Offset of the first byte that does not begin a well-formed UTF-8 sequence (overlong forms and surrogates are
// ill-formed), or npos. decode_utf8_at steps one byte and yields U+FFFD on a bad sequence; a real U+FFFD is 3 bytes.
std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    if (decode_utf8_at(s, i) == 0xFFFD && i - start == 1) return start;
  }
  return std::string_view::npos;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// QByteArray::toBase64() default: standard alphabet, padded to a multiple of 4 with at most two trailing '='.
void check_base64(const std::string& label, std::string_view s) {
  const std::size_t n = s.size();
  const std::size_t padding = n >= 2 && s[n - 2] == '=' && s[n - 1] == '=' ? 2 : n >= 1 && s[n - 1] == '=' ? 1 : 0;
  for (std::size_t i = 0; i < n - padding; ++i) {
    if (is_base64_char(s[i])) continue;
    if (s[i] == '=')
      fail(label, "window_state is not base64 ('=' before the end, at offset " + std::to_string(i) + ")");
    fail(label, "window_state is not base64 (character '" + printable(s.substr(i, 1)) + "' at offset " +
                    std::to_string(i) + ")");
  }
  if (n % 4 != 0) fail(label, "window_state is not base64 (length " + std::to_string(n) + " is not a multiple of 4)");
}

void check_string(const std::string& label, std::string_view field, std::string_view value, std::size_t limit,
                  std::string_view limit_text) {
  if (value.size() > limit)
    fail(label, std::string(field) + " is " + std::to_string(value.size()) + " bytes, over the " +
                    std::string(limit_text) + " limit");
  if (const auto bad = first_invalid_utf8(value); bad != std::string_view::npos)
    fail(label, std::string(field) + " is not valid UTF-8 (byte " + byte_text(static_cast<unsigned char>(value[bad])) +
                    " at offset " + std::to_string(bad) + ")");
}

void check_short_string(const std::string& label, std::string_view field, std::string_view value) {
  check_string(label, field, value, kMaxShortStringBytes, "64 KiB");
}

template <std::size_t N>
void check_known(const std::string& label, std::string_view field, const std::string& value,
                 const std::array<std::string_view, N>& known) {
  if (std::find(known.begin(), known.end(), value) != known.end()) return;
  std::string list;
  for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
  fail(label, std::string(field) + " '" + printable(value) + "' is unknown (expected one of: " + list + ")");
}

void check_reference_count(const std::string& label, std::size_t count) {
  if (count > kMaxReferences)
    fail(label, "reference_folders has " + std::to_string(count) + " entries, over the limit of " +
                    std::to_string(kMaxReferences));
}

// `text`: active_reference as written in the file, which may be beyond int.
[[noreturn]] void fail_active_reference(const std::string& label, const std::string& text, std::size_t references) {
  fail(label, "active_reference is " + text +
                  (references == 0
                       ? ", expected 0 (no reference_folders)"
                       : ", expected an index into reference_folders (0 to " + std::to_string(references - 1) + ")"));
}

// Everything about a session except the JSON types, shared by reading and writing.
void validate(const Session& s, const std::string& label) {
  check_short_string(label, "hybrid_folder", s.hybrid_folder);
  check_reference_count(label, s.reference_folders.size());
  for (std::size_t i = 0; i < s.reference_folders.size(); ++i)
    check_short_string(label, "reference_folders[" + std::to_string(i) + "]", s.reference_folders[i]);
  const std::size_t references = s.reference_folders.size();
  if (references == 0 ? s.active_reference != 0
                      : s.active_reference < 0 || static_cast<std::size_t>(s.active_reference) >= references)
    fail_active_reference(label, std::to_string(s.active_reference), references);
  check_short_string(label, "tokenizer", s.tokenizer);
  check_known(label, "device", s.device, kDevices);
  check_short_string(label, "category_filter", s.category_filter);
  check_string(label, "text", s.text, kMaxTextBytes, "16 MiB");
  check_string(label, "window_state", s.window_state, kMaxWindowStateBytes, "1 MiB");
  check_base64(label, s.window_state);
  // Written as !(in range) so that NaN fails too.
  if (!(std::isfinite(s.colour_limit) && s.colour_limit > 0.0 && s.colour_limit <= kMaxColourLimit))
    fail(label, "colour_limit is " + number_text(s.colour_limit) + ", expected a finite number in (0, " +
                    number_text(kMaxColourLimit) + "]");
  check_known(label, "colouring", s.colouring, kColourings);
  if (s.pinned_unit < -1)
    fail(label, "pinned_unit is " + std::to_string(s.pinned_unit) + ", expected -1 (none) or a unit index ≥ 0");
}

// A JSON integer as a decimal string and, where it fits, an int64 (unsigned values past INT64_MAX do not).
struct Integer {
  bool fits;
  std::int64_t value;
  std::string text;
};
Integer integer_of(const json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    return {u <= static_cast<std::uint64_t>(INT64_MAX), static_cast<std::int64_t>(u), std::to_string(u)};
  }
  const auto i = v.get<std::int64_t>();
  return {true, i, std::to_string(i)};
}

// What the parser callback learnt about the top level. Nested containers are never stored, only their kind, so a
// 32 MiB file of arrays costs no memory beyond the file and the type errors still say "found an array". The one
// exception is the reference_folders array: its entries are counted and typed as they are parsed, and only its first
// kMaxReferences strings are kept.
struct ParseState {
  bool root_is_object = false;
  const char* root_kind = nullptr;                    // "an array" when the root was a discarded array
  std::string key;                                    // the current top-level key
  std::set<std::string> seen;                         // known keys seen so far (duplicates are refused)
  std::map<std::string, const char*> container_kind;  // known key → "an array" / "an object"
  bool in_reference_list = false;                     // inside the top-level reference_folders array
  std::size_t reference_entries = 0;                  // its entries, kept or not
  std::optional<std::size_t> non_string_reference;    // the first entry that is not a string
  std::string non_string_kind;                        // its JSON type, "an integer", "an array", ...
};
struct TooDeep {};
struct DuplicateKey {
  std::string key;
};

bool is_known_key(std::string_view key) {
  return key == "schema" || key == "version" || key == "colour_limit" || key == "pinned_unit" ||
         key == "active_reference" || key == kReferenceList ||
         std::find(kStringFields.begin(), kStringFields.end(), key) != kStringFields.end();
}

// An entry of the reference_folders array (parser depth 2), `kind` its JSON type for the message: counted, and kept
// when it is a string within the limit.
bool take_reference_entry(ParseState& st, bool is_string, const std::string& kind) {
  const std::size_t index = st.reference_entries++;
  if (!is_string && !st.non_string_reference) {
    st.non_string_reference = index;
    st.non_string_kind = kind;
  }
  return is_string && index < kMaxReferences;
}

json parse_json(std::string_view bytes, const std::string& label, ParseState& st) {
  const json::parser_callback_t callback = [&st](int depth, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    // A container opened at depth d is nesting level d + 1. Checked for discarded values too: the limit is what
    // keeps every recursive walk of JSON (older nlohmann parsers, dump, comparison) off the end of the stack.
    const bool opens = event == E::object_start || event == E::array_start;
    if (opens && depth >= kMaxJsonDepth) throw TooDeep{};
    if (depth == 0 && opens) {
      st.root_is_object = event == E::object_start;
      if (!st.root_is_object) st.root_kind = "an array";
      return st.root_is_object;
    }
    if (event == E::key && depth == 1 && st.root_is_object) {
      st.key = parsed.get<std::string>();
      if (!is_known_key(st.key)) return false;  // ignored: its value is parsed (syntax, depth) but not kept
      if (!st.seen.insert(st.key).second) throw DuplicateKey{st.key};
      return true;
    }
    const char* kind = event == E::object_start ? "an object" : "an array";  // when `opens`
    if (opens && depth == 2 && st.in_reference_list) return take_reference_entry(st, false, kind);
    if (event == E::value && depth == 2 && st.in_reference_list)
      return take_reference_entry(st, parsed.is_string(), json_type_name(parsed));
    if (opens && depth == 1 && st.root_is_object && st.key == kReferenceList && event == E::array_start) {
      st.in_reference_list = true;
      return true;
    }
    if (event == E::array_end && depth == 1) st.in_reference_list = false;
    if (opens) {
      if (depth == 1 && st.root_is_object && is_known_key(st.key)) st.container_kind[st.key] = kind;
      return false;
    }
    return true;
  };
  try {
    return json::parse(bytes.data(), bytes.data() + bytes.size(), callback);
  } catch (const TooDeep&) {
    fail(label, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  } catch (const DuplicateKey& d) {
    fail(label, "duplicate key '" + printable(d.key) + "'");
  } catch (const json::parse_error& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."; the
    // bracketed id means nothing to a user.
    std::string_view detail = e.what();
    if (const auto at = detail.find("parse error at "); at != std::string_view::npos) detail.remove_prefix(at + 15);
    fail(label, "truncated or malformed JSON at byte " + std::to_string(e.byte) + " (" + printable(detail, 240) + ")");
  } catch (const json::exception& e) {
    // Number overflow ("1e999") and the like.
    std::string_view detail = e.what();
    if (const auto at = detail.find("] "); at != std::string_view::npos) detail.remove_prefix(at + 2);
    fail(label, "truncated or malformed JSON (" + printable(detail, 240) + ")");
  }
}

Session parse_labelled(std::string_view bytes, const std::string& label) {
  if (bytes.empty()) fail(label, "empty file (0 bytes), not a HybridLens session");
  if (bytes.size() > kMaxSessionFileBytes)
    fail(label, std::to_string(bytes.size()) + " bytes, over the 32 MiB limit for a session file");
  // JSON must be UTF-8 anyway; checking the raw bytes first gives the exact offset rather than nlohmann's
  // "ill-formed UTF-8 byte" somewhere in a 16 MiB string.
  if (const auto bad = first_invalid_utf8(bytes); bad != std::string_view::npos)
    fail(label, "not valid UTF-8 (byte " + byte_text(static_cast<unsigned char>(bytes[bad])) + " at offset " +
                    std::to_string(bad) + ")");

  ParseState st;
  json root = parse_json(bytes, label, st);
  if (!root.is_object())
    fail(label, std::string("expected a JSON object, found ") + (st.root_kind ? st.root_kind : json_type_name(root)) +
                    " (not a HybridLens session)");

  const auto wrong_type = [&label](const std::string& key, const std::string& found, const char* expected) {
    fail(label, "field '" + key + "' must be " + expected + ", found " + found);
  };
  // The value of `key` if present and of JSON type `is`, else a wrong-type refusal. Containers were dropped while
  // parsing (nlohmann may even erase the key), so the callback's record decides for them.
  const auto find = [&](const char* key, bool (json::*is)() const noexcept, const char* expected) -> json* {
    if (const auto kind = st.container_kind.find(key); kind != st.container_kind.end())
      wrong_type(key, kind->second, expected);
    const auto it = root.find(key);
    if (it == root.end()) return nullptr;
    if (!((*it).*is)()) wrong_type(key, json_type_name(*it), expected);
    return &*it;
  };

  const json* schema = find("schema", &json::is_string, "a string");
  if (!schema) fail(label, "no \"schema\" key (not a HybridLens session)");
  if (schema->get_ref<const std::string&>() != kSessionSchema)
    fail(label, "schema is '" + printable(schema->get_ref<const std::string&>()) + "', expected '" +
                    std::string(kSessionSchema) + "' (not a HybridLens session)");

  const json* version = find("version", &json::is_number_integer, "an integer");
  if (!version) fail(label, "no \"version\" key");
  const Integer v = integer_of(*version);
  if (v.fits && v.value < 1) fail(label, "version " + v.text + " is not valid (versions start at 1)");
  if (!v.fits || v.value > kSessionVersion)
    fail(label, "written by a newer HybridLens (session version " + v.text + ", this build reads ≤ " +
                    std::to_string(kSessionVersion) + ")");

  Session s;
  const auto take_string = [&](const char* key, std::string& out) {
    json* j = find(key, &json::is_string, "a string");
    if (!j) return;
    out = std::move(j->get_ref<std::string&>());
  };
  take_string("hybrid_folder", s.hybrid_folder);
  // The list when present; else version 1's single reference (files from builds that know only it).
  std::string single_reference;
  take_string("reference_folder", single_reference);
  check_short_string(label, "reference_folder", single_reference);
  if (json* list = find("reference_folders", &json::is_array, "an array of strings")) {
    if (st.non_string_reference)
      wrong_type("reference_folders[" + std::to_string(*st.non_string_reference) + "]", st.non_string_kind, "a string");
    check_reference_count(label, st.reference_entries);
    for (json& entry : *list) s.reference_folders.push_back(std::move(entry.get_ref<std::string&>()));
  } else if (!single_reference.empty()) {
    s.reference_folders.push_back(std::move(single_reference));
  }
  if (const json* j = find("active_reference", &json::is_number_integer, "an integer")) {
    const Integer a = integer_of(*j);
    // Outside [0, INT_MAX] is outside any list (validate checks the rest); the message keeps the number as written.
    if (!a.fits || a.value < 0 || a.value > INT_MAX) fail_active_reference(label, a.text, s.reference_folders.size());
    s.active_reference = static_cast<int>(a.value);
  }
  take_string("tokenizer", s.tokenizer);
  take_string("device", s.device);
  take_string("colouring", s.colouring);
  if (const json* j = find("colour_limit", &json::is_number, "a number")) {
    s.colour_limit = j->get<double>();
  }
  if (const json* j = find("pinned_unit", &json::is_number_integer, "an integer")) {
    const Integer p = integer_of(*j);
    if (!p.fits || p.value > INT_MAX)
      fail(label, "pinned_unit is " + p.text + ", beyond the int range (at most " + std::to_string(INT_MAX) + ")");
    if (p.value < -1) fail(label, "pinned_unit is " + p.text + ", expected -1 (none) or a unit index ≥ 0");
    s.pinned_unit = static_cast<int>(p.value);
  }
  take_string("category_filter", s.category_filter);
  take_string("text", s.text);
  take_string("window_state", s.window_state);
  validate(s, label);
  return s;
}

std::string to_json_labelled(const Session& s, const std::string& label) {
  validate(s, label);
  // ordered_json: schema and version come first, where a person opening the file looks.
  nlohmann::ordered_json j;
  j["schema"] = std::string(kSessionSchema);
  j["version"] = kSessionVersion;
  j["hybrid_folder"] = s.hybrid_folder;
  j["reference_folders"] = s.reference_folders;
  // For builds that know only version 1's single reference (they ignore the list): they open the first one.
  j["reference_folder"] = s.reference_folders.empty() ? std::string() : s.reference_folders.front();
  j["active_reference"] = s.active_reference;
  j["tokenizer"] = s.tokenizer;
  j["device"] = s.device;
  j["colouring"] = s.colouring;
  j["colour_limit"] = s.colour_limit;
  j["pinned_unit"] = s.pinned_unit;
  j["category_filter"] = s.category_filter;
  j["text"] = s.text;
  j["window_state"] = s.window_state;
  return j.dump(2) + '\n';
}

std::string errno_text() { return std::strerror(errno); }

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Session parse_session(std::string_view bytes) { return parse_labelled(bytes, "session"); }

std::string to_json(const Session& s) { return to_json_labelled(s, "session"); }

Session read_session_file(const std::filesystem::path& path) {
  const std::string label = one_line(path.string());
  // O_NONBLOCK: opening a FIFO someone named .hlens must not hang the GUI; it is refused below as not a file.
  Fd in{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (in.fd < 0) fail(label, "cannot open the session file: " + errno_text());
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) fail(label, "cannot stat the session file: " + errno_text());
  if (!S_ISREG(st.st_mode)) fail(label, "not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > kMaxSessionFileBytes)
    fail(label, std::to_string(size) + " bytes, over the 32 MiB limit for a session file");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(in.fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(label, "cannot read the session file: " + errno_text());
    if (n == 0) break;  // shrank while reading: what is there is parsed, and refused as truncated
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return parse_labelled(bytes, label);
}

void write_session_file(const std::filesystem::path& path, const Session& s) {
  const std::string label = one_line(path.string());
  const std::string bytes = to_json_labelled(s, label);
  const std::string tmp = path.string() + ".tmp";
  const auto give_up = [&](const std::string& what) {
    const std::string reason = errno_text();
    ::unlink(tmp.c_str());
    fail(label, "cannot write the session file: " + what + ": " + reason);
  };
  {
    Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)};
    if (out.fd < 0) fail(label, "cannot write the session file: cannot create " + one_line(tmp) + ": " + errno_text());
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(out.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) give_up("write");
      done += static_cast<std::size_t>(n);
    }
    // Without the fsync the rename may reach the disk before the data, and a crash would leave an empty file.
    if (::fsync(out.fd) != 0) give_up("fsync");
    const int fd = out.fd;
    out.fd = -1;
    if (::close(fd) != 0) give_up("close");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) give_up("rename");
  // The rename itself is durable once the folder is synced; a failure here loses nothing already on disk.
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  Fd dir{::open(folder.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY)};
  if (dir.fd >= 0) (void)::fsync(dir.fd);
}

}  // namespace hl::session
