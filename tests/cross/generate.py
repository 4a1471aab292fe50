#!/usr/bin/env python3
"""Generate the cross-regulation org (tests/cross/org.json).

One small org of a fictional city, "Kota Contoh", in docs/reference.md §1 canonical
codes only, so that it loads under every bundled ruleset; plus a neighbouring
instansi for cross-instansi queries. The cases in tests/cross/cases/ check
the same queries on this org against all four regulations.

    python3 tests/cross/generate.py
"""

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "fixtures", "common"))
from orgkit import OrgBuilder  # noqa: E402

b = OrgBuilder(random.Random(2022))
KC, KT = "kota-contoh", "kabupaten-tetangga"

# --- Kota Contoh ---------------------------------------------------------
b.instansi(KC, "Pemerintah Kota Contoh", "kc.sekda")
b.headed_unit("kc.pemda", "Pemerintah Kota Contoh", "pemerintah_daerah", None, "kc.walikota", "Wali Kota Contoh",
              "kepala_daerah", "kepala_daerah", None, instansi=KC)

# Sekretariat Daerah: Sekda > Asisten > Bagian (> Subbagian)
b.headed_unit("kc.setda", "Sekretariat Daerah", "sekretariat_daerah", "kc.pemda", "kc.sekda", "Sekretaris Daerah",
              "sekretaris_daerah", "jpt_pratama", "kc.walikota")
b.headed_unit("kc.setda.asisten-pem", "Asisten Pemerintahan dan Kesejahteraan Rakyat", "asisten", "kc.setda",
              "kc.asisten-pem", "Asisten Pemerintahan dan Kesejahteraan Rakyat", "asisten", "jpt_pratama", "kc.sekda")
b.headed_unit("kc.setda.bag-org", "Bagian Organisasi", "bagian", "kc.setda.asisten-pem", "kc.kabag-org",
              "Kepala Bagian Organisasi", "kepala_bagian", "administrator", "kc.asisten-pem")
b.headed_unit("kc.setda.bag-org.subbag-tl", "Subbagian Tata Laksana", "subbagian", "kc.setda.bag-org",
              "kc.kasubbag-tl", "Kepala Subbagian Tata Laksana", "kepala_subbagian", "pengawas", "kc.kabag-org")
b.headed_unit("kc.setda.bag-hukum", "Bagian Hukum", "bagian", "kc.setda.asisten-pem", "kc.kabag-hukum",
              "Kepala Bagian Hukum", "kepala_bagian", "administrator", "kc.asisten-pem")
b.staff("kc.setda", "kc.setda.bag-org", "kc.kabag-org", [("analis", 3), ("pelaksana", 2)])
b.staff("kc.setda", "kc.setda.bag-hukum", "kc.kabag-hukum", [("perancang-pu", 2), ("pelaksana", 1)])

# Sekretariat DPRD
b.headed_unit("kc.setwan", "Sekretariat DPRD", "sekretariat_dprd", "kc.pemda", "kc.sekwan", "Sekretaris DPRD",
              "sekretaris_dprd", "jpt_pratama", "kc.walikota")
b.headed_unit("kc.setwan.bag-umum", "Bagian Umum dan Keuangan", "bagian", "kc.setwan", "kc.setwan.kabag-umum",
              "Kepala Bagian Umum dan Keuangan", "kepala_bagian", "administrator", "kc.sekwan")
b.staff("kc.setwan", "kc.setwan.bag-umum", "kc.setwan.kabag-umum", [("analis-keuangan", 2), ("pelaksana", 1)])

# Inspektorat
b.headed_unit("kc.inspektorat", "Inspektorat", "inspektorat", "kc.pemda", "kc.inspektur", "Inspektur",
              "inspektur", "jpt_pratama", "kc.walikota")
b.headed_unit("kc.inspektorat.sekretariat", "Sekretariat Inspektorat", "sekretariat", "kc.inspektorat",
              "kc.inspektorat.sekretaris", "Sekretaris Inspektorat", "sekretaris", "administrator", "kc.inspektur")
