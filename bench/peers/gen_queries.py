#!/usr/bin/env python3
"""Deterministic query sets for the side-by-side peers (Python 3 stdlib only).

    gen_queries.py ORG.json N OUT_DIR [--seed S]

Writes OUT_DIR/queries.jsonl (perwal queries, docs/reference.md §3, one per line) and
OUT_DIR/facts.jsonl (the same queries as the Cedar and Cerbos harnesses see
them: the derived org facts each decision needs, see README.md "Derived
attributes"). Line i of both files is the same query. Nothing here decides a
query: the facts are read off the org graph, the rules live in the policies.

Query mix (about half each):
- kedudukan: FP/pelaksana positions against their current atasan (every
  structurally unusual one, i.e. whose atasan is not the head of a unit, is
  outside its Perangkat Daerah or holds a delegation, plus a random sample),
  and "what if" atasan: the kepala PD, a kepala bagian/bidang/sekretaris of
  another PD, a peer of the same unit, a delegate;
- penugasan by penunjukan across unit organisasi (Lampiran III huruf A
  angka 2): complete, complete with assigned_by, each step missing, wrong
  sender / addressee / copy / contents, wrong approver, recommender or issuer,
  refusal with and without reason, steps out of order, an extra step the
  workflow does not name, an assignee who is not FP/pelaksana.
"""
import argparse
import json
import os
import random
import sys

# Perangkat Daerah kinds (docs/reference.md §1; base ruleset `define perangkat_daerah`).
PD_KINDS = {
    "sekretariat_daerah", "sekretariat_dprd", "inspektorat", "dinas", "badan", "dpmptsp", "bpbd", "rsud",
    "kecamatan", "kelurahan", "uptd", "puskesmas", "satuan_pendidikan",
}
# Unit Organisasi kinds of Perwal Padang Panjang 48/2024 (Pasal 1 angka 11-12,
# Lampiran II angka I; the ruleset's `override define unit_organisasi`): a
# Perangkat Daerah itself, and these inner units when their PD is of the listed
# kinds.
UO_WITHIN = {
    "bagian": {"sekretariat_daerah", "sekretariat_dprd", "rsud"},
    "bidang": {"dinas", "badan", "bpbd", "dpmptsp", "rsud"},
    "sekretariat": {"inspektorat", "dinas", "badan", "bpbd", "dpmptsp"},
    "inspektur_pembantu": {"inspektorat"},
}
CONTENTS = ["maksud_tujuan", "kompetensi", "target_kinerja", "durasi"]


