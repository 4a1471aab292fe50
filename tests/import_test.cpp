// engine/import: the CSV reader (quotes, line breaks, BOM, `;`, CRLF,
// encodings), the XLSX reader and writer, the mapping, the dictionary's
// inference, and rows refused with their sheet, row and column.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/compile/ruleset.hpp"
#include "engine/import/importer.hpp"
#include "test_support.hpp"

namespace imp = perwal::import;

namespace {

const perwal::compiled_ruleset& base_rules() {
  static const auto rules = [] {
    perwal::diagnostics d;
    auto r = perwal::compile_ruleset(perwal::testing::source_dir() / "rulesets/permenpanrb-7-2022.perwal", d);
    REQUIRE(r != nullptr);
    return r;
  }();
  return *rules;
}

const imp::dictionary& bundled_dictionary() {
  static const auto d = imp::read_dictionary(
      perwal::testing::slurp(perwal::testing::source_dir() / "data/import-dictionary.json"), "import-dictionary.json");
  return d;
}

imp::result import_csv(const std::string& text, const imp::mapping& m = imp::default_mapping()) {
  return imp::import_sheets({imp::read_csv(text, "t.csv")}, m, bundled_dictionary(), base_rules().vocab);
}

std::vector<std::string> lines(const imp::result& r, perwal::language l) {
  std::vector<std::string> out;
  for (const auto& p : r.refused) out.push_back(p.line(l));
  return out;
}

const std::string siasn_header =
    "NIP,NAMA,JABATAN,JENIS_JABATAN,ESELON,JENJANG,UNIT_KERJA,UNIT_INDUK,NIP_ATASAN,INSTANSI\n";
const std::string siasn_top =
    "197001091994011017,Wali,Wali Kota Contoh,,,,Pemerintah Kota Contoh,,,Pemerintah Kota Contoh\n"
    "196712271993011884,Sekda,Sekretaris Daerah,Struktural,I.b,,Sekretariat Daerah,,197001091994011017,Pemerintah "
    "Kota Contoh\n";

}  // namespace

TEST_CASE("CSV: quotes, doubled quotes, line breaks inside quotes, BOM, CRLF", "[import][csv]") {
  const auto s =
      imp::read_csv("\xEF\xBB\xBFNIP,NAMA\r\n1,\"Ani, S.H.\"\r\n2,\"Budi \"\"B\"\"\"\r\n3,\"two\nlines\"\r\n", "a.csv");
  REQUIRE(s.header == std::vector<std::string>{"NIP", "NAMA"});  // the BOM is not part of NIP
  REQUIRE(s.rows.size() == 3);
  CHECK(s.rows[0].cells[1] == "Ani, S.H.");
  CHECK(s.rows[1].cells[1] == "Budi \"B\"");
  CHECK(s.rows[2].cells[1] == "two\nlines");
  CHECK(s.rows[2].number == 4);  // the header is row 1
}

TEST_CASE("CSV: `;` as Indonesian Excel writes it, tabs, blank lines skipped", "[import][csv]") {
  const auto s = imp::read_csv("NIP;NAMA;GAJI\n1;Ani;1.500,50\n\n2;Budi;\"3,5\"\n", "a.csv");
  REQUIRE(s.header.size() == 3);
  REQUIRE(s.rows.size() == 2);
  CHECK(s.rows[0].cells[2] == "1.500,50");  // the decimal comma stays in its cell
  CHECK(s.rows[1].number == 4);             // the blank line 3 is not a row, but counts
  const auto t = imp::read_csv("A\tB\nx\ty\n", "t.tsv");
  CHECK(t.rows.at(0).cells == std::vector<std::string>{"x", "y"});
}

TEST_CASE("CSV: Windows-1252 text is converted to UTF-8", "[import][csv]") {
  const auto s = imp::read_csv("NAMA\nJos\xE9 \x93Ucok\x94\n", "a.csv");
  CHECK(s.rows.at(0).cells[0] == "Jos\xC3\xA9 \xE2\x80\x9CUcok\xE2\x80\x9D");
}

TEST_CASE("CSV: an unterminated quote is an error naming the row", "[import][csv]") {
  try {
    (void)imp::read_csv("NIP,NAMA\n1,\"Ani\n2,Budi\n", "bad.csv");
    FAIL("expected a read_error");
  } catch (const imp::read_error& e) {
    CHECK(std::string(e.what()).rfind("bad.csv: row 2: ", 0) == 0);
    CHECK(e.id_text.rfind("bad.csv: baris 2: ", 0) == 0);
  }
}

