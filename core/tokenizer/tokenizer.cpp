#include "core/tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <vector>

#include "core/checkpoint/hf_cache.h"
#include "core/tokenizer/added_vocabulary.h"
#include "core/tokenizer/bpe.h"
#include "core/tokenizer/config.h"
#include "core/tokenizer/decoders.h"
#include "core/tokenizer/normalizers.h"
#include "core/tokenizer/post_processors.h"
#include "core/tokenizer/pre_tokenizers.h"
#include "core/text/utf8.h"

namespace hl::tok {

namespace {

// Real tokenizer.json files are at most a few tens of MB; parsing costs several times the file size in memory, so a
// larger file is refused before it is read.
constexpr std::uintmax_t kMaxTokenizerBytes = 256ull * 1024 * 1024;

}  // namespace

struct Tokenizer::Impl {
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> pre_tokenizer;
  std::unique_ptr<Bpe> model;
  std::unique_ptr<PostProcessor> post_processor;
  std::unique_ptr<Decoder> decoder;
  std::unique_ptr<AddedVocabulary> added;

  explicit Impl(const nlohmann::json& j) {
    if (!j.is_object()) config::fail("(root)", "must be an object");
    const auto section = [&](const char* key) -> const nlohmann::json& {
      static const nlohmann::json null_value;
      const auto it = j.find(key);
      return it == j.end() ? null_value : *it;
    };
    const nlohmann::json& m = config::need(j, "model", "(root)");
    std::string type = config::get_or<std::string>(m, "type", "", "model");
    if (type.empty() && m.is_object() && m.contains("merges")) type = "BPE";  // old files omit the type
    if (type != "BPE") config::unsupported("model", type.empty() ? "(none)" : type);
    model = std::make_unique<Bpe>(m, "model");
    normalizer = make_normalizer(section("normalizer"), "normalizer");
    pre_tokenizer = make_pre_tokenizer(section("pre_tokenizer"), "pre_tokenizer");
    post_processor = make_post_processor(section("post_processor"), "post_processor");
    decoder = make_decoder(section("decoder"), "decoder");
    added = std::make_unique<AddedVocabulary>(section("added_tokens"), normalizer.get(), "added_tokens");
  }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::from_json(std::string_view json_text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw TokenizerError(std::string("tokenizer.json: not valid JSON: ") + e.what());
  }
  try {
    return Tokenizer(std::make_unique<Impl>(j));
  } catch (const TokenizerError& e) {
    throw TokenizerError(std::string("tokenizer.json: ") + e.what());
  }
}

Tokenizer Tokenizer::from_file(const std::filesystem::path& given) {
  const std::filesystem::path path = resolve_model_folder(given.string());
  std::filesystem::path file = path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) file = path / "tokenizer.json";
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TokenizerError(file.string() + ": cannot open");
  const auto size = std::filesystem::file_size(file, ec);
  if (!ec && size > kMaxTokenizerBytes)
    throw TokenizerError(file.string() + ": file is " + std::to_string(size) + " bytes, more than the 256 MB limit");
  std::ostringstream buf;
  buf << in.rdbuf();
  try {
    return from_json(buf.str());
  } catch (const TokenizerError& e) {
    std::string msg = e.what();
    const std::string generic = "tokenizer.json: ";
    if (msg.starts_with(generic)) msg = msg.substr(generic.size());
    throw TokenizerError(file.string() + ": " + msg);
  }
}

Encoding Tokenizer::encode(std::string_view input, bool add_special_tokens) const {
  Encoding e;
  std::string text;
  std::vector<Utf8Fix> fixes;
  if (const std::size_t bad = repair_utf8(input, text, &fixes))
    e.warnings.push_back("input is not valid UTF-8: " + std::to_string(bad) +
                         " invalid sequence(s) decoded as U+FFFD (byte offsets still index the input; character "
                         "offsets count each U+FFFD as one character)");
  PreTokenized p = impl_->added->extract_and_normalize(text, impl_->normalizer.get());
  if (impl_->pre_tokenizer) impl_->pre_tokenizer->pre_tokenize(p);
  const CharOffsetConverter chars(text);
  for (Part& part : p.pieces) {
    std::vector<Token> tokens = part.tokens ? std::move(*part.tokens) : impl_->model->tokenize(part.normalized.get());
    for (Token& t : tokens) {
      const Span span = part.normalized.original_span(t.begin, t.end);
      const Offsets bytes{span.first, span.second};
      e.ids.push_back(t.id);
      e.tokens.push_back(std::move(t.value));
      e.byte_offsets.push_back(bytes);
      e.char_offsets.push_back(chars.convert(bytes));
    }
  }
  if (impl_->post_processor) impl_->post_processor->process(e, add_special_tokens);
  if (!fixes.empty()) {
    for (auto& [b, end] : e.byte_offsets) {
      b = original_offset(fixes, b);
      end = original_offset(fixes, end);
    }
  }
  return e;
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (const std::int32_t id : ids) {
    if (const AddedToken* t = impl_->added->by_id(id)) {
      if (!(skip_special_tokens && t->special)) tokens.push_back(t->content);
    } else if (const std::string* s = impl_->model->id_to_token(id)) {
      tokens.push_back(*s);
    }
  }
  if (!impl_->decoder) {
    std::string out;
    for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
    return out;
  }
  std::string out;
  for (const auto& s : impl_->decoder->decode_chain(std::move(tokens))) out += s;
  return out;
}

std::size_t Tokenizer::vocab_size() const {
  std::size_t n = impl_->model->vocab_size();
  for (const AddedToken& t : impl_->added->tokens())
    if (!impl_->model->id_to_token(t.id)) ++n;
  return n;
}

std::optional<std::string> Tokenizer::id_to_token(std::int32_t id) const {
  if (const AddedToken* t = impl_->added->by_id(id)) return t->content;
  if (const std::string* s = impl_->model->id_to_token(id)) return *s;
  return std::nullopt;
}

std::optional<std::int32_t> Tokenizer::token_to_id(std::string_view token) const {
  if (const auto id = impl_->added->id_of(token)) return id;
  return impl_->model->token_to_id(token);
}

}  // namespace hl::tok
