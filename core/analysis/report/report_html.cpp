// A self-contained HTML report: no scripts, fonts or images from elsewhere; hover details are `title` attributes.
// Colour scale for Δ (colour-blind safe, diverging): orange rgb(230,97,1) where the reference predicted better
// (Δ < 0), white at 0, blue rgb(33,102,172) where the compared model predicted better (Δ > 0); saturating at
// ±ReportOptions::colour_limit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/analysis/colour/delta_colour.h"
#include "core/analysis/report/report.h"
#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

namespace {

std::string escape(std::string_view raw) {
  const std::string text = valid_utf8(raw);
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "&#10;"; break;  // keeps line breaks inside title attributes
      default: out += ch;
    }
  }
  return out;
}

std::string fixed(double v, int digits = 3) {
  if (!std::isfinite(v)) return "–";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string gap_colour(double delta, double limit) {
  const auto c = delta_colour(delta, limit);
  if (!c) return "transparent";
  return "rgb(" + std::to_string(c->r) + "," + std::to_string(c->g) + "," + std::to_string(c->b) + ")";
}

std::string unit_title(const Report& r, std::size_t u, std::size_t compared) {
  const Comparison& c = r.comparison;
  const std::string unit_name(loss_unit_name(r.options.loss_unit));
  std::string t = "unit " + std::to_string(u) + " [" + std::to_string(c.units[u].span.begin) + ", " +
                  std::to_string(c.units[u].span.end) + ")\nΔ = " + fixed(r.unit_delta(u, compared)) + " " + unit_name;
  for (std::size_t m = 0; m < c.models.size(); ++m) {
    t += "\n" + c.models[m].name + ": NLL " + fixed(r.unit_nll(u, m)) + " " + unit_name;
    for (std::size_t i : c.units[u].tokens[m]) {
      const Token& token = c.models[m].tokens[i];
      t += "\n  " + token.text + "  p=" + fixed(token.prob, 4) + " rank=" + std::to_string(token.rank) +
           " H=" + fixed(token.entropy * r.scale());
      if (!token.top.empty()) {
        t += "  top:";
        for (const TopPrediction& p : token.top)
          t += " " + (p.text.empty() ? "#" + std::to_string(p.id) : p.text) + "(" + fixed(p.prob, 3) + ")";
      }
    }
  }
  t += "\nlabels:";
  for (const std::string& label : c.labels[u]) t += " " + label;
  return t;
}

void write_text_view(std::string& out, const Report& r, std::size_t compared) {
  const Comparison& c = r.comparison;
  out += "<h2>" + escape(c.models[compared].name) + " vs " + escape(c.models[c.reference].name) + "</h2>\n<div class=\"text\">";
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const double delta = r.unit_delta(u, compared);
    out += "<span class=\"u";
    if (!std::isfinite(delta)) out += " noloss";
    out += "\" style=\"background:" + gap_colour(delta, r.options.colour_limit) + "\" title=\"" +
           escape(unit_title(r, u, compared)) + "\">" + escape(c.unit_text(u)) + "</span>";
  }
  out += "</div>\n";
}

void write_group_table(std::string& out, const Report& r, const std::vector<GroupStats>& groups, bool describe) {
  const Comparison& c = r.comparison;
  out += "<table><tr><th>category</th><th>units</th>";
  for (const ModelTokens& m : c.models) out += "<th>mean NLL " + escape(m.name) + "</th>";
  for (std::size_t m = 0; m < c.models.size(); ++m)
    if (m != c.reference)
      out += "<th>mean Δ " + escape(c.models[m].name) + " [95% CI]</th><th>wins " + escape(c.models[m].name) + "</th>";
  if (describe) out += "<th>definition</th>";
  out += "</tr>\n";
  for (const GroupStats& g : groups) {
    out += "<tr><td>" + escape(g.name) + "</td><td>" + std::to_string(g.count) + "</td>";
    for (double v : g.mean_nll) out += "<td>" + fixed(v) + "</td>";
    for (const GapStats& gap : g.gaps)
      out += "<td>" + fixed(gap.mean_delta) + " [" + fixed(gap.interval.low) + ", " + fixed(gap.interval.high) +
             "]</td><td>" + fixed(100 * gap.win_share, 1) + "%</td>";
    if (describe) out += "<td>" + escape(g.description) + "</td>";
    out += "</tr>\n";
  }
  out += "</table>\n";
}

