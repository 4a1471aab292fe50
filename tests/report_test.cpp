// The audit report (engine/report, `perwal report`, GET /v1/audit/report):
// the model holds every finding with its holder and article, the page is
// self-contained and highlights exactly the positions found wanting, the
// workbook reads back, and the command and the endpoint refuse bad requests.
#include "engine/report/report.hpp"

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
           {"--rules " + pp_rules + " --org no-such-org.json -o x", "no such file"}}) {
    INFO(bad);
    const auto [status, out] = shell(base + bad);
    CHECK(status == 2);
    CHECK_THAT(out, Catch::Contains(says));
  }
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
}
