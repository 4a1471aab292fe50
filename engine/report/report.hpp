// An audit as a document an auditor hands over (`perwal report`,
// GET /v1/audit/report): first the report as data — every finding with the
// holder of the position, the rule, its article and the org path with
// titles, grouped per instansi and Perangkat Daerah — then renderers: a
// self-contained HTML page with an org chart per Perangkat Daerah (Graphviz),
// and an XLSX workbook. Nothing here evaluates a rule: the audit decision is
// the input.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/common/lang.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/decision.hpp"
#include "engine/org/org.hpp"

namespace perwal::report {

enum class finding_kind : std::uint8_t { violation, warning, needs };

struct holder {
  std::string nip, name;
  std::string sebagai;  // "", "plt", "plh"
};

// One step of a finding's org path: the node's id and what a reader calls it.
struct path_step {
  std::string id, title;
};

struct report_finding {
  std::size_t number = 0;  // 1-based, in the order listed; the HTML anchor is "temuan-<number>"
  finding_kind kind = finding_kind::violation;
  const rule_info* rule = nullptr;
  std::string message, hint;
  std::string quote;                  // the cited article's text, when the ruleset carries it
  std::vector<std::string> evidence;  // needs: the facts to provide
  std::vector<path_step> path;
  org::index position = org::none;  // the position the finding is about, if it is about one
  std::vector<holder> holders;
  org::index pd = org::none;        // its Perangkat Daerah (unit), if any
  org::index instansi = org::none;  // its instansi, if any
};

// Counts of one Perangkat Daerah (or of the part of an instansi outside any).
struct pd_summary {
  org::index unit = org::none;  // none: positions of the instansi outside every Perangkat Daerah
  std::string name;
  std::size_t positions = 0;  // Pejabat Fungsional and pelaksana: what a kedudukan audit checks
  std::size_t violations = 0, warnings = 0, needs = 0;
  std::map<std::string, std::size_t> by_article;  // violations and warnings per citation
  std::vector<std::size_t> findings;              // numbers of its findings
};

struct instansi_summary {
  org::index instansi = org::none;
  std::string name;
  std::size_t positions = 0, violations = 0, warnings = 0, needs = 0;
  std::vector<pd_summary> pds;
};

struct audit_report {
  lang language = lang::id;
  std::string ruleset_id, regulation, cite_as;  // the ruleset's id, title, short citation
  std::string org_name;                         // the instansi names
  std::string date;                             // YYYY-MM-DD the report was made
  std::string headline;                         // "N temuan pada M jabatan dari K yang diperiksa": what the audit found
  std::size_t checked = 0;                      // items the audit checked
  std::size_t violations = 0, warnings = 0, needs = 0;
  std::vector<std::pair<std::string, std::size_t>> by_article;  // violations and warnings, most first
  std::vector<instansi_summary> instansi;
  std::vector<report_finding> findings;
};

// The report of an audit decision on `org` under `rules`, its prose in `language`.
[[nodiscard]] audit_report build(const decision& audit, const compiled_ruleset& rules, const org::org_graph& org,
                                 lang language, std::string date);

// Today's date, YYYY-MM-DD (UTC).
[[nodiscard]] std::string today();

// ---- renderers -------------------------------------------------------------------

struct html_options {
  // Charts of at most this many positions each; a larger Perangkat Daerah is
  // listed without its chart (a chart of thousands of boxes helps nobody).
  std::size_t chart_max_positions = 400;
  // Draw charts only for Perangkat Daerah with findings (a province or the
  // nation: one chart per Perangkat Daerah that needs attention).
  bool charts_with_findings_only = false;
  // Draw of each chart only the positions with findings and their atasan up
  // to the head of the Perangkat Daerah, each atasan's other positions as a
  // count (a province with findings in a thousand Perangkat Daerah: a page
  // of 3 MB instead of 46).
  bool charts_around_findings = false;
  // List only the Perangkat Daerah with findings in the summary, the others
  // as one row per instansi (a province has thousands: schools, kelurahan;
  // the XLSX report lists each).
  bool summary_with_findings_only = false;
};

// An org id as an HTML/SVG id: letters, digits, '.', '-' and '_' kept (so
// "jabatan-<position id>" names the position), anything else '_'.
[[nodiscard]] std::string html_id(std::string_view s);

// The options for an org of this size: a province or the nation (over 5 000
// positions) gets a chart and a summary row only for each Perangkat Daerah
// with findings, each chart drawn around its findings.
[[nodiscard]] html_options html_options_for(const org::org_graph& org);

// The org chart of one Perangkat Daerah as SVG, laid out by Graphviz (dot):
// each position a box (title, holder), edges from atasan to position; the
// positions in `flagged` highlighted and linked to "#temuan-<number>". With
// `around_findings`, only the flagged positions and their atasan chains are
// boxes; the positions under a drawn atasan that are not drawn are one box
// "jabatan lain: N" (those under no drawn atasan, one box without a line).
// Empty when Graphviz fails (the caller says so in the page).
[[nodiscard]] std::string org_chart_svg(const org::org_graph& org, org::index pd,
                                        const std::map<org::index, std::size_t>& flagged, lang language,
                                        bool around_findings = false);

// A self-contained HTML page (no network: styles inline, charts inline SVG).
[[nodiscard]] std::string to_html(const audit_report& r, const org::org_graph& org, const html_options& o = {});

// An XLSX workbook with a summary sheet and a findings sheet. False (and
// `error`) when the file cannot be written.
[[nodiscard]] bool write_xlsx(const audit_report& r, const std::string& path, std::string& error);

// The Chromium that prints PDFs: $PERWAL_CHROMIUM, else the Debian
// package's; empty when there is none.
[[nodiscard]] std::string chromium_path();

// Why a PDF cannot be made here (no Chromium, or $PERWAL_CHROMIUM not
// runnable), in `language`; empty when it can. Asked before a long audit.
[[nodiscard]] std::string pdf_unavailable(lang language);

// The page printed to PDF by headless Chromium (its print CSS applies). False
// (and `error`, in `language`) when Chromium is missing or fails. One print at a
// time per process: a second call waits for the first.
[[nodiscard]] bool html_to_pdf(const std::string& html, const std::string& pdf_path, lang language, std::string& error);

}  // namespace perwal::report