TEST_CASE("CSV: fields written by export are read back unchanged", "[import][csv]") {
  const std::vector<std::string> values = {"plain", "a,b", "a;b", "say \"hi\"", "two\r\nlines", " padded ", ""};
  std::string text = "V\n";
  for (const auto& v : values) text += imp::csv_field(v) + "\n";
  const auto s = imp::read_csv(text, "x.csv");
  REQUIRE(s.rows.size() == values.size() - 1);  // the empty last value is a blank row
  for (std::size_t i = 0; i + 1 < values.size(); ++i) CHECK(s.rows[i].cells[0] == values[i]);
}

TEST_CASE("XLSX: what write_xlsx writes, read_xlsx reads (shared strings, empty cells)", "[import][xlsx]") {
  const auto path = std::filesystem::temp_directory_path() / ("perwal-import-" + std::to_string(::getpid()) + ".xlsx");
  imp::write_xlsx(path.string(), "Pegawai", {"NIP", "NAMA", "CATATAN"},
                  {{"199001012015031001", "Ani \"A\"", ""}, {"199001012015031002", "", "baris\nkedua"}});
  const auto sheets = imp::read_xlsx(path.string());
  std::filesystem::remove(path);
  REQUIRE(sheets.size() == 1);
  CHECK(sheets[0].name == "Pegawai");
  CHECK(sheets[0].label() == path.string() + " [Pegawai]");
  REQUIRE(sheets[0].rows.size() == 2);
  CHECK(sheets[0].rows[0].cells[0] == "199001012015031001");
  CHECK(sheets[0].rows[0].cells[1] == "Ani \"A\"");
  CHECK(sheets[0].rows[1].cells.at(2) == "baris\nkedua");
  CHECK(sheets[0].rows[1].number == 3);
}

TEST_CASE("XLSX: a file that is not a workbook is a clear error", "[import][xlsx]") {
  const auto path =
      std::filesystem::temp_directory_path() / ("perwal-import-bad-" + std::to_string(::getpid()) + ".xlsx");
  std::ofstream(path) << "NIP,NAMA\n";
  CHECK_THROWS_WITH(imp::read_xlsx(path.string()), Catch::Contains("not an XLSX workbook"));
  std::filesystem::remove(path);
}

TEST_CASE("column letters", "[import]") {
  CHECK(imp::column_letter(0) == "A");
  CHECK(imp::column_letter(25) == "Z");
  CHECK(imp::column_letter(26) == "AA");
  CHECK(imp::column_letter(701) == "ZZ");
}

TEST_CASE("mapping: a file renames columns; unknown fields and wrong types are errors", "[import][mapping]") {
  const auto m = imp::read_mapping(
      R"({"schema": "perwal-import-mapping/1", "columns": {"nip": "NIP PEGAWAI", "title": ["NAMA JABATAN", "JAB"]}})",
      "m.json");
  CHECK(m.headers[static_cast<std::size_t>(imp::field::nip)] == std::vector<std::string>{"NIP PEGAWAI"});
  CHECK(m.headers[static_cast<std::size_t>(imp::field::unit)].front() == "UNIT_KERJA");  // kept from the default
  CHECK_THROWS_WITH(imp::read_mapping(R"({"schema": "perwal-import-mapping/1", "columns": {"nipp": "X"}})", "m.json"),
                    Catch::Contains("m.json: columns.nipp: unknown field"));
  CHECK_THROWS_WITH(imp::read_mapping(R"({"schema": "perwal-import-mapping/1", "columns": {"nip": 3}})", "m.json"),
                    Catch::Contains("columns.nip: expected a header name"));
  CHECK_THROWS_WITH(imp::read_mapping(R"({"columns": {}})", "m.json"), Catch::Contains("perwal-import-mapping/1"));
  CHECK_THROWS_WITH(imp::read_mapping("{", "m.json"), Catch::Contains("m.json:1:2: invalid JSON"));
}

TEST_CASE("mapping: headers match ignoring case, spaces and underscores", "[import][mapping]") {
  const auto r = import_csv(
      "Nip,Nama Pegawai,Jabatan,Jenis Jabatan,Eselon,Unit Kerja,Instansi\n"
      "197001091994011017,Wali,Wali Kota Contoh,,,Pemerintah Kota Contoh,Pemerintah Kota Contoh\n");
  CHECK(r.refused.empty());
  REQUIRE(r.org.employees.size() == 1);
  CHECK(r.org.employees[0].name == "Wali");
}

