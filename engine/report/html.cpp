// The report as one self-contained HTML page (report.hpp): the styles are
// inline, the charts inline SVG, no script and no address outside the page,
// so it opens from a USB stick or an e-mail and prints as it looks.
#include <algorithm>
#include <cstdio>
#include <string>

#include "engine/common/diagnostic.hpp"
#include "engine/common/markup.hpp"
#include "engine/report/report.hpp"

namespace perwal::report {

namespace {

using org::index;
using org::none;

std::string esc(std::string_view s) {
  return xml_escaped(s);
}

const char* const style = R"css(
:root { --ink: #1f2933; --muted: #5b6b7a; --line: #d9dee3; --bad: #c0392b; --bad-bg: #fde2e1;
        --warn: #b7791f; --warn-bg: #fdf3dc; --need: #2b6cb0; --need-bg: #e3eefa; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0;
       line-height: 1.45; font-size: 14px; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 2px 0; }
.headline { font-size: 17px; font-weight: bold; margin: 10px 0 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.n { text-align: right; white-space: nowrap; }
.temuan { border: 1px solid var(--line); border-left: 6px solid var(--bad); border-radius: 4px; padding: 8px 12px;
          margin: 10px 0; break-inside: avoid; }
.temuan.peringatan { border-left-color: var(--warn); }
.temuan.perlu-dilengkapi { border-left-color: var(--need); }
.temuan h3 { margin: 0 0 4px; }
.tag { display: inline-block; font-size: 11px; padding: 1px 6px; border-radius: 3px; color: #fff;
       background: var(--bad); margin-right: 6px; vertical-align: 2px; }
.peringatan .tag { background: var(--warn); }
.perlu-dilengkapi .tag { background: var(--need); }
dl { display: grid; grid-template-columns: 11em 1fr; gap: 2px 12px; margin: 6px 0 0; }
dt { color: var(--muted); }
dd { margin: 0; }
blockquote { margin: 4px 0; padding: 4px 10px; border-left: 3px solid var(--line); color: var(--muted);
             font-style: italic; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
.bagan { break-before: page; }
.bagan svg { display: block; max-width: 100%; height: auto; }
.potongan { display: none; font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10px; }
.bagan svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10px; }
.bagan .catatan { color: var(--muted); }
g.melanggar polygon, g.melanggar path { stroke-width: 2px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  .temuan { break-inside: avoid; }
  /* a chart that fits on a page stays under its name, not cut across two; a taller one is
     printed as strips one page high (.potongan) instead of the whole picture (.utuh) */
  .pd { break-inside: avoid; }
  h3 { break-after: avoid; }
  .utuh { display: none; }
  .potongan { display: block; }
  .potongan svg { break-inside: avoid; }
}
)css";

std::string label(std::string_view key, lang l) {
  return render_named(std::string("report.") + std::string(key), l);
}

std::string kind_class(finding_kind k) {
  switch (k) {
    case finding_kind::violation:
      return "pelanggaran";
    case finding_kind::warning:
      return "peringatan";
    case finding_kind::needs:
      return "perlu-dilengkapi";
  }
  return "";
}

std::string kind_label(finding_kind k, lang l) {
  switch (k) {
    case finding_kind::violation:
      return label("kind-violation", l);
    case finding_kind::warning:
      return label("kind-warning", l);
    case finding_kind::needs:
      return label("kind-needs", l);
  }
  return "";
}

std::string holders_text(const std::vector<holder>& hs, lang l) {
  if (hs.empty()) return label("vacant", l);
  std::string out;
  for (const auto& h : hs) {
    if (!out.empty()) out += "; ";
    out += esc(h.name.empty() ? h.nip : h.name) + " — NIP <code>" + esc(h.nip) + "</code>";
    if (h.sebagai == "plt") out += " (Plt)";
    if (h.sebagai == "plh") out += " (Plh)";
  }
  return out;
}

void summary(std::string& out, const audit_report& r, const org::org_graph& org, const std::vector<index>& charted,
             bool with_findings_only) {
  const lang l = r.language;
  out += "<section id=\"ringkasan\">\n<h2>" + label("summary", l) + "</h2>\n";
  if (!r.by_article.empty()) {
    out += "<h3>" + label("by-article", l) + "</h3>\n<table class=\"per-pasal\"><thead><tr><th>" + label("article", l) +
           "</th><th>" + label("findings", l) + "</th></tr></thead><tbody>\n";
    for (const auto& [article, n] : r.by_article) {
      out += "<tr><td>" + esc(article) + "</td><td class=\"n\">" + std::to_string(n) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
  for (const auto& in : r.instansi) {
    out += "<h3>" + esc(in.name) + "</h3>\n<table class=\"per-pd\"><thead><tr><th>" + label("pd", l) + "</th><th>" +
           label("positions-checked", l) + "</th><th>" + label("violations", l) + "</th><th>" + label("warnings", l) +
           "</th><th>" + label("needs", l) + "</th><th>" + label("articles", l) + "</th></tr></thead><tbody>\n";
    std::size_t folded = 0, folded_positions = 0;  // Perangkat Daerah without findings, not listed
    for (const auto& pd : in.pds) {
      if (with_findings_only && pd.findings.empty()) {
        ++folded;
        folded_positions += pd.positions;
        continue;
      }
      std::string name = esc(pd.name);
      if (pd.unit != none && std::find(charted.begin(), charted.end(), pd.unit) != charted.end()) {
        name = "<a href=\"#pd-" + html_id(org.units()[pd.unit].id) + "\">" + name + "</a>";
      }
      std::string articles;
      for (const auto& [a, n] : pd.by_article)
        articles += (articles.empty() ? "" : "<br>") + esc(a) + " (" + std::to_string(n) + ")";
      out += "<tr><td>" + name + "</td><td class=\"n\">" + std::to_string(pd.positions) + "</td><td class=\"n\">" +
             std::to_string(pd.violations) + "</td><td class=\"n\">" + std::to_string(pd.warnings) +
             "</td><td class=\"n\">" + std::to_string(pd.needs) + "</td><td>" + articles + "</td></tr>\n";
    }
    if (folded > 0) {
      out += "<tr class=\"tanpa-temuan\"><td>" +
             esc(render_named("report.pd-without-findings", l, {{"n", std::to_string(folded)}})) +
             "</td><td class=\"n\">" + std::to_string(folded_positions) +
             "</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td><td></td></tr>\n";
    }
    out += "<tr><th>" + label("total", l) + "</th><th class=\"n\">" + std::to_string(in.positions) +
           "</th><th class=\"n\">" + std::to_string(in.violations) + "</th><th class=\"n\">" +
           std::to_string(in.warnings) + "</th><th class=\"n\">" + std::to_string(in.needs) + "</th><th></th></tr>\n";
    out += "</tbody></table>\n";
  }
  out += "</section>\n";
}

void finding_html(std::string& out, const report_finding& f, const org::org_graph& org, lang l) {
  out += "<article class=\"temuan " + kind_class(f.kind) + "\" id=\"temuan-" + std::to_string(f.number) +
         "\" data-rule=\"" + esc(f.rule->name) + "\"";
  if (f.position != none) out += " data-jabatan=\"" + esc(org.positions()[f.position].id) + "\"";
  out += ">\n<h3><span class=\"tag\">" + kind_label(f.kind, l) + "</span>" + std::to_string(f.number) + ". " +
         esc(f.message) + "</h3>\n<dl>\n";
  if (f.position != none) {
    const auto& p = org.positions()[f.position];
    out += "<dt>" + label("position", l) + "</dt><dd>" + esc(p.title) + " <code>" + esc(p.id) + "</code></dd>\n";
    out += "<dt>" + label("holder", l) + "</dt><dd>" + holders_text(f.holders, l) + "</dd>\n";
  }
  out += "<dt>" + label("rule", l) + "</dt><dd><code>" + esc(f.rule->name) + "</code> (" +
         esc(strength_name(f.rule->level)) + ")</dd>\n";
  out += "<dt>" + label("article", l) + "</dt><dd>" + esc(f.rule->citation);
  if (!f.quote.empty()) out += "<blockquote>" + esc(f.quote) + "</blockquote>";
  out += "</dd>\n";
  if (!f.path.empty()) {
    out += "<dt>" + label("org-path", l) + "</dt><dd>";
    for (std::size_t k = 0; k < f.path.size(); ++k) {
      if (k) out += " → ";
      out += esc(f.path[k].title.empty() ? f.path[k].id : f.path[k].title) + " <code>" + esc(f.path[k].id) + "</code>";
    }
    out += "</dd>\n";
  }
  if (!f.evidence.empty()) {
    std::string ev;
    for (const auto& e : f.evidence) ev += (ev.empty() ? "" : ", ") + ("<code>" + esc(e) + "</code>");
    out += "<dt>" + label("evidence", l) + "</dt><dd>" + ev + "</dd>\n";
  }
  if (!f.hint.empty()) out += "<dt>" + label("fix", l) + "</dt><dd>" + esc(f.hint) + "</dd>\n";
  out += "</dl>\n</article>\n";
}

// The A4 page inside the @page margins, in points, less room for a heading.
constexpr double page_width_pt = 515.0, page_height_pt = 700.0;
// Chart units two printed strips share, so a box the cut crosses is whole in one of them.
constexpr double strip_overlap = 48.0;

// A chart as the page shows it, and for print, when it is taller than a page
// at the page's width, strips of it one page high: each strip an <svg> whose
// viewBox is that part of the chart, drawing it by <use> (no second copy of
// the chart). A browser prints a tall picture badly: cut anywhere, the text
// after it pushed about. Graphviz states the size in points.
void printable_chart(std::string& out, const std::string& svg, const std::string& id) {
  double width = 0, height = 0;
  const auto head_end = svg.find('>');
  if (std::sscanf(svg.substr(0, head_end).c_str(), "<svg width=\"%lfpt\" height=\"%lfpt\"", &width, &height) != 2 ||
      width <= 0 || height <= 0) {
    out += svg + "\n";
    return;
  }
  const double scale = std::min(1.0, page_width_pt / width);
  if (height * scale <= page_height_pt) {
    out += svg + "\n";
    return;
  }
  // The chart's group gets an id of its own (Graphviz calls every graph "graph0").
  std::string named = svg;
  if (const auto at = named.find("<g id=\"graph0\""); at != std::string::npos)
    named.replace(at, 14, "<g id=\"" + id + "\"");
  out += "<div class=\"utuh\">" + named + "</div>\n<div class=\"potongan\" aria-hidden=\"true\">\n";
  const double strip = page_height_pt / scale;
  char box[256];
  for (double top = 0; top < height; top += strip - strip_overlap) {
    const double h = std::min(strip, height - top);
    std::snprintf(box, sizeof box, "<svg width=\"%.0fpt\" height=\"%.0fpt\" viewBox=\"0 %.1f %.1f %.1f\">",
                  width * scale, h * scale, top, width, h);
    out += box;
    out += "<use href=\"#" + id + "\"/></svg>\n";
    if (top + strip >= height) break;
  }
  out += "</div>\n";
}

}  // namespace

html_options html_options_for(const org::org_graph& org) {
  html_options o;
  o.charts_with_findings_only = o.summary_with_findings_only = o.charts_around_findings = org.positions().size() > 5000;
  return o;
}

std::string to_html(const audit_report& r, const org::org_graph& org, const html_options& o) {
  const lang l = r.language;
  // Which Perangkat Daerah get a chart, and which of their positions are highlighted.
  std::map<index, std::map<index, std::size_t>> flagged;  // pd -> position -> its first finding
  for (const auto& f : r.findings) {
    if (f.kind == finding_kind::needs || f.position == none || f.pd == none) continue;
    flagged[f.pd].try_emplace(f.position, f.number);
  }
  std::vector<index> charted;
  std::vector<std::pair<index, std::string>> charts;  // pd, svg ("" when too large or not drawn)
  std::vector<index> too_large;
  for (const auto& in : r.instansi) {
    for (const auto& pd : in.pds) {
      if (pd.unit == none) continue;
      const bool has = flagged.count(pd.unit) > 0;
      if (o.charts_with_findings_only && !has) continue;
      const auto [first, last] = org.positions_under(pd.unit);
      if (first == last) continue;  // nobody to draw
      // (drawn around its findings, a chart is as large as their atasan chains)
      const bool around = o.charts_around_findings && has;
      if (!around && static_cast<std::size_t>(last - first) > o.chart_max_positions) {
        too_large.push_back(pd.unit);
        charted.push_back(pd.unit);
        charts.emplace_back(pd.unit, std::string());
        continue;
      }
      static const std::map<index, std::size_t> none_flagged;
      auto svg = org_chart_svg(org, pd.unit, has ? flagged[pd.unit] : none_flagged, l, around);
      charted.push_back(pd.unit);
      charts.emplace_back(pd.unit, std::move(svg));
    }
  }

  std::string out;
  out.reserve(64 * 1024 + r.findings.size() * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"" + std::string(l == lang::en ? "en" : "id") +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\">\n<title>" +
         esc(label("title", l) + " — " + r.org_name) + "</title>\n<style>" + style +
         "</style>\n</head>\n<body>\n<main>\n";
  out += "<header>\n<h1>" + label("title", l) + "</h1>\n<p class=\"meta org\">" + esc(r.org_name) + "</p>\n";
  out += "<p class=\"meta\">" + esc(r.regulation) + " (" + esc(r.cite_as) + ") — <code>" + esc(r.ruleset_id) +
         "</code></p>\n";
  out += "<p class=\"meta\">" + label("date", l) + ": <time>" + esc(r.date) + "</time></p>\n";
  out += "<p class=\"headline\" id=\"hasil\">" + esc(r.headline) + "</p>\n</header>\n";
  summary(out, r, org, charted, o.summary_with_findings_only);

  out += "<section id=\"temuan\">\n<h2>" + label("findings-title", l) + "</h2>\n";
  if (r.findings.empty()) out += "<p>" + label("no-findings", l) + "</p>\n";
  for (const auto& f : r.findings) finding_html(out, f, org, l);
  out += "</section>\n";

  out += "<section id=\"bagan\" class=\"bagan\">\n<h2>" + label("charts", l) + "</h2>\n<p class=\"catatan\">" +
         label(o.charts_around_findings ? "charts-note-around" : "charts-note", l) + "</p>\n";
  for (const auto& [pd, svg] : charts) {
    const std::string name(org.units()[pd].name);
    out += "<section class=\"pd\" id=\"pd-" + html_id(org.units()[pd].id) + "\">\n<h3>" + esc(name) + "</h3>\n";
    if (!svg.empty()) {
      printable_chart(out, svg, "bagan-" + html_id(org.units()[pd].id));
    } else if (std::find(too_large.begin(), too_large.end(), pd) != too_large.end()) {
      out += "<p class=\"catatan\">" + label("chart-too-large", l) + "</p>\n";
    } else {
      out += "<p class=\"catatan\">" + label("chart-failed", l) + "</p>\n";
    }
    out += "</section>\n";
  }
  out += "</section>\n<footer>" + label("made-by", l) + "</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace perwal::report
