// The report as a workbook (report.hpp): a summary sheet (per instansi and
// Perangkat Daerah, then per article) and a findings sheet, one row each,
// through libxlsxwriter (Debian). Numbers are numbers, so a sheet can sum them.
#include <xlsxwriter.h>

#include "engine/common/diagnostic.hpp"
#include "engine/report/report.hpp"

namespace perwal::report {

namespace {

std::string label(std::string_view key, lang l) {
  return render_named(std::string("report.") + std::string(key), l);
}

std::string kind_word(finding_kind k, lang l) {
  return label(k == finding_kind::violation ? "kind-violation"
               : k == finding_kind::warning ? "kind-warning"
                                            : "kind-needs",
               l);
}

}  // namespace

bool write_xlsx(const audit_report& r, const std::string& path, std::string& error) {
  const lang l = r.language;
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) {
    error = path + ": " + label("xlsx-cannot-write", l);
    return false;
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_error err = LXW_NO_ERROR;
  const auto text = [&](lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& s,
                        lxw_format* f = nullptr) {
    if (err == LXW_NO_ERROR && !s.empty()) err = worksheet_write_string(ws, row, col, s.c_str(), f);
  };
  const auto number = [&](lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::size_t n) {
    if (err == LXW_NO_ERROR) err = worksheet_write_number(ws, row, col, static_cast<double>(n), nullptr);
  };

  lxw_worksheet* sum = workbook_add_worksheet(wb, label("sheet-summary", l).c_str());
  lxw_worksheet* fs = workbook_add_worksheet(wb, label("sheet-findings", l).c_str());
  if (sum == nullptr || fs == nullptr) err = LXW_ERROR_MEMORY_MALLOC_FAILED;

  // Summary: the header lines, then one row per Perangkat Daerah, then per article.
  lxw_row_t row = 0;
  if (err == LXW_NO_ERROR) {
    worksheet_set_column(sum, 0, 0, 48, nullptr);
    worksheet_set_column(sum, 1, 5, 16, nullptr);
    text(sum, row++, 0, label("title", l), bold);
    text(sum, row++, 0, r.org_name);
    text(sum, row++, 0, r.regulation + " (" + r.cite_as + ")");
    text(sum, row++, 0, label("date", l) + ": " + r.date);
    text(sum, row++, 0, r.headline, bold);
    ++row;
    const std::vector<std::string> head{label("instansi", l),   label("pd", l),       label("positions-checked", l),
                                        label("violations", l), label("warnings", l), label("needs", l)};
    for (std::size_t c = 0; c < head.size(); ++c) text(sum, row, static_cast<lxw_col_t>(c), head[c], bold);
    ++row;
    for (const auto& in : r.instansi) {
      for (const auto& pd : in.pds) {
        text(sum, row, 0, in.name);
        text(sum, row, 1, pd.name);
        number(sum, row, 2, pd.positions);
        number(sum, row, 3, pd.violations);
        number(sum, row, 4, pd.warnings);
        number(sum, row, 5, pd.needs);
        ++row;
      }
    }
    ++row;
    text(sum, row, 0, label("article", l), bold);
    text(sum, row, 1, label("findings", l), bold);
    ++row;
    for (const auto& [article, n] : r.by_article) {
      text(sum, row, 0, article);
      number(sum, row, 1, n);
      ++row;
    }
  }

  // Findings: one row each.
  if (err == LXW_NO_ERROR) {
    const std::vector<std::pair<std::string, double>> head{{label("number", l), 6},    {label("kind", l), 16},
                                                           {label("instansi", l), 24}, {label("pd", l), 28},
                                                           {label("position", l), 36}, {label("position-id", l), 28},
                                                           {label("holder", l), 28},   {"NIP", 20},
                                                           {label("rule", l), 34},     {label("strength", l), 12},
                                                           {label("article", l), 44},  {label("finding", l), 60},
                                                           {label("org-path", l), 50}, {label("fix", l), 60},
                                                           {label("evidence", l), 30}, {label("quote", l), 60}};
    for (std::size_t c = 0; c < head.size(); ++c) {
      worksheet_set_column(fs, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), head[c].second, nullptr);
      text(fs, 0, static_cast<lxw_col_t>(c), head[c].first, bold);
    }
    worksheet_freeze_panes(fs, 1, 0);
    std::map<org::index, std::string> instansi_name, pd_name;
    for (const auto& in : r.instansi) {
      instansi_name[in.instansi] = in.name;
      for (const auto& p : in.pds) {
        if (p.unit != org::none) pd_name[p.unit] = p.name;
      }
    }
    lxw_row_t at = 1;
    for (const auto& f : r.findings) {
      std::string holder, nip, org_path, evidence, inst, pd, title, id;
      for (const auto& h : f.holders) {
        holder += (holder.empty() ? "" : "; ") + h.name + (h.sebagai.empty() ? "" : " (" + h.sebagai + ")");
        nip += (nip.empty() ? "" : "; ") + h.nip;
      }
      for (const auto& s : f.path) {
        org_path += (org_path.empty() ? "" : " → ") + (s.title.empty() ? s.id : s.title + " (" + s.id + ")");
      }
      for (const auto& e : f.evidence) evidence += (evidence.empty() ? "" : ", ") + e;
      if (const auto i = instansi_name.find(f.instansi); i != instansi_name.end()) inst = i->second;
      if (const auto p = pd_name.find(f.pd); p != pd_name.end()) pd = p->second;
      number(fs, at, 0, f.number);
      text(fs, at, 1, kind_word(f.kind, l));
      text(fs, at, 2, inst);
      text(fs, at, 3, pd);
      if (!f.path.empty() && f.position != org::none) {
        title = f.path.front().title;
        id = f.path.front().id;
      }
      text(fs, at, 4, title);
      text(fs, at, 5, id);
      text(fs, at, 6, holder);
      text(fs, at, 7, nip);
      text(fs, at, 8, f.rule->name);
      text(fs, at, 9, std::string(strength_name(f.rule->level)));
      text(fs, at, 10, f.rule->citation);
      text(fs, at, 11, f.message, wrap);
      text(fs, at, 12, org_path, wrap);
      text(fs, at, 13, f.hint, wrap);
      text(fs, at, 14, evidence);
      text(fs, at, 15, f.quote, wrap);
      ++at;
    }
    if (err == LXW_NO_ERROR && at > 1) err = worksheet_autofilter(fs, 0, 0, at - 1, 15);
  }
  const lxw_error closed = workbook_close(wb);
  if (err == LXW_NO_ERROR) err = closed;
  if (err != LXW_NO_ERROR) {
    error = path + ": " + label("xlsx-cannot-write", l) + ": " + lxw_strerror(err);
    return false;
  }
  return true;
}

}  // namespace perwal::report
