// The org chart of one Perangkat Daerah (report.hpp): the positions and
// their atasan as a DOT graph, laid out and drawn to SVG by Graphviz in
// process (cgraph + gvc, Debian's libgraphviz-dev).
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>
#include <string>
#include <unordered_set>

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

}  // namespace

std::string html_id(std::string_view s) {
  std::string out;
  for (const char c : s) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  }
  return out;
}

std::string org_chart_svg(const org::org_graph& org, index pd, const std::map<index, std::size_t>& flagged,
                          lang language) {
  const auto& units = org.units();
  const auto& positions = org.positions();
  std::unordered_set<index> here;
  const auto [first, last] = org.positions_under(pd);
  for (auto it = first; it != last; ++it) {
    if (units[positions[*it].unit].perangkat_daerah == pd) here.insert(*it);
  }
  if (here.empty()) return {};
  const std::string vacant = render_named("report.vacant", language);
  std::string dot =
      "digraph pd {\n"
      "  graph [rankdir=LR, nodesep=0.12, ranksep=0.5, fontname=\"DejaVu Sans\", bgcolor=\"transparent\"];\n"
      "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#5b6b7a\", fontname=\"DejaVu "
      "Sans\", fontsize=10, margin=\"0.12,0.06\"];\n"
      "  edge [color=\"#8a97a3\", arrowsize=0.6];\n";
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
      dot += ", class=\"jabatan\", tooltip=\"" + dot_escape(std::string(pos.id)) + "\"";
    }
    dot += "];\n";
  }
  for (const index p : here) {
    const index a = positions[p].atasan;
    if (a != none && here.count(a)) {
      dot += "  \"" + dot_escape(positions[a].id) + "\" -> \"" + dot_escape(positions[p].id) + "\";\n";
    }
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
  if (const auto at = svg.find("<svg"); at != std::string::npos) return svg.substr(at);
  return {};
}

}  // namespace perwal::report
