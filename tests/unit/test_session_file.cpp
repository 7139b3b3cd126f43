// The .hlens session format (docs/sessions.md): round trips, every refusal with its own one-line message, forward
// compatibility (unknown keys ignored), the atomic write and the size check before reading. This suite also runs
// under ASan/UBSan, which is where the deep-nesting and oversized cases earn their keep.
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "core/session/session_file.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using hl::session::parse_session;
using hl::session::Session;
using hl::session::SessionError;

namespace {

const std::string kHead = R"({"schema": "hybridlens.session", "version": 1)";

// A version-1 session with `fields` (",\"key\": value" ...) after schema and version.
std::string doc(const std::string& fields) { return kHead + fields + "}"; }

std::string one_line_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const SessionError& e) {
    const std::string m = e.what();
    CHECK(m.find('\n') == std::string::npos);
    CHECK(m.find('\r') == std::string::npos);
    return m;
  }
  return "(accepted)";
}

std::string refusal(const std::string& bytes) {
  return one_line_error([&] { (void)parse_session(bytes); });
}

std::string write_refusal(const Session& s) {
  return one_line_error([&] { (void)hl::session::to_json(s); });
}

Session full_session() {
  Session s;
  s.hybrid_folder = "/models/olmo-hybrid";
  s.reference_folders = {"/models/olmo3 (ref)", "/models/llama"};
  s.active_reference = 1;
  s.tokenizer = "/models/olmo3/tokenizer.json";
  s.device = "cuda";
  s.text = "The quick brown fox.\n";
  s.colour_limit = 1.5;
  s.colouring = "rank";
  s.pinned_unit = 42;
  s.category_filter = "word:open";
  s.window_state = "AAAA/w==";
  return s;
}

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::path(HL_TEST_OUTPUT_DIR) / "session" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("session round trip keeps every field, whatever the text holds", "[session]") {
  const std::vector<std::string> texts = {
      "",
      "line one\nline two\r\nline three\n",
      "she said \"hi\" and left\\ \t tab\tafter",
      "café, naïve, Ærøskøbing",
      "漢字かな交じり文",
      "emoji 🦊🧪 and flags 🇫🇷, ZWJ 👩‍🔬",
      std::string("NUL \0 inside", 12),
      "control \x01\x1f\x7f and a real U+FFFD: \xEF\xBF\xBD",
      "/* code */ int main() { return 0; }\n\tif (a < b && c > d) {}",
  };
  for (const auto& text : texts) {
    Session s = full_session();
    s.text = text;
    s.hybrid_folder = "/home/zoë/模型/" + text;
    const std::string json = hl::session::to_json(s);
    CHECK(json.back() == '\n');
    CHECK(parse_session(json) == s);
    CHECK(hl::session::to_json(parse_session(json)) == json);
  }
  CHECK(parse_session(hl::session::to_json(Session{})) == Session{});
  for (const char* colouring :
       {"delta", "nll_reference", "nll_hybrid", "rank", "entropy", "category", "rank_reference", "entropy_reference"}) {
    Session s;
    s.colouring = colouring;
    CHECK(parse_session(hl::session::to_json(s)) == s);
  }
  for (const double limit : {0.1, 1.0 / 3.0, 2.0, 5e-324, 100.0}) {
    Session s;
    s.colour_limit = limit;
    CHECK(parse_session(hl::session::to_json(s)).colour_limit == limit);
  }
  Session s;
  s.pinned_unit = INT_MAX;
  CHECK(parse_session(hl::session::to_json(s)).pinned_unit == INT_MAX);
}

TEST_CASE("session to_json writes a fixed key order, pretty, ending with a newline", "[session]") {
  const std::string expected = R"json({
  "schema": "hybridlens.session",
  "version": 1,
  "hybrid_folder": "/models/olmo-hybrid",
  "reference_folders": [
    "/models/olmo3 (ref)",
    "/models/llama"
  ],
  "reference_folder": "/models/olmo3 (ref)",
  "active_reference": 1,
  "tokenizer": "/models/olmo3/tokenizer.json",
  "device": "cuda",
  "colouring": "rank",
  "colour_limit": 1.5,
  "pinned_unit": 42,
  "category_filter": "word:open",
  "text": "The quick brown fox.\n",
  "window_state": "AAAA/w=="
}
)json";
  CHECK(hl::session::to_json(full_session()) == expected);
  // Non-ASCII stays readable UTF-8 rather than \u escapes.
  Session s;
  s.text = "é漢🦊";
  CHECK_THAT(hl::session::to_json(s), Contains("\"text\": \"é漢🦊\""));
}