class Org:
    def __init__(self, doc):
        self.units = {u["id"]: u for u in doc["units"]}
        self.pos = {p["id"]: p for p in doc["positions"]}
        self.heads = {}  # position -> first unit it heads (as the engine: an acting head keeps the first)
        for u in doc["units"]:
            if u.get("head") and u["head"] not in self.heads:
                self.heads[u["head"]] = u["id"]
        # Delegations of the appraisal authority, by delegate.
        self.deleg = {}
        for d in doc.get("delegations") or []:
            if d.get("authority") == "penilai_kinerja":
                self.deleg.setdefault(d["to"], []).append(d["from"])
        self.pd, self.uo, self.inst = {}, {}, {}
        for uid in self.units:
            self._context(uid)
        self.by_pd = {}
        for p in doc["positions"]:
            self.by_pd.setdefault(self.pd.get(p["unit"]), []).append(p["id"])

    def _context(self, uid):
        if uid in self.pd:
            return
        u = self.units[uid]
        parent = u.get("parent")
        if parent:
            self._context(parent)
            self.inst[uid] = self.inst[parent]
            up_pd, up_uo = self.pd[parent], self.uo[parent]
        else:
            self.inst[uid] = uid  # the root unit stands for its instansi
            up_pd, up_uo = None, None
        kind = u["kind"]
        self.pd[uid] = uid if kind in PD_KINDS else up_pd
        if self.pd[uid] is None:
            self.uo[uid] = None
        elif self.pd[uid] == uid or (kind in UO_WITHIN and self.units[self.pd[uid]]["kind"] in UO_WITHIN[kind]):
            self.uo[uid] = uid
        else:
            self.uo[uid] = up_uo

    def uo_of(self, uid):
        return self.uo[uid] or uid

    def pimpinan(self, uid):
        return self.units[self.uo_of(uid)].get("head")

    def superiors(self, pid):
        out, cur = [], self.pos[pid].get("atasan")
        while cur and len(out) < 64:
            out.append(cur)
            cur = self.pos[cur].get("atasan")
        return out

    # --- facts ---------------------------------------------------------------
    def position_facts(self, pid):
        p = self.pos[pid]
        pd = self.pd.get(p["unit"])
        pd_head = self.units[pd].get("head") if pd else None
        dl = self.deleg.get(pid, [])
        if len(dl) > 1:
            sys.exit(f"gen_queries: {pid} receives {len(dl)} appraisal delegations; the peers model one")
        return {
            "id": pid,
            "kind": p["kind"],
            "jenis": p["jenis"],
            "is_head": pid in self.heads,
            "atasan": p.get("atasan"),
            "pd": pd,
            "pd_kind": self.units[pd]["kind"] if pd else None,
            "pd_head_jenis": self.pos[pd_head]["jenis"] if pd_head else None,
            "uo": self.uo_of(p["unit"]),
            "instansi": self.inst[p["unit"]],
            # Pejabat Penilai Kinerja: the atasan langsung (Pasal 1 angka 13; every
            # row of Lampiran II names the atasan as the appraiser).
            "penilai": p.get("atasan"),
            "pimpinan_unit": self.pimpinan(p["unit"]),
            "delegation_from": ({"id": dl[0], "kind": self.pos[dl[0]]["kind"], "jenis": self.pos[dl[0]]["jenis"]}
                                if dl else None),
        }