TEST_CASE("dictionary: kinds, jenis and jenjang inferred from titles, eselon and unit names", "[import][dictionary]") {
  const auto r = import_csv(
      siasn_header + siasn_top +
      "197501012000031001,Kadis,Kepala Dinas Kesehatan,Struktural,II.b,,Dinas Kesehatan,,196712271993011884,Pemerintah "
      "Kota Contoh\n"
      "197601012001031002,Kabid,Kepala Bidang P2P,Struktural,III.b,,Bidang P2P,Dinas Kesehatan,197501012000031001,"
      "Pemerintah Kota Contoh\n"
      "198801012010012003,Ani,Epidemiolog Kesehatan Ahli Muda,Fungsional,,,Bidang P2P,Dinas "
      "Kesehatan,197601012001031002,Pemerintah Kota Contoh\n");
  INFO(imp::report_text(r, perwal::language::en));
  REQUIRE(r.refused.empty());
  REQUIRE(r.org.positions.size() == 5);
  const auto& kabid = r.org.positions[3];
  CHECK(kabid.kind == "kepala_bidang");
  CHECK(kabid.jenis == "administrator");
  CHECK(kabid.atasan == std::optional<std::string>("197501012000031001"));  // an atasan by NIP stays a NIP
  const auto& ani = r.org.positions[4];
  CHECK(ani.kind == "fungsional");
  CHECK(ani.jenjang == std::optional<std::string>("ahli_muda"));  // from the title: JENJANG was empty
  // units: the instansi's root made from INSTANSI, Bidang under its UNIT_INDUK
  REQUIRE(r.org.units.size() == 4);
  CHECK(r.org.units[0].kind == "pemerintah_daerah");
  const auto bidang =
      std::find_if(r.org.units.begin(), r.org.units.end(), [](const auto& u) { return u.name == "Bidang P2P"; });
  REQUIRE(bidang != r.org.units.end());
  CHECK(bidang->kind == "bidang");
  CHECK(bidang->parent == std::optional<std::string>("dinas-kesehatan"));
  CHECK(bidang->head == std::optional<std::string>(kabid.id));  // the one structural position in it
  // every inference listed, with its row
  const auto report = imp::report_text(r, perwal::language::en);
  CHECK_THAT(report,
             Catch::Contains("unit_kind: \"Dinas Kesehatan\" -> dinas  [name prefix \"Dinas\"]  1 time: t.csv row 4"));
  CHECK_THAT(report, Catch::Contains("jenjang: \"Epidemiolog Kesehatan Ahli Muda\" -> ahli_muda"));
  CHECK_THAT(report, Catch::Contains("jenis: \"III.b\" -> administrator  [eselon equals \"III.b\"]"));
  CHECK_THAT(report, Catch::Contains("head: \"Bidang P2P\" -> Kepala Bidang P2P"));
  // and the org is valid
  auto copy = r;
  CHECK(imp::validate(copy, base_rules().vocab, base_rules().shape, false));
}

TEST_CASE("dictionary: a cell that holds a code is taken as given, not inferred", "[import][dictionary]") {
  const auto r = import_csv(
      "ID_UNIT_KERJA,UNIT_KERJA,JENIS_UNIT,ID_INSTANSI\nx.pemda,Kota X,pemerintah_daerah,x\n"
      "x.dinas,Kantor Serba Guna,dinas,\n");
  CHECK(r.org.units.at(1).kind == "dinas");
  for (const auto& i : r.inferences) CHECK(i.input != "Kantor Serba Guna");
}

TEST_CASE("dictionary: entries are checked when read", "[import][dictionary]") {
  CHECK_THROWS_WITH(
      imp::read_dictionary(R"({"schema": "perwal-import-dictionary/1", "jenis": [{"code": "x"}]})", "d.json"),
      Catch::Contains("d.json: jenis[0]: expected"));
  CHECK_THROWS_WITH(
      imp::read_dictionary(
          R"({"schema": "perwal-import-dictionary/1", "jenis": [{"prefix": "A", "code": "x", "from": "nama"}]})",
          "d.json"),
      Catch::Contains("jenis[0].from"));
  const auto d = imp::read_dictionary(
      R"({"schema": "perwal-import-dictionary/1", "unit_kind": [{"contains": "Kantor", "code": "badan"}]})", "d.json");
  REQUIRE(d.unit_kind.size() == 1);
  CHECK(d.unit_kind[0].from == "name");
  CHECK(d.unit_kind[0].match == imp::dictionary_entry::how::contains);
}