TEST_CASE("session accepts integer colour limits, missing optional fields and unknown keys", "[session]") {
  CHECK(parse_session(doc("")) == Session{});
  CHECK(parse_session(doc(R"(, "colour_limit": 3)")).colour_limit == 3.0);
  CHECK(parse_session("\xEF\xBB\xBF" + doc("")) == Session{});  // a UTF-8 BOM, as some editors save

  // Keys a later build may add, of every JSON type and nested (within the depth limit), are ignored.
  const std::string nested = std::string(62, '[') + std::string(62, ']');
  const Session s = parse_session(
      doc(R"(, "text": "kept", "future_flag": true, "future_list": [1, "two", {"three": [3]}], "future_obj": )"
          R"({"a": {"b": null}, "text": "not this one"}, "future_num": 1e300, "future_str": "x", "deep": )" +
          nested + R"(, "colouring": "entropy")"));
  CHECK(s.text == "kept");
  CHECK(s.colouring == "entropy");
  // Unknown keys may repeat (only known ones are checked for duplicates).
  CHECK(parse_session(doc(R"(, "extra": 1, "extra": 2)")) == Session{});
}

TEST_CASE("session refuses empty, truncated and malformed files", "[session]") {
  CHECK(refusal("") == "session: empty file (0 bytes), not a HybridLens session");
  CHECK_THAT(refusal("   \n"), StartsWith("session: truncated or malformed JSON at byte 5 (line 2, column 1:"));
  CHECK_THAT(
      refusal(R"({"schema": "hybridlens.session", "version": 1, "text": "abc)"),
      StartsWith(
          "session: truncated or malformed JSON at byte 60 (line 1, column 60: syntax error while parsing value - "
          "invalid string: missing closing quote"));
  CHECK_THAT(refusal(R"({"schema": "hybridlens.session", "version": 1,)"),
             StartsWith("session: truncated or malformed JSON at byte "));
  CHECK_THAT(refusal(R"({"schema" "hybridlens.session"})"),
             StartsWith("session: truncated or malformed JSON at byte 30"));
  CHECK_THAT(refusal(doc("") + " trailing"), Contains("truncated or malformed JSON"));
  CHECK_THAT(refusal(doc(", \"text\": \"a\nb\"")), Contains("truncated or malformed JSON"));  // raw newline in a string
  CHECK_THAT(refusal(doc(R"(, "text": "\ud800")")), Contains("truncated or malformed JSON"));  // lone surrogate
  CHECK_THAT(refusal(doc(R"(, "colour_limit": 1e999)")),
             Contains("truncated or malformed JSON (number overflow parsing '1e999')"));
  CHECK_THAT(refusal(doc(R"(, "colour_limit": NaN)")), Contains("truncated or malformed JSON"));
}