b.headed_unit("kc.inspektorat.irban-1", "Inspektur Pembantu Wilayah I", "inspektur_pembantu", "kc.inspektorat",
              "kc.irban-1", "Inspektur Pembantu Wilayah I", "inspektur_pembantu", "administrator", "kc.inspektur")
b.staff("kc.inspektorat", "kc.inspektorat.irban-1", "kc.irban-1", [("auditor", 3), ("ppupd", 1)])
b.staff("kc.inspektorat", "kc.inspektorat.sekretariat", "kc.inspektorat.sekretaris", [("perencana", 1),
                                                                                        ("pelaksana", 1)])


def dinas(ns, name, kind, head_kind, head_title, bidang, plan_sekr, plan_bidang, tags=None):
    """A dinas/badan: head, sekretariat with a subbagian, bidang with staff under the kepala bidang."""
    b.headed_unit(ns, name, kind, "kc.pemda", ns + ".kadis", head_title, head_kind, "jpt_pratama", "kc.walikota",
                  tags=tags)
    b.headed_unit(ns + ".sekretariat", "Sekretariat", "sekretariat", ns, ns + ".sekretaris", "Sekretaris",
                  "sekretaris", "administrator", ns + ".kadis")
    b.headed_unit(ns + ".sekretariat.subbag-umum", "Subbagian Umum dan Kepegawaian", "subbagian",
                  ns + ".sekretariat", ns + ".kasubbag-umum", "Kepala Subbagian Umum dan Kepegawaian",
                  "kepala_subbagian", "pengawas", ns + ".sekretaris")
    b.staff(ns, ns + ".sekretariat", ns + ".sekretaris", plan_sekr)
    for slug, title in bidang:
        b.headed_unit(ns + "." + slug, title, "bidang", ns, ns + ".kabid-" + slug, "Kepala " + title,
                      "kepala_bidang", "administrator", ns + ".kadis")
        b.staff(ns, ns + "." + slug, ns + ".kabid-" + slug, plan_bidang)


dinas("kc.dinkes", "Dinas Kesehatan", "dinas", "kepala_dinas", "Kepala Dinas Kesehatan",
      [("p2p", "Bidang Pencegahan dan Pengendalian Penyakit"), ("yankes", "Bidang Pelayanan Kesehatan")],
      [("perencana", 1), ("pelaksana", 2)], [("epidemiolog", 2), ("sanitarian", 1), ("pelaksana", 1)])
dinas("kc.dispupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", "kepala_dinas",
      "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", [("bina-marga", "Bidang Bina Marga")],
      [("perencana", 1), ("pelaksana", 1)], [("teknik-jalan", 2), ("pelaksana", 1)])
dinas("kc.bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", "kepala_badan",
      "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", [("mutasi", "Bidang Mutasi dan Promosi")],
      [("perencana", 1), ("pelaksana", 1)], [("analis-sdm", 2), ("pranata-sdm", 1)], tags=["urusan:kepegawaian"])
dinas("kc.kesbangpol", "Badan Kesatuan Bangsa dan Politik", "badan", "kepala_badan",
      "Kepala Badan Kesatuan Bangsa dan Politik", [("ideologi", "Bidang Ideologi dan Wawasan Kebangsaan")],
      [("pelaksana", 1)], [("analis", 2), ("pelaksana", 1)], tags=["urusan:kesatuan-bangsa-politik"])
dinas("kc.dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dpmptsp", "kepala_dinas",
      "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", [("perizinan", "Bidang Perizinan")],
      [("pelaksana", 1)], [("analis", 1), ("pelaksana", 2)])
dinas("kc.bpbd", "Badan Penanggulangan Bencana Daerah", "bpbd", "kepala_pelaksana",
      "Kepala Pelaksana Badan Penanggulangan Bencana Daerah", [("darlog", "Bidang Kedaruratan dan Logistik")],
      [("pelaksana", 1)], [("penata-pb", 2), ("pelaksana", 1)])

# Puskesmas (led by a Pejabat Fungsional) and a UPTD led by a Pengawas, under the Dinas Kesehatan
b.headed_unit("kc.pkm-kota", "Puskesmas Kota", "puskesmas", "kc.dinkes", "kc.kapus-kota", "Kepala Puskesmas Kota",
              "kepala_puskesmas", "fungsional", "kc.dinkes.kadis", jenjang="ahli_muda")
