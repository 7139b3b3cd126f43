// One CSV row per unit (RFC 4180: fields holding a comma, quote, CR or LF are quoted, quotes doubled).
#include <nlohmann/json.hpp>
#include <string>

#include "core/analysis/report/report.h"

namespace hl::analysis {

namespace {

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char ch : value) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void write_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (k) out += ',';
    out += csv_field(fields[k]);
  }
  out += "\r\n";
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? std::string(separator) : "") + parts[k];
  return out;
}

}  // namespace

std::string to_csv(const Report& r) {
  const Comparison& c = r.comparison;
  const std::string unit_suffix = "_" + std::string(loss_unit_name(r.options.loss_unit));
  std::vector<std::string> header{"unit", "begin", "end", "text", "scored", "copy_length", "labels"};
  for (const ModelTokens& m : c.models) {
    header.push_back(m.name + ":nll" + unit_suffix);
    header.push_back(m.name + ":tokens");
    header.push_back(m.name + ":token_ids");
    header.push_back(m.name + ":rank");
    header.push_back(m.name + ":entropy" + unit_suffix);
  }
  for (std::size_t m = 0; m < c.models.size(); ++m)
    if (m != c.reference) header.push_back("delta:" + c.models[m].name + unit_suffix);

  std::string out;
  write_row(out, header);
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    std::vector<std::string> row{std::to_string(u), std::to_string(unit.span.begin), std::to_string(unit.span.end),
                                 std::string(c.unit_text(u)), unit.scored() ? "1" : "0",
                                 std::to_string(c.copy_length[u]), joined(c.labels[u], ";")};
    for (std::size_t m = 0; m < c.models.size(); ++m) {
      nlohmann::json texts = nlohmann::json::array();
      std::vector<std::string> ids;
      for (std::size_t i : unit.tokens[m]) {
        texts.push_back(c.models[m].tokens[i].text);
        ids.push_back(std::to_string(c.models[m].tokens[i].id));
      }
      // Rank and entropy describe one prediction, so they are given for single-token units only.
      const Token* single = unit.tokens[m].size() == 1 ? &c.models[m].tokens[unit.tokens[m].front()] : nullptr;
      row.push_back(format_number(r.unit_nll(u, m)));
      row.push_back(texts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));  // a JSON array: unambiguous
      row.push_back(joined(ids, " "));
      row.push_back(single && single->rank >= 0 ? std::to_string(single->rank) : "");
      row.push_back(single ? format_number(single->entropy * r.scale()) : "");
    }
    for (std::size_t m = 0; m < c.models.size(); ++m)
      if (m != c.reference) row.push_back(format_number(r.unit_delta(u, m)));
    write_row(out, row);
  }
  return out;
}

}  // namespace hl::analysis