TEST_CASE("bad rows are refused with sheet, row and column, in both languages", "[import][errors]") {
  const auto r = import_csv(
      siasn_header + siasn_top +
      "197501012000031001,X,Penjaga Menara,Struktural,,,Dinas Kesehatan,,196712271993011884,Pemerintah Kota Contoh\n"
      "197501012000031002,Y,Analis Ahli Muda,Fungsional,,,,,196712271993011884,Pemerintah Kota Contoh\n"
      "1.97501E+17,Z,Pengadministrasi Umum,Pelaksana,,,Dinas Kesehatan,,196712271993011884,Pemerintah Kota Contoh\n"
      "197501012000031004,W,Pengadministrasi Umum,Pelaksana,,,Dinas Kesehatan,,199999999999999999,Pemerintah Kota "
      "Contoh\n"
      "197501012000031005,V,Pengadministrasi Umum,Pelaksana,,,Kantor Misteri,,196712271993011884,Pemerintah Kota "
      "Contoh\n");
  const auto en = lines(r, perwal::language::en);
  const auto id = lines(r, perwal::language::id);
  INFO(imp::report_text(r, perwal::language::en));
  REQUIRE(en.size() == 6);
  CHECK(en[0] ==
        "t.csv: row 4, column JENIS_JABATAN (D): cannot infer the jenis of \"Struktural\": add an entry to the "
        "dictionary or fill JENIS_JABATAN/ESELON with a code");
  CHECK(id[0] ==
        "t.csv: baris 4, kolom JENIS_JABATAN (D): jenis untuk \"Struktural\" tidak dapat disimpulkan: tambahkan "
        "entri kamus atau isi JENIS_JABATAN/ESELON dengan kode");
  CHECK(en[1] == "t.csv: row 5, column UNIT_KERJA (G): the row names no unit: fill UNIT_KERJA or ID_UNIT_KERJA");
  CHECK(en[2] ==
        "t.csv: row 6, column NIP (A): NIP 1.97501E+17 was stored as a number and lost digits: format the NIP "
        "column as text and export again");
  CHECK(en[3] ==
        "t.csv: row 8, column UNIT_KERJA (G): cannot infer the unit_kind of \"Kantor Misteri\": add an entry to "
        "the dictionary or fill JENIS_UNIT with a code");
  CHECK(en[4] ==
        "t.csv: row 7, column NIP_ATASAN (I): NIP_ATASAN 199999999999999999 belongs to no employee in the data");
  // the position in the refused unit says why
  CHECK(en[5] == "t.csv: row 8, column JABATAN (C): its unit \"kantor-misteri\" was refused (row 8)");
  // nothing silently dropped: every data row is placed or refused
  CHECK(r.rows_read == 7);
  CHECK(r.org.positions.size() == 2);
}

TEST_CASE("a unit stated differently on two rows is a conflict naming both values", "[import][errors]") {
  const auto r = import_csv(
      "ID_UNIT_KERJA,UNIT_KERJA,JENIS_UNIT,ID_UNIT_INDUK,ID_INSTANSI\n"
      "x.pemda,Kota X,pemerintah_daerah,,x\n"
      "x.d,Dinas A,dinas,x.pemda,\n"
      "x.d,Dinas A,badan,x.pemda,\n");
  REQUIRE(r.refused.size() == 1);
  CHECK(r.refused[0].line(perwal::language::en) ==
        "t.csv: row 4, column JENIS_UNIT (C): unit x.d already has JENIS_UNIT \"dinas\" from an earlier row, not "
        "\"badan\"");
}

TEST_CASE("a sheet without any mapped column is reported, not skipped", "[import][errors]") {
  const auto r = import_csv("FOO,BAR\n1,2\n3,4\n");
  REQUIRE(r.refused.size() == 1);
  CHECK(r.refused[0]
            .line(perwal::language::en)
            .rfind("t.csv: no column of the mapping found in this sheet (2 rows not read)", 0) == 0);
}