TEST_CASE("session refuses what is not a session object of a version this build reads", "[session]") {
  CHECK(refusal("[1, 2]") == "session: expected a JSON object, found an array (not a HybridLens session)");
  CHECK(refusal("\"hello\"") == "session: expected a JSON object, found a string (not a HybridLens session)");
  CHECK(refusal("42") == "session: expected a JSON object, found an integer (not a HybridLens session)");
  CHECK(refusal("null") == "session: expected a JSON object, found null (not a HybridLens session)");
  CHECK(refusal(R"({"version": 1})") == "session: no \"schema\" key (not a HybridLens session)");
  CHECK(refusal(R"({"schema": "hybridlens.report", "version": 1})") ==
        "session: schema is 'hybridlens.report', expected 'hybridlens.session' (not a HybridLens session)");
  CHECK(refusal(R"({"schema": 7, "version": 1})") == "session: field 'schema' must be a string, found an integer");
  CHECK(refusal(R"({"schema": "hybridlens.session"})") == "session: no \"version\" key");
  CHECK(refusal(R"({"schema": "hybridlens.session", "version": "1"})") ==
        "session: field 'version' must be an integer, found a string");
  CHECK(refusal(R"({"schema": "hybridlens.session", "version": 1.0})") ==
        "session: field 'version' must be an integer, found a number");
  CHECK(refusal(R"({"schema": "hybridlens.session", "version": 0})") ==
        "session: version 0 is not valid (versions start at 1)");
  CHECK(refusal(R"({"schema": "hybridlens.session", "version": -3})") ==
        "session: version -3 is not valid (versions start at 1)");
  CHECK(refusal(R"({"schema": "hybridlens.session", "version": 3})") ==
        "session: written by a newer HybridLens (session version 3, this build reads ≤ 1)");
  CHECK(refusal(R"({"schema": "hybridlens.session", "version": 18446744073709551615})") ==
        "session: written by a newer HybridLens (session version 18446744073709551615, this build reads ≤ 1)");
  // The version is checked before the fields, so a newer file with fields this build cannot read says "newer".
  CHECK_THAT(refusal(R"({"schema": "hybridlens.session", "version": 2, "colouring": "future"})"),
             Contains("newer HybridLens"));
  CHECK(refusal(doc(R"(, "text": "a", "text": "b")")) == "session: duplicate key 'text'");
}

TEST_CASE("session refuses wrong value types for every field", "[session]") {
  CHECK(refusal(doc(R"(, "hybrid_folder": null)")) == "session: field 'hybrid_folder' must be a string, found null");
  CHECK(refusal(doc(R"(, "reference_folder": 3)")) ==
        "session: field 'reference_folder' must be a string, found an integer");
  CHECK(refusal(doc(R"(, "tokenizer": false)")) == "session: field 'tokenizer' must be a string, found a boolean");
  CHECK(refusal(doc(R"(, "device": 0)")) == "session: field 'device' must be a string, found an integer");
  CHECK(refusal(doc(R"(, "active_reference": "1")")) ==
        "session: field 'active_reference' must be an integer, found a string");
  CHECK(refusal(doc(R"(, "active_reference": 0.0)")) ==
        "session: field 'active_reference' must be an integer, found a number");
  CHECK(refusal(doc(R"(, "text": ["a"])")) == "session: field 'text' must be a string, found an array");
  CHECK(refusal(doc(R"(, "text": {"a": 1})")) == "session: field 'text' must be a string, found an object");
  CHECK(refusal(doc(R"(, "colour_limit": "2")")) == "session: field 'colour_limit' must be a number, found a string");
  CHECK(refusal(doc(R"(, "colouring": 1)")) == "session: field 'colouring' must be a string, found an integer");
  CHECK(refusal(doc(R"(, "pinned_unit": 1.5)")) == "session: field 'pinned_unit' must be an integer, found a number");
  CHECK(refusal(doc(R"(, "pinned_unit": "3")")) == "session: field 'pinned_unit' must be an integer, found a string");
  CHECK(refusal(doc(R"(, "category_filter": [])")) ==
        "session: field 'category_filter' must be a string, found an array");
  CHECK(refusal(doc(R"(, "window_state": 0.5)")) == "session: field 'window_state' must be a string, found a number");
}

TEST_CASE("session refuses text that is not valid UTF-8", "[session]") {
  CHECK(refusal(doc(", \"text\": \"ab\xFF\"")) == "session: not valid UTF-8 (byte 0xff at offset 58)");
  // Overlong, an encoded surrogate, a truncated sequence, past U+10FFFF.
  CHECK(refusal(doc(", \"text\": \"\xC0\xAF\"")) == "session: not valid UTF-8 (byte 0xc0 at offset 56)");
  CHECK(refusal(doc(", \"text\": \"\xED\xA0\x80\"")) == "session: not valid UTF-8 (byte 0xed at offset 56)");
  CHECK(refusal(doc(", \"text\": \"\xE6\xBC\"")) == "session: not valid UTF-8 (byte 0xe6 at offset 56)");
  CHECK(refusal(doc(", \"text\": \"\xF4\x90\x80\x80\"")) == "session: not valid UTF-8 (byte 0xf4 at offset 56)");
  // Writing refuses it too (it could not be read back), naming the field.
  Session s;
  s.text = "caf\xC3";
  CHECK(write_refusal(s) == "session: text is not valid UTF-8 (byte 0xc3 at offset 3)");
  s = Session{};
  s.hybrid_folder = "/home/\xE9t\xE9";  // Latin-1, not UTF-8
  CHECK(write_refusal(s) == "session: hybrid_folder is not valid UTF-8 (byte 0xe9 at offset 6)");
}