// Horizontal bars of mean Δ per category with the bootstrap interval as whiskers.
void write_gap_chart(std::string& out, const Report& r, std::size_t gap_index) {
  std::vector<const GroupStats*> rows;
  double extent = 1e-9;
  for (const GroupStats& g : r.categories) {
    const GapStats& gap = g.gaps[gap_index];
    if (!std::isfinite(gap.mean_delta)) continue;
    rows.push_back(&g);
    for (double v : {gap.mean_delta, gap.interval.low, gap.interval.high})
      if (std::isfinite(v)) extent = std::max(extent, std::fabs(v));
  }
  const double label_w = 220, plot_w = 440, row_h = 18, top = 24;
  const double height = top + row_h * static_cast<double>(rows.size()) + 8;
  const double zero = label_w + plot_w / 2;
  const auto x = [&](double v) { return zero + v / extent * (plot_w / 2); };
  const std::size_t model = r.categories.front().gaps[gap_index].model;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fixed(label_w + plot_w + 20, 0) + "\" height=\"" +
         fixed(height, 0) + "\" role=\"img\"><title>mean Δ per category, " + escape(r.comparison.models[model].name) +
         "</title>\n<text x=\"" + fixed(zero, 0) + "\" y=\"14\" text-anchor=\"middle\" font-size=\"11\">0 (±" +
         fixed(extent) + " " + std::string(loss_unit_name(r.options.loss_unit)) + " at the edges)</text>\n";
  out += "<line x1=\"" + fixed(zero, 1) + "\" y1=\"" + fixed(top - 4, 1) + "\" x2=\"" + fixed(zero, 1) + "\" y2=\"" +
         fixed(height, 1) + "\" stroke=\"#444\"/>\n";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const GapStats& gap = rows[k]->gaps[gap_index];
    const double y = top + row_h * static_cast<double>(k);
    const double x0 = std::min(zero, x(gap.mean_delta)), x1 = std::max(zero, x(gap.mean_delta));
    out += "<text x=\"" + fixed(label_w - 6, 0) + "\" y=\"" + fixed(y + 12, 1) +
           "\" text-anchor=\"end\" font-size=\"11\">" + escape(rows[k]->name) + " (" + std::to_string(rows[k]->count) +
           ")</text><rect x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(y + 3, 1) + "\" width=\"" + fixed(x1 - x0, 1) +
           "\" height=\"" + fixed(row_h - 6, 1) + "\" fill=\"" + gap_colour(gap.mean_delta, 1e-12) + "\"/>";
    if (std::isfinite(gap.interval.low))
      out += "<line x1=\"" + fixed(x(gap.interval.low), 1) + "\" y1=\"" + fixed(y + row_h / 2, 1) + "\" x2=\"" +
             fixed(x(gap.interval.high), 1) + "\" y2=\"" + fixed(y + row_h / 2, 1) + "\" stroke=\"#000\"/>";
    out += "\n";
  }
  out += "</svg>\n";
}

void write_models(std::string& out, const Report& r) {
  out += "<table><tr><th>model</th><th>tokens</th><th>scored tokens</th><th>total NLL</th><th>NLL/token</th>"
         "<th>perplexity (own tokens)</th><th>bits/byte</th><th>vocabulary</th></tr>\n";
  for (const ModelSummary& s : r.models) {
    std::string vocabulary = s.vocabulary.restricted_to_tokenizer()
                                 ? "restricted to the real vocabulary (" + std::to_string(s.vocabulary.tokenizer_size) +
                                       " of " + std::to_string(s.vocabulary.model_size) + ")"
                                 : "";
    out += "<tr><td>" + escape(s.name) + (s.reference ? " (reference)" : "") + "</td><td>" + std::to_string(s.tokens) +
           "</td><td>" + std::to_string(s.scored_tokens) + "</td><td>" + fixed(s.total_nll) + "</td><td>" +
           fixed(s.mean_nll_per_token) + "</td><td>" + fixed(s.perplexity_per_token) + "</td><td>" +
           fixed(s.bits_per_byte) + "</td><td>" + escape(vocabulary) + "</td></tr>\n";
  }
  out += "</table>\n";
}

}  // namespace

std::string to_html(const Report& r) {
  const Comparison& c = r.comparison;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>HybridLens report</title>\n<style>"
      "body{font-family:sans-serif;margin:1.5em;max-width:72em}"
      ".text{font-family:monospace;white-space:pre-wrap;line-height:1.6;border:1px solid #ccc;padding:.5em}"
      ".u{border-radius:2px}.noloss{color:#888;text-decoration:underline dotted}"
      "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}"
      ".legend span{display:inline-block;padding:0 .6em}"
      "</style></head><body>\n<h1>HybridLens report</h1>\n";
  out += "<p>Reference: <b>" + escape(c.models[c.reference].name) + "</b>. Schema " + std::string(Report::kSchema) +
         " v" + std::to_string(Report::kVersion) + ".</p>\n<ul>";
  for (const std::string& note : r.notes) out += "<li>" + escape(note) + "</li>";
  out += "</ul>\n<p class=\"legend\">Δ colour: <span style=\"background:" + gap_colour(-1, 1) +
         "\">reference better</span><span>0</span><span style=\"background:" + gap_colour(1, 1) +
         "\">compared model better</span> (saturates at ±" + fixed(r.options.colour_limit, 2) + " " +
         std::string(loss_unit_name(r.options.loss_unit)) + "; hover a unit for details)</p>\n";
  write_models(out, r);
  for (std::size_t m = 0; m < c.models.size(); ++m)
    if (m != c.reference) write_text_view(out, r, m);
  out += "<h2>Filtered losses</h2>\n";
  write_group_table(out, r, r.filtered, true);
  out += "<h2>Categories</h2>\n";
  for (std::size_t g = 0; g < r.categories.front().gaps.size(); ++g) write_gap_chart(out, r, g);
  write_group_table(out, r, r.categories, false);
  out += "</body></html>\n";
  return out;
}

}  // namespace hl::analysis
