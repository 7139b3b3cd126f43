#include "core/analysis/comparison/comparison.h"

#include <stdexcept>

#include "core/analysis/categories/code_lexer.h"
#include "core/analysis/categories/copy.h"
#include "core/analysis/categories/delimiters.h"
#include "core/analysis/categories/shape.h"
#include "core/analysis/categories/word_class.h"
#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

std::vector<ByteSpan> Comparison::unit_spans() const {
  std::vector<ByteSpan> spans;
  spans.reserve(units.size());
  for (const Unit& u : units) spans.push_back(u.span);
  return spans;
}

std::string_view Comparison::unit_text(std::size_t unit) const {
  const ByteSpan s = units[unit].span;
  return std::string_view(text).substr(s.begin, s.end - s.begin);
}

double Comparison::delta(std::size_t unit, std::size_t model) const {
  return units[unit].nll[reference] - units[unit].nll[model];
}

std::size_t Comparison::compared_model() const {
  for (std::size_t m = 0; m < models.size(); ++m)
    if (m != reference) return m;
  return reference;
}

namespace {

// The reference model's index of the first token in each unit: the context position the shape bins use. A unit the
// reference has no token in takes the position after the reference's previous token.
std::vector<std::size_t> reference_positions(const std::vector<Unit>& units, std::size_t reference) {
  std::vector<std::size_t> positions;
  std::size_t next = 0;
  for (const Unit& u : units) {
    if (!u.tokens[reference].empty()) next = u.tokens[reference].front();
    positions.push_back(next);
    if (!u.tokens[reference].empty()) next = u.tokens[reference].back() + 1;
  }
  return positions;
}

}  // namespace

Comparison compare(std::string_view text, std::vector<ModelTokens> models, std::size_t reference_index,
                   const CompareOptions& options) {
  if (models.empty()) throw std::invalid_argument("compare: no models");
  if (reference_index >= models.size())
    throw std::invalid_argument("compare: reference index " + std::to_string(reference_index) + " out of range for " +
                                std::to_string(models.size()) + " models");
  for (std::size_t a = 0; a < models.size(); ++a)
    for (std::size_t b = a + 1; b < models.size(); ++b)
      if (models[a].name == models[b].name)
        throw std::invalid_argument("compare: two models are named \"" + models[a].name + "\"");
  Alignment alignment = align(text, models);

  Comparison c;
  c.text = std::string(text);
  c.models = std::move(models);
  c.reference = reference_index;
  c.units = std::move(alignment.units);
  c.unaligned_tokens = std::move(alignment.unaligned_tokens);
  c.regions = language_regions(text, options.language);
  c.labels.resize(c.units.size());

  const std::vector<ByteSpan> spans = c.unit_spans();
  const std::vector<Word> words = find_words(text);
  const FunctionWordLexicon& lexicon = options.lexicon ? *options.lexicon : FunctionWordLexicon::embedded_english();
  label_word_class(spans, words, lexicon, c.labels);
  c.copy_length = unit_copy_lengths(text, spans);
  label_copy(c.copy_length, c.labels);
  for (const ModelTokens& m : c.models) c.token_copy_length.push_back(token_copy_lengths(m));
  label_delimiters(text, spans, c.regions, c.labels);
  label_code_roles(text, spans, c.regions, c.labels);
  label_shape(text, spans, words, reference_positions(c.units, c.reference), c.labels);
  return c;
}

}  // namespace hl::analysis
