// The org chart of one Perangkat Daerah (report.hpp): the positions and
// their atasan as a DOT graph, laid out and drawn to SVG by Graphviz in
// process (cgraph + gvc, Debian's libgraphviz-dev).
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "engine/common/diagnostic.hpp"
#include "engine/report/report.hpp"

// Under AddressSanitizer (CI's second run): Graphviz's text layout (pango)
// leaves fontconfig's font caches allocated at exit, by design of those
// libraries. LeakSanitizer is told so here, and only for them; a leak in
// perwal's own code is still reported.
#if defined(__SANITIZE_ADDRESS__)
#define PERWAL_LSAN_SUPPRESSIONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PERWAL_LSAN_SUPPRESSIONS 1
#endif
#endif
#ifdef PERWAL_LSAN_SUPPRESSIONS
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libpango\nleak:libharfbuzz\nleak:libgvplugin_pango\n";
}
#endif

namespace perwal::report {

namespace {

using org::index;
using org::none;

// A DOT string literal's contents.
std::string dot_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Titles can be long ("Penata Kelola Sistem dan Teknologi Informasi Ahli
// Pertama …"): wrapped near `width` characters so boxes stay readable.
std::string wrapped(std::string_view s, std::size_t width = 28) {
  std::string out;
  std::size_t line = 0;
  std::size_t at = 0;
  while (at < s.size()) {
    auto end = s.find(' ', at);
    if (end == std::string_view::npos) end = s.size();
    const auto word = s.substr(at, end - at);
    if (line > 0 && line + 1 + word.size() > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
    at = end + 1;
  }
  return out;
}

// Graphviz keeps global state (its error sink, plugin tables): one layout at
// a time, in one context for the whole process. A context freed and made
// again leaves its text-layout plugin (pango) reading freed memory on the
// next layout (AddressSanitizer showed it), so the context is never freed.
std::mutex graphviz_lock;

GVC_t* graphviz_context() {
  static GVC_t* const gvc = [] {
    agseterr(AGMAX);  // its messages stay off stderr: a failure shows as a chart missing from the page
    return gvContext();
  }();
  return gvc;
}

// Graphviz's SVG without what a page of hundreds of charts does not need:
// the comments naming each node and edge, the edges' ids and titles, and the
// font of every text (the page's style sets it once). Graphviz writes one
// element per line; other lines are kept as they are.
std::string slimmed(std::string_view svg) {
  std::string out;
  out.reserve(svg.size());
  bool in_edge = false;
  while (!svg.empty()) {
    const auto eol = svg.find('\n');
    std::string_view line = svg.substr(0, eol);
    svg.remove_prefix(eol == std::string_view::npos ? svg.size() : eol + 1);
    const bool after_edge = std::exchange(in_edge, false);
    if (line.starts_with("<!--") && line.ends_with("-->")) continue;
    if (after_edge && line.starts_with("<title>") && line.ends_with("</title>")) continue;
    if (line.starts_with("<g id=\"edge") && line.ends_with("class=\"edge\">")) {
      out += "<g class=\"edge\">\n";
      in_edge = true;
      continue;
    }
    std::string kept(line);
    if (line.starts_with("<text ")) {
      for (const std::string_view attribute : {" font-family=\"", " font-size=\""}) {
        if (const auto at = kept.find(attribute); at != std::string::npos) {
          const auto end = kept.find('"', at + attribute.size());
          if (end != std::string::npos) kept.erase(at, end + 1 - at);
        }
      }
    }
    out += kept;
    out += '\n';
  }
  return out;
}

}  // namespace

std::string html_id(std::string_view s) {
  std::string out;
  for (const char c : s) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  }
  return out;
}

std::string org_chart_svg(const org::org_graph& org, index pd, const std::map<index, std::size_t>& flagged,
                          lang language, bool around_findings) {
  const auto& units = org.units();
  const auto& positions = org.positions();
  std::unordered_set<index> in_pd;
  const auto [first, last] = org.positions_under(pd);
  for (auto it = first; it != last; ++it) {
    if (units[positions[*it].unit].perangkat_daerah == pd) in_pd.insert(*it);
  }
  // The boxes drawn: every position of the Perangkat Daerah, or the flagged
  // ones and their atasan up to its head (the walk stops at an atasan outside
  // it, or at one already drawn).
  std::unordered_set<index> here;
  if (!around_findings) {
    here = in_pd;
  } else {
    for (const auto& [p, number] : flagged) {
      for (index q = p; q != none && in_pd.count(q) && here.insert(q).second; q = positions[q].atasan) {
      }
    }
  }
  if (here.empty()) return {};
  // Positions left out, counted under their nearest drawn atasan (none: no
  // atasan of theirs is drawn), so the boxes and the counts add up to the
  // Perangkat Daerah.
  std::map<index, std::size_t> left_out;
  if (around_findings) {
    for (const index p : in_pd) {
      if (here.count(p)) continue;
      index q = positions[p].atasan;
      for (std::size_t steps = 0; q != none && in_pd.count(q) && !here.count(q) && steps < in_pd.size(); ++steps)
        q = positions[q].atasan;
      ++left_out[q != none && here.count(q) ? q : none];
    }
  }
  const std::string vacant = render_named("report.vacant", language);
  // Square boxes joined by plain lines, as a bagan struktur organisasi is
  // drawn; also what keeps a province's page small: Graphviz writes a rounded
  // box as a 300-byte path and an arrowhead as a polygon per edge.
  std::string dot =
      "digraph pd {\n"
      "  graph [rankdir=LR, nodesep=0.12, ranksep=0.5, fontname=\"DejaVu Sans\", bgcolor=\"transparent\"];\n"
      "  node [shape=box, style=filled, fillcolor=\"#ffffff\", color=\"#5b6b7a\", fontname=\"DejaVu "
      "Sans\", fontsize=10, margin=\"0.12,0.06\"];\n"
      "  edge [color=\"#8a97a3\", arrowhead=none];\n";
  for (auto it = first; it != last; ++it) {
    const index p = *it;
    if (!here.count(p)) continue;
    const auto& pos = positions[p];
    // The position's (first) holder, by the org's index: no scan of a national org's employees per chart.
    const index e = org.employee_of(p);
    std::string holder = vacant;
    if (e != none) {
      const auto& emp = org.employees()[e];
      holder = std::string(emp.name.empty() ? emp.nip : emp.name);
      if (emp.as != org::acting::definitif)
        holder += " (" + std::string(emp.as == org::acting::plt ? "Plt" : "Plh") + ")";
    }
    const std::string label = wrapped(pos.title) + "\n" + holder;
    const auto f = flagged.find(p);
    dot +=
        "  \"" + dot_escape(pos.id) + "\" [label=\"" + dot_escape(label) + "\", id=\"jabatan-" + html_id(pos.id) + "\"";
    if (f != flagged.end()) {
      dot += ", class=\"jabatan melanggar\", fillcolor=\"#fde2e1\", color=\"#c0392b\", penwidth=2, URL=\"#temuan-" +
             std::to_string(f->second) + "\", tooltip=\"" + dot_escape(std::string(pos.id)) + "\"";
    } else {
      // No tooltip: the node's <title> (its id) is the browser's tooltip, without a link wrapped around it.
      dot += ", class=\"jabatan\"";
    }
    dot += "];\n";
  }
  for (const index p : here) {
    const index a = positions[p].atasan;
    if (a != none && here.count(a)) {
      dot += "  \"" + dot_escape(positions[a].id) + "\" -> \"" + dot_escape(positions[p].id) + "\";\n";
    }
  }
  // The positions not drawn, one dashed box per atasan (its id cannot clash
  // with a position's: those are quoted ids, this one has a space).
  for (const auto& [a, n] : left_out) {
    const std::string box = a != none ? "lain " + std::string(positions[a].id) : "lain";
    dot += "  \"" + dot_escape(box) + "\" [label=\"" +
           dot_escape(render_named("report.chart-others", language, {{"n", std::to_string(n)}})) +
           "\", class=\"lainnya\", style=dashed, color=\"#8a97a3\", fontcolor=\"#5b6b7a\"];\n";
    if (a != none) dot += "  \"" + dot_escape(positions[a].id) + "\" -> \"" + dot_escape(box) + "\" [style=dashed];\n";
  }
  dot += "}\n";

  const std::lock_guard<std::mutex> lock(graphviz_lock);
  GVC_t* const gvc = graphviz_context();
  if (gvc == nullptr) return {};
  std::string svg;
  if (Agraph_t* g = agmemread(dot.c_str()); g != nullptr) {
    if (gvLayout(gvc, g, "dot") == 0) {
      char* data = nullptr;
      unsigned int length = 0;
      if (gvRenderData(gvc, g, "svg", &data, &length) == 0 && data != nullptr) {
        svg.assign(data, length);
        gvFreeRenderData(data);
      }
      gvFreeLayout(gvc, g);
    }
    agclose(g);
  }
  // The page embeds the <svg> element itself: no XML prolog or DOCTYPE.
  if (const auto at = svg.find("<svg"); at != std::string::npos) return slimmed(std::string_view(svg).substr(at));
  return {};
}

}  // namespace perwal::report