b.staff("kc.pkm", "kc.pkm-kota", "kc.kapus-kota", [("dokter", 1), ("perawat", 2), ("bidan", 1), ("pelaksana", 1)])
b.headed_unit("kc.uptd-labkes", "UPTD Laboratorium Kesehatan", "uptd", "kc.dinkes", "kc.kepala-labkes",
              "Kepala UPTD Laboratorium Kesehatan", "kepala_uptd", "pengawas", "kc.dinkes.kadis")
b.headed_unit("kc.uptd-labkes.tu", "Subbagian Tata Usaha", "tata_usaha", "kc.uptd-labkes", "kc.katu-labkes",
              "Kepala Subbagian Tata Usaha", "kepala_tata_usaha", "pengawas", "kc.kepala-labkes")
b.staff("kc.labkes", "kc.uptd-labkes", "kc.kepala-labkes", [("pranata-lab", 2), ("pelaksana", 1)])

# RSUD: direktur > wakil direktur > bidang
b.headed_unit("kc.rsud", "Rumah Sakit Umum Daerah", "rsud", "kc.pemda", "kc.direktur", "Direktur RSUD", "direktur",
              "jpt_pratama", "kc.walikota")
b.headed_unit("kc.rsud.wadir-yan", "Wakil Direktur Pelayanan", "wakil_direktur", "kc.rsud", "kc.wadir-yan",
              "Wakil Direktur Pelayanan", "wakil_direktur", "administrator", "kc.direktur")
b.headed_unit("kc.rsud.bid-yanmed", "Bidang Pelayanan Medik", "bidang", "kc.rsud.wadir-yan", "kc.rsud.kabid-yanmed",
              "Kepala Bidang Pelayanan Medik", "kepala_bidang", "administrator", "kc.wadir-yan")
b.staff("kc.rsud", "kc.rsud.bid-yanmed", "kc.rsud.kabid-yanmed", [("dokter", 1), ("perawat", 2), ("pelaksana", 1)])

# Kecamatan and Kelurahan
b.headed_unit("kc.kec-tengah", "Kecamatan Tengah", "kecamatan", "kc.pemda", "kc.camat-tengah", "Camat Tengah",
              "camat", "administrator", "kc.walikota")
b.headed_unit("kc.kec-tengah.sekretariat", "Sekretariat Kecamatan", "sekretariat", "kc.kec-tengah",
              "kc.sekcam-tengah", "Sekretaris Kecamatan Tengah", "sekretaris", "administrator", "kc.camat-tengah")
b.headed_unit("kc.kec-tengah.seksi-pem", "Seksi Pemerintahan", "seksi", "kc.kec-tengah", "kc.kasi-pem-tengah",
              "Kepala Seksi Pemerintahan", "kepala_seksi", "pengawas", "kc.camat-tengah")
b.staff("kc.kec-tengah", "kc.kec-tengah", "kc.camat-tengah", [("psm", 1), ("pelaksana", 2)])
b.headed_unit("kc.kel-pasar", "Kelurahan Pasar", "kelurahan", "kc.kec-tengah", "kc.lurah-pasar", "Lurah Pasar",
              "lurah", "pengawas", "kc.camat-tengah")
b.headed_unit("kc.kel-pasar.seksi-pem", "Seksi Pemerintahan", "seksi", "kc.kel-pasar", "kc.kasi-pem-pasar",
              "Kepala Seksi Pemerintahan Kelurahan Pasar", "kepala_seksi", "pengawas", "kc.lurah-pasar")
b.staff("kc.kel-pasar", "kc.kel-pasar", "kc.lurah-pasar", [("psm", 1), ("pelaksana", 2)])

# Satuan pendidikan under the Dinas Pendidikan (led by a guru)
dinas("kc.disdik", "Dinas Pendidikan dan Kebudayaan", "dinas", "kepala_dinas", "Kepala Dinas Pendidikan dan Kebudayaan",
      [("pembinaan-sd", "Bidang Pembinaan Sekolah Dasar")], [("pelaksana", 1)], [("pengawas-sekolah", 1),
                                                                                  ("pelaksana", 1)])