TEST_CASE("session refuses sizes over the limits", "[session]") {
  using namespace hl::session;
  CHECK(refusal(std::string(kMaxSessionFileBytes + 1, ' ')) ==
        "session: 33554433 bytes, over the 32 MiB limit for a session file");
  CHECK(refusal(doc(", \"text\": \"" + std::string(kMaxTextBytes + 1, 'a') + "\"")) ==
        "session: text is 16777217 bytes, over the 16 MiB limit");
  CHECK(refusal(doc(", \"text\": \"" + std::string(kMaxTextBytes, 'a') + "\"")).size() == 10);  // "(accepted)"
  CHECK(refusal(doc(", \"window_state\": \"" + std::string(kMaxWindowStateBytes + 4, 'A') + "\"")) ==
        "session: window_state is 1048580 bytes, over the 1 MiB limit");
  CHECK(refusal(doc(", \"hybrid_folder\": \"" + std::string(kMaxShortStringBytes + 1, 'a') + "\"")) ==
        "session: hybrid_folder is 65537 bytes, over the 64 KiB limit");
  CHECK(refusal(doc(", \"category_filter\": \"" + std::string(kMaxShortStringBytes + 1, 'a') + "\"")) ==
        "session: category_filter is 65537 bytes, over the 64 KiB limit");
  const std::string long_folder = "\"" + std::string(kMaxShortStringBytes + 1, 'a') + "\"";
  CHECK(refusal(doc(", \"reference_folders\": [\"/a\", " + long_folder + "]")) ==
        "session: reference_folders[1] is 65537 bytes, over the 64 KiB limit");
  // Version 1's single field keeps its limit even beside the list that replaces it.
  CHECK(refusal(doc(", \"reference_folders\": [], \"reference_folder\": " + long_folder)) ==
        "session: reference_folder is 65537 bytes, over the 64 KiB limit");
  Session s;
  s.text.assign(kMaxTextBytes + 1, 'x');
  CHECK(write_refusal(s) == "session: text is 16777217 bytes, over the 16 MiB limit");
}

TEST_CASE("session refuses window_state that is not base64", "[session]") {
  CHECK(refusal(doc(R"(, "window_state": "AB!D")")) ==
        "session: window_state is not base64 (character '!' at offset 2)");
  CHECK(refusal(doc(R"(, "window_state": "AB\nD")")) ==
        "session: window_state is not base64 (character '\\x0a' at offset 2)");
  CHECK(refusal(doc(R"(, "window_state": "A=AA")")) ==
        "session: window_state is not base64 ('=' before the end, at offset 1)");
  CHECK(refusal(doc(R"(, "window_state": "AAAAA")")) ==
        "session: window_state is not base64 (length 5 is not a multiple of 4)");
  CHECK(refusal(doc(R"(, "window_state": "AA=")")) ==
        "session: window_state is not base64 (length 3 is not a multiple of 4)");
  CHECK(parse_session(doc(R"(, "window_state": "AA==")")).window_state == "AA==");
  CHECK(parse_session(doc(R"(, "window_state": "AAA=")")).window_state == "AAA=");
}