def normalise_steps(steps):
    """First occurrence of each action, with its place in the list; `from`
    stands in for a missing `by` and the other way round (docs/reference.md §3: a
    letter names its sender in `from`, other steps in `by`)."""
    out = {}
    for i, s in enumerate(steps):
        a = s["action"]
        if a in out:
            sys.exit("gen_queries: repeated actions are not modelled by the peers")
        actor = s.get("by") or s.get("from")
        out[a] = {
            "seq": i,
            "by": actor,
            "from": s.get("from") or s.get("by"),
            "to": s.get("to"),
            "cc": list(s.get("cc") or []),
            "contents": list(s.get("contents") or []),
            "has_reason": bool(s.get("reason")),
        }
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("org")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--planted", help="the JSON report of perwal gen-org: its sample_ids are queried first")
    args = ap.parse_args()
    with open(args.org, encoding="utf-8") as f:
        org = Org(json.load(f))
    rnd = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    fp = sorted(p for p, v in org.pos.items() if v["jenis"] in ("fungsional", "pelaksana") and v.get("atasan"))
    head_kinds = {"kepala_bagian", "sekretaris", "kepala_bidang", "inspektur_pembantu", "kepala_dinas", "direktur",
                  "camat", "lurah", "kepala_uptd", "kepala_puskesmas", "kepala_satuan_pendidikan"}
    by_kind = {}
    for pid in sorted(org.pos):
        by_kind.setdefault(org.pos[pid]["kind"], []).append(pid)
    delegates = sorted(org.deleg)

    queries, facts, labels = [], [], []

    def kedudukan(pid, atasan, label):
        q = {"type": "kedudukan", "position": pid}
        if atasan is not None:
            q["atasan"] = atasan
        a = atasan or org.pos[pid]["atasan"]
        af = org.position_facts(a)
        af["superiors"] = org.superiors(a)
        queries.append(q)
        facts.append({"type": "kedudukan", "position": org.position_facts(pid), "atasan": af,
                      "chain": [org.position_facts(x) for x in af["superiors"]]})
        labels.append(label)

    n_ked = args.n // 2
    if args.planted:
        with open(args.planted, encoding="utf-8") as f:
            sample = json.load(f).get("sample_ids", [])
        for p in sample:
            if p in org.pos and org.pos[p]["jenis"] in ("fungsional", "pelaksana") and org.pos[p].get("atasan"):
                kedudukan(p, None, "kedudukan.planted")
    unusual = [p for p in fp if org.pos[org.pos[p]["atasan"]]["kind"] not in head_kinds
               or org.pd.get(org.pos[org.pos[p]["atasan"]]["unit"]) != org.pd.get(org.pos[p]["unit"])
               or org.pos[p]["atasan"] in org.deleg]
    for p in unusual[: n_ked // 4]:
        if len(queries) >= n_ked:
            break
        kedudukan(p, None, "kedudukan.unusual")
    while len(queries) < n_ked:
        p = rnd.choice(fp)
        r = rnd.random()
        pd = org.pd.get(org.pos[p]["unit"])
        if r < 0.5:
            kedudukan(p, None, "kedudukan.current")
        elif r < 0.65 and pd and org.units[pd].get("head") and org.units[pd]["head"] != p:
            kedudukan(p, org.units[pd]["head"], "kedudukan.kepala_pd")
        elif r < 0.8:
            k = rnd.choice(["kepala_bagian", "kepala_bidang", "sekretaris"])
            if by_kind.get(k):
                kedudukan(p, rnd.choice(by_kind[k]), "kedudukan.other_pd_head")
        elif r < 0.95:
            peers = [x for x in org.by_pd.get(pd, []) if x != p]
            if peers:
                kedudukan(p, rnd.choice(peers), "kedudukan.same_pd_other")
        elif delegates:
            d = rnd.choice(delegates)
            if d != p:
                kedudukan(p, d, "kedudukan.delegate")

    # --- penugasan lintas unit organisasi -------------------------------------
    # Owner units: mostly a unit organisasi; also any unit inside a Perangkat
    # Daerah (a subbagian, seksi, tata usaha: its unit organisasi is above it),
    # and a unit of the assignee's own Perangkat Daerah (contract scope
    # lintas_unit rather than lintas_perangkat_daerah).
    uo_by_inst, units_by_inst, units_by_pd = {}, {}, {}
    for u in sorted(org.units):
        if not org.pd.get(u) or not org.pimpinan(u):
            continue
        units_by_inst.setdefault(org.inst[u], []).append(u)
        units_by_pd.setdefault(org.pd[u], []).append(u)
        if org.uo_of(u) == u:
            uo_by_inst.setdefault(org.inst[u], []).append(u)
    instansi = sorted(units_by_inst)
    non_fp = by_kind.get("kepala_subbagian", []) + by_kind.get("kepala_bidang", []) + by_kind.get("kepala_seksi", [])
    variants = ["complete", "complete_assigned_by", "no_permohonan", "no_persetujuan", "no_rekomendasi",
                "no_surat_penugasan", "no_cc", "cc_wrong", "contents_missing", "from_wrong", "to_kepala_pd",
                "persetujuan_wrong", "rekomendasi_wrong", "issuer_wrong", "assigned_by_wrong", "refused_reason",
                "refused_no_reason", "out_of_order", "extra_step", "subject_not_fp", "other_instansi"]
    weights = [6, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1 if len(instansi) > 1 else 0]
    tries = 0
    while len(queries) < args.n:
        tries += 1
        if tries > args.n * 50:
            sys.exit("gen_queries: could not find enough cross-unit assignments")
        v = rnd.choices(variants, weights)[0]
        a = rnd.choice(non_fp) if v == "subject_not_fp" and non_fp else rnd.choice(fp)
        af = org.position_facts(a)
        r = rnd.random()
        if v == "other_instansi":
            # Outside the encoded scope (lintas instansi, Lampiran III huruf A
            # angka 3) with the angka 2 steps: both sides must deny.
            owners = [u for i in instansi if i != af["instansi"] for u in units_by_inst[i]]
        elif r < 0.3:
            owners = units_by_pd.get(af["pd"], [])
        elif r < 0.5:
            owners = units_by_inst.get(af["instansi"], [])
        else:
            owners = uo_by_inst.get(af["instansi"], [])
        if not owners:
            continue
        owner = rnd.choice(owners)
        if org.uo_of(owner) == af["uo"] or not af["penilai"] or not af["pimpinan_unit"]:
            continue
        of_pim = org.pimpinan(owner)
        of_pim_penilai = org.pos[of_pim].get("atasan")
        if not of_pim_penilai:
            continue
        penilai, pimpinan = af["penilai"], af["pimpinan_unit"]
        kepala_pd = org.units[af["pd"]].get("head") if af["pd"] else None
        other = rnd.choice(org.by_pd.get(org.pd[owner], [of_pim]))
        letter = {"action": "surat_permohonan_pelibatan", "from": of_pim, "to": penilai, "cc": [of_pim_penilai],
                  "contents": list(CONTENTS)}
        steps = [letter, {"action": "persetujuan", "by": penilai}, {"action": "rekomendasi", "by": pimpinan},
                 {"action": "surat_penugasan", "by": penilai}]
        q = {"type": "penugasan", "mode": "penunjukan", "assignee": a, "owner_unit": owner}
        if v == "complete_assigned_by":
            q["assigned_by"] = penilai
        elif v == "no_permohonan":
            del steps[0]
        elif v == "no_persetujuan":
            del steps[1]
        elif v == "no_rekomendasi":
            del steps[2]
        elif v == "no_surat_penugasan":
            del steps[3]
        elif v == "no_cc":
            letter["cc"] = []
        elif v == "cc_wrong":
            letter["cc"] = [other]
        elif v == "contents_missing":
            letter["contents"].remove(rnd.choice(CONTENTS))
        elif v == "from_wrong":
            letter["from"] = other
        elif v == "to_kepala_pd" and kepala_pd:
            letter["to"] = kepala_pd
        elif v == "persetujuan_wrong" and kepala_pd:
            steps[1]["by"] = kepala_pd
        elif v == "rekomendasi_wrong":
            steps[2]["by"] = other
        elif v == "issuer_wrong":
            steps[3]["by"] = of_pim
        elif v == "assigned_by_wrong":
            q["assigned_by"] = of_pim
        elif v == "refused_reason":
            steps = [letter, {"action": "penolakan", "by": penilai, "reason": "target kinerja unit sendiri"}]
        elif v == "refused_no_reason":
            steps = [letter, {"action": "penolakan", "by": penilai}]
        elif v == "out_of_order":
            steps[1], steps[2] = steps[2], steps[1]
        elif v == "extra_step":
            steps.insert(2, {"action": "instruksi", "by": penilai, "to": a})
        q["steps"] = steps
        queries.append(q)
        ofacts = {"id": owner, "uo": org.uo_of(owner), "instansi": org.inst[owner],
                  "pimpinan_unit": org.position_facts(of_pim)}
        facts.append({"type": "penugasan", "mode": q["mode"], "owner": ofacts, "assignee": af,
                      "assigned_by": q.get("assigned_by"), "steps": normalise_steps(steps)})
        labels.append("penugasan." + v)

    with open(os.path.join(args.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, separators=(",", ":")) + "\n")
    with open(os.path.join(args.out, "facts.jsonl"), "w", encoding="utf-8") as f:
        for x in facts:
            f.write(json.dumps(x, separators=(",", ":")) + "\n")
    with open(os.path.join(args.out, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(labels) + "\n")
    print(f"{len(queries)} queries ({sum(1 for q in queries if q['type'] == 'kedudukan')} kedudukan)", file=sys.stderr)


if __name__ == "__main__":
    main()
