#include "core/tokenizer/normalizers.h"

#include <vector>

#include "core/tokenizer/config.h"

namespace hl::tok {

namespace {

using config::json;

class Unicode final : public Normalizer {
 public:
  explicit Unicode(NormalForm form) : form_(form) {}
  void normalize(NormalizedString& s) const override {
    if (!is_normalized(s.get(), form_)) s.transform(hl::normalize(s.get(), form_));
  }

 private:
  NormalForm form_;
};

class Lowercase final : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override { s.transform(lowercase(s.get())); }
};

class Prepend final : public Normalizer {
 public:
  explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(NormalizedString& s) const override { s.prepend(prefix_); }

 private:
  std::string prefix_;
};

class Replace final : public Normalizer {
 public:
  Replace(Pattern pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void normalize(NormalizedString& s) const override { s.replace(pattern_, content_); }

 private:
  Pattern pattern_;
  std::string content_;
};

class Strip final : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void normalize(NormalizedString& s) const override { s.strip(left_, right_); }

 private:
  bool left_, right_;
};

class Sequence final : public Normalizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void normalize(NormalizedString& s) const override {
    for (const auto& n : steps_) n->normalize(s);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const json& j, const std::string& path) {
  if (j.is_null()) return nullptr;
  const std::string type = config::type_of(j, path);
  if (type == "NFC") return std::make_unique<Unicode>(NormalForm::NFC);
  if (type == "NFD") return std::make_unique<Unicode>(NormalForm::NFD);
  if (type == "NFKC") return std::make_unique<Unicode>(NormalForm::NFKC);
  if (type == "NFKD") return std::make_unique<Unicode>(NormalForm::NFKD);
  if (type == "Lowercase") return std::make_unique<Lowercase>();
  if (type == "Prepend") return std::make_unique<Prepend>(config::get<std::string>(j, "prepend", path));
  if (type == "Replace")
    return std::make_unique<Replace>(make_pattern(config::need(j, "pattern", path), path + ".pattern"),
                                     config::get<std::string>(j, "content", path));
  if (type == "Strip")
    return std::make_unique<Strip>(config::get_or(j, "strip_left", true, path), config::get_or(j, "strip_right", true, path));
  if (type == "Sequence") {
    const json& list = config::need_array(j, "normalizers", path);
    std::vector<std::unique_ptr<Normalizer>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto n = make_normalizer(list[i], config::item(path + ".normalizers", i));
      if (n) steps.push_back(std::move(n));
    }
    return std::make_unique<Sequence>(std::move(steps));
  }
  config::unsupported(path, type);
}

}  // namespace hl::tok
