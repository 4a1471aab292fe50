// The audit report (engine/report, `perwal report`, GET /v1/audit/report):
// the model holds every finding with its holder and article, the page is
// self-contained and highlights exactly the positions found wanting, the
// workbook reads back, and the command and the endpoint refuse bad requests.
#include "engine/report/report.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "engine/eval/evaluator.hpp"
#include "engine/import/sheet.hpp"
#include "server_support.hpp"

namespace {

namespace report = perwal::report;

struct pp_audit {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  std::shared_ptr<const perwal::org::org_graph> org;
  perwal::decision d;
  pp_audit() {
    perwal::diagnostics diags;
    rules = perwal::compile_ruleset(repo(pp_rules), diags, {{repo("rulesets")}, nullptr});
    REQUIRE(rules);
    org = perwal::org::org_graph::load_file(repo(pp_org).string(), rules->vocab, rules->shape, diags);
    REQUIRE(org);
    d = perwal::evaluator(rules, org, false).audit();
  }
};

const pp_audit& audit() {
  static const pp_audit a;
  return a;
}

// The position ids of the findings (violations and warnings) that are about a position.
std::set<std::string> wanting_positions(const report::audit_report& r, const perwal::org::org_graph& org) {
  std::set<std::string> out;
  for (const auto& f : r.findings) {
    if (f.kind != report::finding_kind::needs && f.position != perwal::org::none)
      out.insert(std::string(org.positions()[f.position].id));
  }
  return out;
}

std::set<std::string> matches(const std::string& text, const std::string& pattern) {
  std::set<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

}  // namespace

TEST_CASE("report: every finding with its holder, article and path; counts add up", "[report]") {
  const auto& a = audit();
  const auto r = report::build(a.d, *a.rules, *a.org, perwal::lang::id, "2026-12-05");
  REQUIRE(r.findings.size() == a.d.violations.size() + a.d.warnings.size() + a.d.needs.size());
  REQUIRE(!r.findings.empty());
  CHECK(r.checked == a.d.checked.value_or(0));
  CHECK(r.headline == perwal::audit_headline(a.d, perwal::lang::id));
  CHECK_THAT(r.headline, Catch::Matches(R"(\d+ temuan pada \d+ jabatan dari \d+ yang diperiksa.*)"));
  std::size_t with_holder = 0;
  for (const auto& f : r.findings) {
    INFO(f.rule->name);
    CHECK(f.rule->citation.find("Padang Panjang 48/2024") != std::string::npos);
    // The article's words, from the regulation's text the ruleset names.
    CHECK(!f.quote.empty());
    CHECK(f.quote == perwal::quote_of(*a.rules, *f.rule));
    CHECK(!f.message.empty());
    CHECK(!f.path.empty());
    for (const auto& s : f.path) CHECK(!s.id.empty());
    if (f.position != perwal::org::none) {
      if (f.path.front().id == std::string(a.org->positions()[f.position].id))  // (a delegation's path starts at it)
        CHECK(f.path.front().title == std::string(a.org->positions()[f.position].title));
      // The holder named is the one the org records for that position.
      const auto e = a.org->employee_of(f.position);
      if (e != perwal::org::none) {
        REQUIRE(!f.holders.empty());
        CHECK(f.holders.front().nip == std::string(a.org->employees()[e].nip));
        ++with_holder;
      }
    }
  }
  CHECK(with_holder > 0);
  // Per Perangkat Daerah, per instansi and per article, the counts add up to the audit's.
  std::size_t violations = 0, warnings = 0, needs = 0, positions = 0, listed = 0;
  for (const auto& in : r.instansi) {
    std::size_t v = 0, p = 0;
    for (const auto& pd : in.pds) {
      v += pd.violations;
      p += pd.positions;
      listed += pd.findings.size();
    }
    CHECK(v == in.violations);
    CHECK(p == in.positions);
    violations += in.violations;
    warnings += in.warnings;
    needs += in.needs;
    positions += in.positions;
  }
  CHECK(violations == a.d.violations.size());
  CHECK(warnings == a.d.warnings.size());
  CHECK(needs == a.d.needs.size());
  CHECK(listed == r.findings.size());
  std::size_t fp_pelaksana = 0;
  for (const auto& p : a.org->positions()) {
    fp_pelaksana += (p.jenis == a.rules->known.fungsional || p.jenis == a.rules->known.pelaksana) ? 1 : 0;
  }
  CHECK(positions == fp_pelaksana);
  std::size_t by_article = 0;
  for (const auto& [article, n] : r.by_article) by_article += n;
  CHECK(by_article == a.d.violations.size() + a.d.warnings.size());
}

TEST_CASE("report: the page is self-contained and highlights exactly the positions found wanting", "[report]") {
  const auto& a = audit();
  const auto r = report::build(a.d, *a.rules, *a.org, perwal::lang::id, "2026-12-05");
  const auto html = report::to_html(r, *a.org);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<html lang=\"id\">") != std::string::npos);
  CHECK(html.find("Laporan Audit Sistem Kerja") != std::string::npos);
  CHECK(html.find("<time>2026-12-05</time>") != std::string::npos);
  // Nothing is fetched: every src or href points inside the page.
  CHECK(matches(html, R"re((?:src|href)="([^#"][^"]*)")re").empty());
  CHECK(html.find("<script") == std::string::npos);
  for (const auto& f : r.findings) {
    INFO(f.number);
    CHECK(html.find("id=\"temuan-" + std::to_string(f.number) + "\"") != std::string::npos);
  }
  // The highlighted boxes of the charts are the positions with violations or warnings.
  // (Graphviz writes '-' in ids as "&#45;")
  const auto highlighted = matches(std::regex_replace(html, std::regex("&#45;"), "-"),
                                   R"re(<g id="jabatan-([^"]+)" class="node jabatan melanggar")re");
  CHECK(!highlighted.empty());
  CHECK(highlighted == wanting_positions(r, *a.org));
  // Each highlighted box links to a finding about it.
  for (const auto& link : matches(html, R"re(xlink:href="#(temuan-\d+)")re"))
    CHECK(html.find("id=\"" + link + "\"") != std::string::npos);
  // The same report in English.
  const auto en = report::to_html(report::build(a.d, *a.rules, *a.org, perwal::lang::en, "2026-12-05"), *a.org);
  CHECK(en.find("<html lang=\"en\">") != std::string::npos);
  CHECK(en.find("Sistem Kerja audit report") != std::string::npos);
  CHECK(en.find("Laporan Audit") == std::string::npos);
}

TEST_CASE("report: charts only where needed for a large org, none beyond the size a page can hold", "[report]") {
  const auto& a = audit();
  const auto r = report::build(a.d, *a.rules, *a.org, perwal::lang::id, "2026-12-05");
  report::html_options only_findings;
  only_findings.charts_with_findings_only = true;
  const auto html = report::to_html(r, *a.org, only_findings);
  std::set<perwal::org::index> with_findings;
  for (const auto& f : r.findings) {
    if (f.pd != perwal::org::none) with_findings.insert(f.pd);
  }
  const auto charts = matches(html, R"re(<section class="pd" id="(pd-[^"]+)")re");
  CHECK(charts.size() <= with_findings.size());
  report::html_options tiny;
  tiny.chart_max_positions = 0;
  const auto none_drawn = report::to_html(r, *a.org, tiny);
  CHECK(none_drawn.find("<svg") == std::string::npos);
  CHECK(none_drawn.find("terlalu besar") != std::string::npos);
}

TEST_CASE(
    "report: charts slimmed for a page of hundreds; a large org's summary lists the Perangkat Daerah "
    "with findings",
    "[report]") {
  const auto& a = audit();
  auto r = report::build(a.d, *a.rules, *a.org, perwal::lang::id, "2026-12-05");
  const auto html = report::to_html(r, *a.org);
  // Graphviz's comments, edge titles, per-text fonts, rounded-box paths and
  // arrowheads are not in the page (they doubled a province's report).
  const auto svg_at = html.find("<svg");
  REQUIRE(svg_at != std::string::npos);
  const std::string charts = html.substr(svg_at);
  CHECK(charts.find("<!--") == std::string::npos);
  CHECK(charts.find("font-family=") == std::string::npos);
  CHECK(charts.find("class=\"edge\">\n<title>") == std::string::npos);
  CHECK(charts.find("class=\"edge\">") != std::string::npos);
  const auto boxes = matches(charts, R"re(<g id="(jabatan[^"]+)" class="node)re").size();
  std::size_t polygons = 0;
  for (auto at = charts.find("<polygon "); at != std::string::npos; at = charts.find("<polygon ", at + 1)) ++polygons;
  CHECK(boxes > 1000);
  CHECK(polygons >= boxes);  // a box is a polygon (the graph's background is one more)
  // The city's page with a chart for each of its Perangkat Daerah: 1.3 MB
  // measured; 3 MB before the charts were slimmed.
  CHECK(html.size() < 2'000'000);

  // A province's summary: the Perangkat Daerah with findings, the others in one row per instansi.
  report::html_options large;
  large.summary_with_findings_only = true;
  const auto folded = report::to_html(r, *a.org, large);
  const auto section = folded.substr(0, folded.find("<section id=\"temuan\">"));
  std::size_t with_findings = 0, without = 0, positions_without = 0;
  for (const auto& in : r.instansi) {
    for (const auto& pd : in.pds) {
      if (pd.findings.empty()) {
        ++without;
        positions_without += pd.positions;
      } else {
        ++with_findings;
        CHECK(section.find(">" + pd.name + "<") != std::string::npos);
      }
    }
  }
  REQUIRE(with_findings > 0);
  REQUIRE(without > 0);
  const std::regex fold_row(
      R"re(<tr class="tanpa-temuan"><td>(\d+) Perangkat Daerah lain tanpa temuan[^<]*</td><td class="n">(\d+)</td>)re");
  std::size_t folded_rows = 0, folded_pds = 0, folded_positions = 0;
  for (auto it = std::sregex_iterator(section.begin(), section.end(), fold_row); it != std::sregex_iterator(); ++it) {
    ++folded_rows;
    folded_pds += std::stoul((*it)[1]);
    folded_positions += std::stoul((*it)[2]);
  }
  CHECK(folded_rows >= 1);
  CHECK(folded_rows <= r.instansi.size());
  CHECK(folded_pds == without);
  CHECK(folded_positions == positions_without);
  CHECK(std::count(section.begin(), section.end(), '\n') < std::count(html.begin(), html.end(), '\n'));
  CHECK(report::html_options_for(*a.org).summary_with_findings_only == false);  // a city: every row

  // The cited article's text, when the ruleset carries it, under the article (escaped).
  CHECK(html.find("<blockquote>") != std::string::npos);
  for (auto& f : r.findings) f.quote.clear();
  const auto unquoted = report::to_html(r, *a.org);
  CHECK(unquoted.find("<blockquote>") == std::string::npos);
  r.findings.front().quote = "Pejabat Fungsional <berkedudukan> di bawah & bertanggung jawab";
  const auto quoted = report::to_html(r, *a.org);
  CHECK(quoted.find("<blockquote>Pejabat Fungsional &lt;berkedudukan&gt; di bawah &amp; bertanggung "
                    "jawab</blockquote>") != std::string::npos);
}

TEST_CASE("report: a chart taller than a page is printed as strips of it that cover it, each a page high", "[report]") {
  const auto& a = audit();
  const auto r = report::build(a.d, *a.rules, *a.org, perwal::lang::id, "2026-12-05");
  const auto html = report::to_html(r, *a.org);
  const std::regex size_re(R"re(<svg width="([\d.]+)pt" height="([\d.]+)pt")re");
  const std::regex strip_re(
      R"re(<svg width="([\d.]+)pt" height="([\d.]+)pt" viewBox="0 ([\d.]+) ([\d.]+) ([\d.]+)"><use href="#([^"]+)"/></svg>)re");
  std::size_t tall = 0, short_ = 0;
  // (sections found by hand: std::regex recurses per character and a chart's section is 100 KB)
  const std::string open = "<section class=\"pd\" id=\"pd-";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto id_end = html.find('"', at + open.size());
    const std::string pd = html.substr(at + open.size(), id_end - at - open.size());
    const std::string body = html.substr(id_end, html.find("</section>", id_end) - id_end);
    INFO(pd);
    std::smatch size;
    if (!std::regex_search(body, size, size_re)) continue;  // listed without a chart
    const double width = std::stod(size[1]), height = std::stod(size[2]);
    const double scale = std::min(1.0, 515.0 / width);
    if (height * scale <= 700.0) {
      ++short_;
      CHECK(body.find("potongan") == std::string::npos);
      continue;
    }
    ++tall;
    // The whole chart for the screen, its group named for the strips.
    REQUIRE(body.find("<div class=\"utuh\">") != std::string::npos);
    CHECK(body.find("<g id=\"bagan-pd-") == std::string::npos);
    CHECK(body.find("<g id=\"bagan-" + pd + "\"") != std::string::npos);
    double covered = 0;
    std::size_t strips = 0;
    for (auto s = std::sregex_iterator(body.begin(), body.end(), strip_re); s != std::sregex_iterator(); ++s) {
      ++strips;
      CHECK((*s)[6] == "bagan-" + pd);
      const double top = std::stod((*s)[3]), h = std::stod((*s)[5]);
      CHECK(std::stod((*s)[4]) == Approx(width).margin(0.1));
      CHECK(top <= covered + 0.1);               // no gap between strips (they overlap)
      CHECK(h * scale <= 700.0 + 0.5);           // each fits on a page
      CHECK(std::stod((*s)[2]) <= 700.0 + 0.5);  // and says so in points
      covered = std::max(covered, top + h);
    }
    CHECK(strips >= 2);
    CHECK(covered == Approx(height).margin(0.1));  // down to the chart's end
  }
  CHECK(tall > 5);    // Sekretariat Daerah, the dinas, the puskesmas: taller than a page
  CHECK(short_ > 5);  // a kelurahan: on one page
}

TEST_CASE("report: a large org's charts drawn around the findings: their atasan up to the head, the rest counted",
          "[report]") {
  const auto& a = audit();
  const auto& org = *a.org;
  const auto r = report::build(a.d, *a.rules, org, perwal::lang::id, "2026-12-05");
  report::html_options around;
  around.charts_with_findings_only = around.charts_around_findings = true;
  const auto html = std::regex_replace(report::to_html(r, org, around), std::regex("&#45;"), "-");
  CHECK(html.find("kotak bergaris putus-putus") != std::string::npos);
  // The expected boxes per Perangkat Daerah: the positions found wanting and
  // their atasan while inside it.
  std::map<std::string, std::set<std::string>> expected;  // pd id -> position ids
  std::map<std::string, std::size_t> in_pd;               // pd id -> positions
  const auto pd_of = [&](perwal::org::index p) { return org.units()[org.positions()[p].unit].perangkat_daerah; };
  for (perwal::org::index p = 0; p < org.positions().size(); ++p) {
    if (const auto pd = pd_of(p); pd != perwal::org::none) ++in_pd[std::string(org.units()[pd].id)];
  }
  for (const auto& f : r.findings) {
    if (f.kind == report::finding_kind::needs || f.position == perwal::org::none || f.pd == perwal::org::none) continue;
    auto& boxes = expected[std::string(org.units()[f.pd].id)];
    for (auto q = f.position; q != perwal::org::none && pd_of(q) == f.pd; q = org.positions()[q].atasan)
      boxes.insert(std::string(org.positions()[q].id));
  }
  REQUIRE(!expected.empty());
  std::size_t sections = 0;
  const std::regex section_re(R"re(<section class="pd" id="pd-([^"]+)">([\s\S]*?)</section>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), section_re); it != std::sregex_iterator(); ++it) {
    ++sections;
    const std::string pd = (*it)[1], body = (*it)[2];
    INFO(pd);
    REQUIRE(expected.count(pd));
    CHECK(matches(body, R"re(<g id="jabatan-([^"]+)" class="node jabatan)re") == expected[pd]);
    std::size_t counted = 0;
    const std::regex others(R"re(>jabatan lain: (\d+)<)re");
    for (auto o = std::sregex_iterator(body.begin(), body.end(), others); o != std::sregex_iterator(); ++o)
      counted += std::stoul((*o)[1]);
    // Every position of the Perangkat Daerah is a box or counted once.
    CHECK(expected[pd].size() + counted == in_pd[pd]);
  }
  CHECK(sections == expected.size());
  const auto whole = report::to_html(r, org);
  CHECK(html.size() * 5 < whole.size());  // measured: 0.06 MB against 1.3 MB
}

TEST_CASE("report: the workbook has a summary and a findings sheet that read back", "[report]") {
  const auto& a = audit();
  const auto r = report::build(a.d, *a.rules, *a.org, perwal::lang::id, "2026-12-05");
  temp_dir dir;
  const auto path = (dir.path / "laporan.xlsx").string();
  std::string error;
  REQUIRE(report::write_xlsx(r, path, error));
  const auto sheets = perwal::import::read_xlsx(path);
  REQUIRE(sheets.size() == 2);
  CHECK(sheets[0].name == "Ringkasan");
  CHECK(sheets[1].name == "Temuan");
  REQUIRE(sheets[1].rows.size() == r.findings.size());
  const auto& head = sheets[1].header;
  const auto col = [&](const std::string& name) {
    const auto it = std::find(head.begin(), head.end(), name);
    REQUIRE(it != head.end());
    return static_cast<std::size_t>(it - head.begin());
  };
  const auto rule = col("Aturan"), nip = col("NIP"), article = col("Pasal");
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const auto& cells = sheets[1].rows[i].cells;
    CHECK(cells.at(rule) == r.findings[i].rule->name);
    CHECK(cells.at(article) == r.findings[i].rule->citation);
    if (!r.findings[i].holders.empty()) CHECK(cells.at(nip) == r.findings[i].holders.front().nip);
  }
  // The summary sheet: one row per Perangkat Daerah with its counts, as numbers.
  std::size_t pd_rows = 0, listed = 0;
  for (const auto& in : r.instansi) {
    for (const auto& pd : in.pds) {
      ++pd_rows;
      const auto row = std::find_if(sheets[0].rows.begin(), sheets[0].rows.end(), [&](const auto& x) {
        return x.cells.size() >= 6 && x.cells[0] == in.name && x.cells[1] == pd.name;
      });
      REQUIRE(row != sheets[0].rows.end());
      CHECK(row->cells[2] == std::to_string(pd.positions));
      CHECK(row->cells[3] == std::to_string(pd.violations));
      CHECK(row->cells[5] == std::to_string(pd.needs));
      ++listed;
    }
  }
  CHECK(listed == pd_rows);
  CHECK(pd_rows > 10);
  // The quote column, when a finding carries the article's text.
  auto quoted = r;
  quoted.findings.front().quote = "bunyi pasal";
  REQUIRE(report::write_xlsx(quoted, path, error));
  const auto again = perwal::import::read_xlsx(path);
  CHECK(again[1].rows.front().cells.at(col("Bunyi pasal")) == "bunyi pasal");
  CHECK_FALSE(report::write_xlsx(r, (dir.path / "no-such-folder" / "x.xlsx").string(), error));
  CHECK(!error.empty());
}

TEST_CASE("perwal report: a document written, bad requests refused with exit 2", "[report][cli]") {
  temp_dir dir;
  const std::string base = "cd '" + perwal::testing::source_dir().string() + "' && '" PERWAL_BINARY "' report ";
  const std::string args = "--rules " + pp_rules + " --org " + pp_org + " --date 2026-12-05";
  const auto html = dir.path / "laporan.html";
  const auto [ok, said] = shell(base + args + " -o '" + html.string() + "'");
  CHECK(ok == 0);  // written, whatever the audit found
  CHECK_THAT(said, Catch::Contains("temuan pada"));
  CHECK(fs::file_size(html) > 10000);
  const auto xlsx = dir.path / "laporan.xlsx";
  CHECK(shell(base + args + " --format xlsx --lang en -o '" + xlsx.string() + "'").first == 0);
  CHECK(perwal::import::read_xlsx(xlsx.string()).at(1).name == "Findings");
  // Usage errors: one line and a pointer to --help, exit 2.
  for (const auto& [bad, says] : std::vector<std::pair<std::string, std::string>>{
           {args, "report needs --rules, --org and -o"},
           {args + " --format docx -o x", "--format must be html, pdf or xlsx"},
           {"--rules " + pp_rules + " --org " + pp_org + " --date 2026-02-30 -o x", "--date must be a date YYYY-MM-DD"},
           {"--rules " + pp_rules + " --org no-such-org.json -o x", "no such file"},
           // PDF without Chromium: said, exit 2, no file written.
           {"--format pdf " + args + " -o '" + (dir.path / "x.pdf").string() + "'",
            "PDF memerlukan Chromium (paket Debian chromium); tidak ditemukan: /no/such/chromium"}}) {
    INFO(bad);
    const auto [status, out] = shell("export PERWAL_CHROMIUM=/no/such/chromium; " + base + bad);
    CHECK(status == 2);
    CHECK_THAT(out, Catch::Contains(says));
  }
  CHECK_FALSE(fs::exists(dir.path / "x.pdf"));
}

TEST_CASE("serve: GET /v1/audit/report returns the document, logs the audit, refuses a bad format",
          "[report][server]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  const auto html = c.Get("/v1/audit/report");
  REQUIRE(html);
  CHECK(html->status == 200);
  CHECK(html->get_header_value("Content-Type").rfind("text/html", 0) == 0);
  CHECK(html->body.find("Laporan Audit Sistem Kerja") != std::string::npos);
  const auto id = html->get_header_value("X-Perwal-Decision-Id");
  REQUIRE(!id.empty());
  CHECK(parse(c.Get(("/v1/decisions/" + id).c_str())).dump().find("\"audit\"") != std::string::npos);
  const auto en = c.Get("/v1/audit/report?lang=en");
  REQUIRE(en);
  CHECK(en->body.find("Sistem Kerja audit report") != std::string::npos);
  const auto xlsx = c.Get("/v1/audit/report?format=xlsx");
  REQUIRE(xlsx);
  CHECK(xlsx->status == 200);
  CHECK(xlsx->body.rfind("PK", 0) == 0);  // a zip archive
  expect_error(c.Get("/v1/audit/report?format=docx"), 400, "bad_format", "format must be html, xlsx or pdf");
  expect_error(c.Get("/v1/audit/report?org=nope"), 404, "unknown_org", "unknown org");
  // A PDF through the Chromium the tests install (tests/browser checks its pages).
  const auto pdf = c.Get("/v1/audit/report?format=pdf&lang=en");
  REQUIRE(pdf);
  CHECK(pdf->status == 200);
  CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
  CHECK(pdf->body.rfind("%PDF-", 0) == 0);
  CHECK(pdf->body.size() > 50'000);
}

TEST_CASE("serve: GET /v1/audit/report?format=pdf without Chromium is a JSON error, the server keeps serving",
          "[report][server]") {
  temp_dir dir;
  server_process server(dir.path, pp_args(), {"PERWAL_CHROMIUM=/no/such/chromium"});
  auto c = server.client();
  expect_error(c.Get("/v1/audit/report?format=pdf"), 503, "report_unavailable",
               "PDF needs Chromium (the Debian package chromium); it was not found: /no/such/chromium");
  expect_error(c.Get("/v1/audit/report?format=pdf&lang=id"), 503, "report_unavailable",
               "PDF memerlukan Chromium (paket Debian chromium); tidak ditemukan: /no/such/chromium");
  const auto html = c.Get("/v1/audit/report");
  REQUIRE(html);
  CHECK(html->status == 200);
}