b.headed_unit("kc.sdn-1", "SD Negeri 1 Kota Contoh", "satuan_pendidikan", "kc.disdik", "kc.kepsek-sdn-1",
              "Kepala SD Negeri 1", "kepala_satuan_pendidikan", "fungsional", "kc.disdik.kadis", jenjang="ahli_muda")
b.staff("kc.sdn-1", "kc.sdn-1", "kc.kepsek-sdn-1", [("guru", 3), ("pelaksana", 1)])

# A Pejabat Fungsional holding a delegated appraisal authority (a koordinator)
b.delegation("kc.dinkes.kabid-p2p", "kc.dinkes.epidemiolog-1", "Keputusan Kepala Dinas Kesehatan Nomor 800/17/2025")

# --- Kabupaten Tetangga (cross-instansi) -----------------------------------
b.instansi(KT, "Pemerintah Kabupaten Tetangga", "kt.sekda")
b.headed_unit("kt.pemda", "Pemerintah Kabupaten Tetangga", "pemerintah_daerah", None, "kt.bupati",
              "Bupati Tetangga", "kepala_daerah", "kepala_daerah", None, instansi=KT)
b.headed_unit("kt.setda", "Sekretariat Daerah", "sekretariat_daerah", "kt.pemda", "kt.sekda", "Sekretaris Daerah",
              "sekretaris_daerah", "jpt_pratama", "kt.bupati")
b.headed_unit("kt.dinkes", "Dinas Kesehatan", "dinas", "kt.pemda", "kt.dinkes.kadis", "Kepala Dinas Kesehatan",
              "kepala_dinas", "jpt_pratama", "kt.bupati")
b.headed_unit("kt.dinkes.p2p", "Bidang Pencegahan dan Pengendalian Penyakit", "bidang", "kt.dinkes",
              "kt.dinkes.kabid-p2p", "Kepala Bidang Pencegahan dan Pengendalian Penyakit", "kepala_bidang",
              "administrator", "kt.dinkes.kadis")
b.staff("kt.dinkes", "kt.dinkes.p2p", "kt.dinkes.kabid-p2p", [("epidemiolog", 2)])

# A UPTD led by a Pejabat Fungsional (a medik veteriner), under the Dinas PUPR's
# neighbour in this small city: its head sits under the Kepala Dinas, outside
# the unit it leads.
b.headed_unit("kc.uptd-keswan", "UPTD Pusat Kesehatan Hewan", "uptd", "kc.dispupr", "kc.kepala-keswan",
              "Kepala UPTD Pusat Kesehatan Hewan", "kepala_uptd", "fungsional", "kc.dispupr.kadis",
              jenjang="ahli_muda")
b.add_staff("kc.keswan", "paramedik-veteriner", "kc.uptd-keswan", "kc.kepala-keswan", jenjang="terampil")

# Teams: one inside a bidang, one across units with its ketua from another unit
b.team("kc.tim-dbd", "Tim Penanggulangan Demam Berdarah", "kc.dinkes.p2p", "kc.dinkes.kabid-p2p",
       "kc.dinkes.epidemiolog-1", ["kc.dinkes.epidemiolog-2", "kc.dinkes.sanitarian-1"],
       {"sasaran": "Menurunnya kasus DBD", "indikator": "Incidence rate DBD", "nilai": 10})
b.team("kc.tim-rb", "Tim Reformasi Birokrasi", "kc.setda.bag-org", "kc.kabag-org", "kc.dinkes.perencana-1",
       ["kc.setda.analis-1", "kc.setda.analis-2", "kc.bkpsdm.analis-sdm-1"],
       {"sasaran": "Meningkatnya indeks RB", "indikator": "Indeks RB", "nilai": 75})

b.fill_employees(vacant={"kc.setda.pelaksana-2"})
b.write(os.path.join(HERE, "org.json"))
print("wrote tests/cross/org.json: %d units, %d positions" % (len(b.doc["units"]), len(b.doc["positions"])))