TEST_CASE("session refuses colour limits, colourings and pinned units out of range", "[session]") {
  const char* range = "expected a finite number in (0, 100]";
  CHECK(refusal(doc(R"(, "colour_limit": 0)")) == std::string("session: colour_limit is 0, ") + range);
  CHECK(refusal(doc(R"(, "colour_limit": -1.5)")) == std::string("session: colour_limit is -1.5, ") + range);
  CHECK(refusal(doc(R"(, "colour_limit": 100.5)")) == std::string("session: colour_limit is 100.5, ") + range);
  CHECK(refusal(doc(R"(, "colour_limit": 1e308)")) == std::string("session: colour_limit is 1e+308, ") + range);
  for (const double bad :
       {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 0.0, -0.0}) {
    Session s;
    s.colour_limit = bad;
    CHECK_THAT(write_refusal(s), Contains(range));
  }
  CHECK(refusal(doc(R"(, "colouring": "rainbow")")) ==
        "session: colouring 'rainbow' is unknown (expected one of: delta, nll_reference, nll_hybrid, rank, entropy, "
        "category, rank_reference, entropy_reference)");
  CHECK_THAT(refusal(doc(R"(, "colouring": "Delta")")), Contains("colouring 'Delta' is unknown"));
  CHECK(refusal(doc(R"(, "pinned_unit": -2)")) == "session: pinned_unit is -2, expected -1 (none) or a unit index ≥ 0");
  CHECK(refusal(doc(R"(, "pinned_unit": -9223372036854775808)")) ==
        "session: pinned_unit is -9223372036854775808, expected -1 (none) or a unit index ≥ 0");
  CHECK(refusal(doc(R"(, "pinned_unit": 2147483648)")) ==
        "session: pinned_unit is 2147483648, beyond the int range (at most 2147483647)");
  CHECK(refusal(doc(R"(, "pinned_unit": 18446744073709551615)")) ==
        "session: pinned_unit is 18446744073709551615, beyond the int range (at most 2147483647)");
  CHECK(parse_session(doc(R"(, "pinned_unit": -1)")).pinned_unit == -1);
  CHECK(parse_session(doc(R"(, "pinned_unit": 0)")).pinned_unit == 0);
  Session s;
  s.colouring = "plaid";
  CHECK_THAT(write_refusal(s), Contains("colouring 'plaid' is unknown"));
  s = Session{};
  s.pinned_unit = -7;
  CHECK_THAT(write_refusal(s), Contains("pinned_unit is -7"));
  s = Session{};
  s.window_state = "not base64!";
  CHECK_THAT(write_refusal(s), Contains("window_state is not base64"));
}

TEST_CASE("session keeps several references in order, and version 1's single field for older builds", "[session]") {
  Session s;
  s.reference_folders = {"/models/olmo3", "/models/llama 3", "/models/模型"};
  s.active_reference = 2;
  const std::string json = hl::session::to_json(s);
  CHECK(parse_session(json) == s);
  CHECK(hl::session::to_json(parse_session(json)) == json);
  // What a build that knows only "reference_folder" reads (it ignores the other keys): the first reference.
  CHECK_THAT(json, Contains("\"reference_folder\": \"/models/olmo3\","));
  CHECK_THAT(hl::session::to_json(Session{}), Contains("\"reference_folders\": [],\n  \"reference_folder\": \"\","));

  // Files from those builds: the single field is the list's one entry; "" is no reference.
  const Session old = parse_session(doc(R"(, "hybrid_folder": "/h", "reference_folder": "/models/olmo3")"));
  CHECK(old.reference_folders == std::vector<std::string>{"/models/olmo3"});
  CHECK(old.active_reference == 0);
  CHECK(old.device == "cpu");
  CHECK(parse_session(doc(R"(, "reference_folder": "")")).reference_folders.empty());
  // The list, when present, is the truth.
  CHECK(parse_session(doc(R"(, "reference_folder": "/old", "reference_folders": ["/a", "/b"])")).reference_folders ==
        std::vector<std::string>{"/a", "/b"});
  CHECK(parse_session(doc(R"(, "reference_folder": "/old", "reference_folders": [])")).reference_folders.empty());

  s.reference_folders.assign(hl::session::kMaxReferences, "/m");
  s.active_reference = static_cast<int>(hl::session::kMaxReferences) - 1;
  CHECK(parse_session(hl::session::to_json(s)) == s);
  for (const char* device : {"cpu", "cuda"}) {
    Session d;
    d.device = device;
    CHECK(parse_session(hl::session::to_json(d)).device == device);
  }
}