TEST_CASE("validate: the org validator's errors go back to rows; --keep-going takes them out", "[import][errors]") {
  const auto r = import_csv(
      "ID_UNIT_KERJA,UNIT_KERJA,JENIS_UNIT,ID_UNIT_INDUK,ID_INSTANSI,ID_JABATAN,JABATAN,KODE_JABATAN,JENIS_JABATAN,"
      "ID_ATASAN\n"
      "x.pemda,Kota X,pemerintah_daerah,,x,x.wk,Wali Kota X,kepala_daerah,kepala_daerah,\n"
      "x.pemda,,,,,x.p1,Pelaksana,pelaksana,pelaksana,x.nobody\n"
      "x.pemda,,,,,x.p2,Pelaksana,pelaksana,pelaksana,x.wk\n");
  REQUIRE(r.refused.empty());
  auto strict = r;
  CHECK_FALSE(imp::validate(strict, base_rules().vocab, base_rules().shape, false));
  REQUIRE(strict.refused.size() == 1);
  CHECK(strict.refused[0].line(perwal::language::en) ==
        "t.csv: row 3, column ID_JABATAN (F) → atasan: no position \"x.nobody\"");
  CHECK(strict.org.positions.size() == 3);  // only reported
  auto lenient = r;
  CHECK(imp::validate(lenient, base_rules().vocab, base_rules().shape, true));
  CHECK(lenient.refused.size() == 1);
  CHECK(lenient.org.positions.size() == 2);  // x.p1 taken out, the rest valid
}

TEST_CASE("separate sheets of units, positions and employees make one org", "[import][sheets]") {
  const auto units = imp::read_csv(
      "ID_UNIT_KERJA;UNIT_KERJA;ID_UNIT_INDUK;ID_INSTANSI;INSTANSI\n"
      "x.pemda;Pemerintah Kota X;;x;Pemerintah Kota X\n"
      "x.dinkes;Dinas Kesehatan;x.pemda;;\n",
      "unit.csv");
  const auto positions = imp::read_csv(
      "ID_JABATAN;JABATAN;JENIS_JABATAN;ESELON;ID_UNIT_KERJA;NIP_ATASAN\n"
      "x.wk;Wali Kota X;;;x.pemda;\n"
      "x.kadis;Kepala Dinas Kesehatan;Struktural;II.b;x.dinkes;196501011990031001\n"
      "x.hilang;Pelaksana;Pelaksana;;x.nowhere;196501011990031001\n",
      "jabatan.csv");
  const auto employees = imp::read_csv(
      "NIP;NAMA;ID_JABATAN\n"
      "196501011990031001;Wali;x.wk\n"
      "197501012000031001;Kadis;x.kadis\n"
      "198001012005011001;Siapa;x.hilang\n",
      "pegawai.csv");
  auto r = imp::import_sheets({units, positions, employees}, imp::default_mapping(), bundled_dictionary(),
                              base_rules().vocab);
  INFO(imp::report_text(r, perwal::language::en));
  REQUIRE(r.org.units.size() == 2);
  CHECK(r.org.units[1].kind == "dinas");
  CHECK(r.org.units[1].head == std::optional<std::string>("x.kadis"));
  CHECK(r.org.positions.at(1).atasan == std::optional<std::string>("196501011990031001"));
  CHECK(imp::validate(r, base_rules().vocab, base_rules().shape, false));  // what was placed is a valid org
  std::vector<std::string> got;
  for (const auto& p : r.refused) got.push_back(p.line(perwal::language::en));
  REQUIRE(got.size() == 3);
  CHECK(got[0] ==
        "jabatan.csv: row 4, column ID_UNIT_KERJA (E): no unit \"x.nowhere\" in the data (a row of units "
        "should state its name and kind)");
  CHECK(r.org.positions.size() == 2);
  CHECK(r.org.employees.size() == 2);  // Siapa's position went, so did Siapa (listed on Siapa's row)
  CHECK(
      std::any_of(got.begin(), got.end(), [](const auto& l) { return l.rfind("pegawai.csv: row 4, column", 0) == 0; }));
}

TEST_CASE("a NIP not of the national form is placed, with a warning at its row", "[import][errors]") {
  auto r =
      import_csv("NIP,NAMA,JABATAN,UNIT_KERJA,INSTANSI\n12,Wali,Wali Kota X,Pemerintah Kota X,Pemerintah Kota X\n");
  REQUIRE(r.refused.empty());
  CHECK(imp::validate(r, base_rules().vocab, base_rules().shape, false));
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].line(perwal::language::id) ==
        "t.csv: baris 2, kolom NIP (A): NIP \"12\" tidak berbentuk nasional: 18 angka");
  CHECK_THAT(imp::report_text(r, perwal::language::en),
             Catch::Contains("Warnings:\n  t.csv: row 2, column NIP (A): NIP"));
}
