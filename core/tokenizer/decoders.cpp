#include "core/tokenizer/decoders.h"

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/config.h"
#include "core/tokenizer/pattern.h"
#include "core/text/utf8.h"

namespace hl::tok {

namespace {

using config::json;

const char* const kReplacementChar = "\xEF\xBF\xBD";

std::string lossy(std::string_view bytes) {
  std::string out;
  repair_utf8(bytes, out);
  return out;
}

// Byte-level chars back to bytes; a token with any char outside the alphabet (an added token) is kept as it is.
class ByteLevel final : public Decoder {
 public:
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    std::string bytes;
    for (const std::string& t : tokens) {
      std::string mapped;
      bool ok = true;
      for (std::size_t i = 0; i < t.size() && ok;) {
        const auto b = char_to_byte(next_char(t, i));
        if (b) mapped.push_back(static_cast<char>(*b));
        ok = b.has_value();
      }
      bytes += ok ? mapped : t;
    }
    return {lossy(bytes)};
  }
};

class Metaspace final : public Decoder {
 public:
  Metaspace(std::string replacement, bool prepend) : replacement_(std::move(replacement)), prepend_(prepend) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const std::string& t = tokens[i];
      for (std::size_t k = 0; k < t.size();) {
        if (!replacement_.empty() && t.compare(k, replacement_.size(), replacement_) == 0) {
          if (i != 0 || !prepend_) out.push_back(' ');  // HF drops the replacement in the first token
          k += replacement_.size();
        } else {
          out.push_back(t[k++]);
        }
      }
      tokens[i] = std::move(out);
    }
    return tokens;
  }

 private:
  std::string replacement_;
  bool prepend_;
};

// Runs of <0xXX> tokens become the bytes they name; a run that is not valid UTF-8 gives one U+FFFD per byte.
class ByteFallback final : public Decoder {
 public:
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    std::vector<std::string> out;
    std::string run;
    std::size_t run_len = 0;
    const auto flush = [&] {
      if (run_len == 0) return;
      std::string repaired;
      if (repair_utf8(run, repaired) == 0) {
        out.push_back(run);
      } else {
        for (std::size_t k = 0; k < run_len; ++k) out.emplace_back(kReplacementChar);
      }
      run.clear();
      run_len = 0;
    };
    for (std::string& t : tokens) {
      if (const auto b = byte_of(t)) {
        run.push_back(static_cast<char>(*b));
        ++run_len;
        continue;
      }
      flush();
      out.push_back(std::move(t));
    }
    flush();
    return out;
  }

 private:
  // "<0xXX>" with two hex digits as Rust's u8::from_str_radix reads them (which also takes a leading '+').
  static std::optional<unsigned char> byte_of(const std::string& t) {
    if (t.size() != 6 || !t.starts_with("<0x") || t[5] != '>') return std::nullopt;
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (t[3] == '+') {
      const int lo = hex(t[4]);
      return lo < 0 ? std::nullopt : std::optional<unsigned char>(static_cast<unsigned char>(lo));
    }
    const int hi = hex(t[3]), lo = hex(t[4]);
    if (hi < 0 || lo < 0) return std::nullopt;
    return static_cast<unsigned char>(hi * 16 + lo);
  }
};

class Fuse final : public Decoder {
 public:
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    return {all};
  }
};

// Removes up to `start` leading and `stop` trailing copies of one char from every token.
class Strip final : public Decoder {
 public:
  Strip(char32_t content, std::size_t start, std::size_t stop) : content_(content), start_(start), stop_(stop) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (std::string& t : tokens) {
      std::vector<std::size_t> starts;  // byte position of every char
      for (std::size_t i = 0; i < t.size();) {
        starts.push_back(i);
        next_char(t, i);
      }
      const auto char_at = [&](std::size_t k) {
        std::size_t i = starts[k];
        return next_char(t, i);
      };
      std::size_t first = 0, last = starts.size();
      while (first < std::min(start_, starts.size()) && char_at(first) == content_) ++first;
      for (std::size_t k = 0; k < stop_ && last > 0 && char_at(last - 1) == content_; ++k) --last;
      last = std::max(last, first);
      const std::size_t b = first < starts.size() ? starts[first] : t.size();
      const std::size_t e = last < starts.size() ? starts[last] : t.size();
      t = t.substr(b, e - b);
    }
    return tokens;
  }

 private:
  char32_t content_;
  std::size_t start_, stop_;
};

class Replace final : public Decoder {
 public:
  Replace(Pattern pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (std::string& t : tokens) {
      std::string out;
      for (const Piece& p : pattern_.find_matches(t)) out += p.match ? content_ : t.substr(p.begin, p.end - p.begin);
      t = std::move(out);
    }
    return tokens;
  }

 private:
  Pattern pattern_;
  std::string content_;
};

class Sequence final : public Decoder {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (const auto& d : steps_) tokens = d->decode_chain(std::move(tokens));
    return tokens;
  }

 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

char32_t single_char(const std::string& s, const std::string& path) {
  std::size_t i = 0;
  if (s.empty()) config::fail(path, "must be one character");
  const char32_t c = next_char(s, i);
  if (i != s.size()) config::fail(path, "must be one character");
  return c;
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(const json& j, const std::string& path) {
  if (j.is_null()) return nullptr;
  const std::string type = config::type_of(j, path);
  if (type == "ByteLevel") return std::make_unique<ByteLevel>();
  if (type == "Metaspace") {
    bool prepend = config::get_or(j, "add_prefix_space", true, path);
    if (j.contains("prepend_scheme") && j["prepend_scheme"].is_string()) prepend = j["prepend_scheme"] != "never";
    return std::make_unique<Metaspace>(config::get_or<std::string>(j, "replacement", "\xE2\x96\x81", path), prepend);
  }
  if (type == "ByteFallback") return std::make_unique<ByteFallback>();
  if (type == "Fuse") return std::make_unique<Fuse>();
  if (type == "Strip") {
    const auto content = config::get<std::string>(j, "content", path);
    return std::make_unique<Strip>(single_char(content, path + ".content"), config::get<std::size_t>(j, "start", path),
                                   config::get<std::size_t>(j, "stop", path));
  }
  if (type == "Replace")
    return std::make_unique<Replace>(make_pattern(config::need(j, "pattern", path), path + ".pattern"),
                                     config::get<std::string>(j, "content", path));
  if (type == "Sequence") {
    const json& list = config::need_array(j, "decoders", path);
    std::vector<std::unique_ptr<Decoder>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto d = make_decoder(list[i], config::item(path + ".decoders", i));
      if (d) steps.push_back(std::move(d));
    }
    return std::make_unique<Sequence>(std::move(steps));
  }
  config::unsupported(path, type);
}

}  // namespace hl::tok