TEST_CASE("session refuses bad reference lists, active references and devices", "[session]") {
  CHECK(refusal(doc(R"(, "reference_folders": "/a")")) ==
        "session: field 'reference_folders' must be an array of strings, found a string");
  CHECK(refusal(doc(R"(, "reference_folders": {"a": "/a"})")) ==
        "session: field 'reference_folders' must be an array of strings, found an object");
  CHECK(refusal(doc(R"(, "reference_folders": ["/a", 3])")) ==
        "session: field 'reference_folders[1]' must be a string, found an integer");
  CHECK(refusal(doc(R"(, "reference_folders": [null])")) ==
        "session: field 'reference_folders[0]' must be a string, found null");
  CHECK(refusal(doc(R"(, "reference_folders": ["/a", ["/b"]])")) ==
        "session: field 'reference_folders[1]' must be a string, found an array");
  CHECK(refusal(doc(R"(, "reference_folders": [{"path": "/a"}, 1])")) ==
        "session: field 'reference_folders[0]' must be a string, found an object");
  CHECK(refusal(doc(R"(, "reference_folders": [], "reference_folders": [])")) ==
        "session: duplicate key 'reference_folders'");

  // Entries past the limit are counted, not kept: a million of them costs no memory.
  std::string many = R"(, "reference_folders": [)";
  for (int i = 0; i < 1'000'000; ++i) many += i ? ",\"\"" : "\"\"";
  CHECK(refusal(doc(many + "]")) == "session: reference_folders has 1000000 entries, over the limit of 8");
  CHECK(refusal(doc(R"(, "reference_folders": ["1","2","3","4","5","6","7","8","9"])")) ==
        "session: reference_folders has 9 entries, over the limit of 8");

  CHECK(refusal(doc(R"(, "reference_folders": ["/a", "/b"], "active_reference": 2)")) ==
        "session: active_reference is 2, expected an index into reference_folders (0 to 1)");
  CHECK(refusal(doc(R"(, "reference_folders": ["/a"], "active_reference": -1)")) ==
        "session: active_reference is -1, expected an index into reference_folders (0 to 0)");
  CHECK(refusal(doc(R"(, "active_reference": 1)")) ==
        "session: active_reference is 1, expected 0 (no reference_folders)");
  CHECK(refusal(doc(R"(, "reference_folder": "/a", "active_reference": 18446744073709551615)")) ==
        "session: active_reference is 18446744073709551615, expected an index into reference_folders (0 to 0)");
  CHECK(parse_session(doc(R"(, "reference_folders": ["/a", "/b"], "active_reference": 1)")).active_reference == 1);

  CHECK(refusal(doc(R"(, "device": "tpu")")) == "session: device 'tpu' is unknown (expected one of: cpu, cuda)");
  CHECK_THAT(refusal(doc(R"(, "device": "CUDA")")), Contains("device 'CUDA' is unknown"));

  // Writing refuses the same, so nothing unreadable reaches the disk.
  Session s;
  s.reference_folders.assign(hl::session::kMaxReferences + 1, "/m");
  CHECK(write_refusal(s) == "session: reference_folders has 9 entries, over the limit of 8");
  s = Session{};
  s.reference_folders = {"/a", "/b", "/c"};
  s.active_reference = 3;
  CHECK(write_refusal(s) == "session: active_reference is 3, expected an index into reference_folders (0 to 2)");
  s = Session{};
  s.active_reference = -1;
  CHECK(write_refusal(s) == "session: active_reference is -1, expected 0 (no reference_folders)");
  s = Session{};
  s.device = "tpu";
  CHECK(write_refusal(s) == "session: device 'tpu' is unknown (expected one of: cpu, cuda)");
  s = Session{};
  s.reference_folders = {"/ok", "/caf\xE9"};
  CHECK(write_refusal(s) == "session: reference_folders[1] is not valid UTF-8 (byte 0xe9 at offset 4)");
}

TEST_CASE("session refuses JSON nested deeper than 64 levels without exhausting the stack", "[session]") {
  const auto deep = [](std::size_t levels, char open, char close) {
    return std::string(levels, open) + std::string(levels, close);
  };
  const std::string too_deep = "session: JSON nested deeper than 64 levels";
  // The top-level object is level 1: 63 arrays inside it is the deepest accepted.
  CHECK(parse_session(doc(", \"x\": " + deep(63, '[', ']'))) == Session{});
  CHECK(refusal(doc(", \"x\": " + deep(64, '[', ']'))) == too_deep);
  CHECK(refusal(doc(", \"text\": " + deep(64, '[', ']'))) == too_deep);
  CHECK(refusal(deep(65, '[', ']')) == too_deep);
  CHECK(refusal(std::string(1'000'000, '[')) == too_deep);
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
  CHECK(refusal(objects) == too_deep);
  CHECK(refusal(doc(", \"x\": " + std::string(1'000'000, '['))) == too_deep);
}

TEST_CASE("session files are written atomically and read back", "[session]") {
  const auto dir = fresh_dir("write");
  const auto path = dir / "explore.hlens";
  Session s = full_session();
  s.text = "first\n漢字 🦊";
  hl::session::write_session_file(path, s);
  CHECK(hl::session::read_session_file(path) == s);
  CHECK(read_bytes(path) == hl::session::to_json(s));
  CHECK_FALSE(fs::exists(dir / "explore.hlens.tmp"));

  // Overwriting replaces the file whole, and a stale .tmp left by a crash is no obstacle.
  write_bytes(dir / "explore.hlens.tmp", "{\"schema\": \"hybridlens.sess");
  s.text = "second";
  hl::session::write_session_file(path, s);
  CHECK(hl::session::read_session_file(path).text == "second");
  CHECK_FALSE(fs::exists(dir / "explore.hlens.tmp"));

  // A session that breaks a limit is refused before anything touches the disk: the old file stays.
  Session bad = s;
  bad.colour_limit = std::nan("");
  const std::string before = read_bytes(path);
  CHECK_THAT(one_line_error([&] { hl::session::write_session_file(path, bad); }),
             StartsWith(path.string() + ": colour_limit is nan"));
  CHECK(read_bytes(path) == before);
  CHECK_FALSE(fs::exists(dir / "explore.hlens.tmp"));

  // A folder that does not exist: a one-line error naming the file, nothing created.
  const auto missing = dir / "no-such-folder" / "x.hlens";
  CHECK_THAT(one_line_error([&] { hl::session::write_session_file(missing, s); }),
             StartsWith(missing.string() + ": cannot write the session file: cannot create"));
  CHECK_FALSE(fs::exists(dir / "no-such-folder"));
}

TEST_CASE("session file reading names the file and checks the size before reading", "[session]") {
  const auto dir = fresh_dir("read");
  const auto read_error = [](const fs::path& p) {
    return one_line_error([&] { (void)hl::session::read_session_file(p); });
  };
  CHECK_THAT(read_error(dir / "absent.hlens"),
             StartsWith((dir / "absent.hlens").string() + ": cannot open the session file: No such file"));
  CHECK(read_error(dir) == dir.string() + ": not a regular file");

  write_bytes(dir / "empty.hlens", "");
  CHECK(read_error(dir / "empty.hlens") ==
        (dir / "empty.hlens").string() + ": empty file (0 bytes), not a HybridLens session");

  write_bytes(dir / "cut.hlens", hl::session::to_json(full_session()).substr(0, 80));
  CHECK_THAT(read_error(dir / "cut.hlens"),
             StartsWith((dir / "cut.hlens").string() + ": truncated or malformed JSON at byte "));

  write_bytes(dir / "newer.hlens", R"({"schema": "hybridlens.session", "version": 3})");
  CHECK(read_error(dir / "newer.hlens") == (dir / "newer.hlens").string() +
                                               ": written by a newer HybridLens (session version 3, this build "
                                               "reads ≤ 1)");

  // Sparse: 1 GiB on paper, no blocks on disk. Reading it first would take seconds and the memory.
  const auto huge = dir / "huge.hlens";
  write_bytes(huge, "{");
  fs::resize_file(huge, std::uintmax_t{1} << 30);
  CHECK(read_error(huge) == huge.string() + ": 1073741824 bytes, over the 32 MiB limit for a session file");

  // A control character in the file name cannot break the message's single line.
  const auto odd = dir / "line\nbreak.hlens";
  write_bytes(odd, "");
  CHECK_THAT(read_error(odd), StartsWith((dir / "line\\x0abreak.hlens").string() + ": empty file"));
}
