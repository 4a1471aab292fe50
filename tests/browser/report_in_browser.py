#!/usr/bin/env python3
"""The Padang Panjang audit report in a real browser (headless Chromium).

usage: report_in_browser.py PERWAL REPO WORKDIR

Writes the report with `perwal report`, loads it in Chromium and checks the
DOM Chromium built: every finding of the audit is present, the boxes the
charts highlight are exactly the positions found wanting, the page logged no
console error and loaded nothing from outside; the same for a generated city
of 10 000 positions, whose charts are drawn around its findings. Takes a
screenshot of the first, prints it to PDF through `perwal report --format pdf`
and checks its page count.
Fails (never skips) when Chromium or pdfinfo is missing: scripts/install-deps.sh
installs them for the tests.
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
RULES = "rulesets/padang-panjang-48-2024.perwal"
ORG = "fixtures/padang-panjang/org.json"
PDF_PAGES = (20, 400)  # a city: summary, findings, a chart per Perangkat Daerah


def fail(message):
    print("report_in_browser: FAIL: " + message)
    sys.exit(1)


def run(args, cwd, **kw):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, **kw)


class Dom(html.parser.HTMLParser):
    """What the test reads off the DOM: findings, highlighted boxes, outside addresses."""

    def __init__(self):
        super().__init__()
        self.findings = {}      # id -> data-jabatan (or None)
        self.highlighted = set()
        self.outside = []       # src/href not inside the page
        self.ids = set()
        self.uses = []          # the targets of <use>: the printed strips of tall charts

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "use":
            self.uses.append((a.get("href") or a.get("xlink:href") or "").lstrip("#"))
        if tag == "article" and "temuan" in classes:
            self.findings[a.get("id")] = a.get("data-jabatan")
        if tag == "g" and "melanggar" in classes and (a.get("id") or "").startswith("jabatan-"):
            self.highlighted.add(a["id"][len("jabatan-"):])
        for key in ("src", "href", "xlink:href"):
            value = a.get(key)
            if value is not None and not value.startswith("#"):
                self.outside.append(value)


def check_in_browser(chromium, perwal, repo, work, page, org_path, strips):
    """Loads `page` in Chromium and checks its DOM against the audit of `org_path`."""
    audit = json.loads(run([perwal, "audit", "--rules", RULES, "--org", org_path, "--format", "json"], repo).stdout)
    with open(org_path, encoding="utf-8") as f:
        org = json.load(f)
    delegates = {"delegations[%d]" % i: d["to"] for i, d in enumerate(org.get("delegations", []))}
    position_ids = {p["id"] for p in org["positions"]}

    with tempfile.TemporaryDirectory() as profile:
        r = run([chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                                               "--virtual-time-budget=5000", "--dump-dom", "file://" + page], work)
    if r.returncode != 0 or "<html" not in r.stdout:
        fail("Chromium did not load the page (exit %d): %s" % (r.returncode, r.stderr[-2000:]))
    # The page has no script: any console message (Chromium logs them without
    # their level) is a fault, an uncaught error or a refused resource.
    console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line]
    if console:
        fail("console messages:\n" + "\n".join(console))
    dom = Dom()
    dom.feed(r.stdout)

    expected = len(audit["violations"]) + len(audit["warnings"]) + len(audit["needs"])
    wanted = ["temuan-%d" % n for n in range(1, expected + 1)]
    missing = [w for w in wanted if w not in dom.findings]
    if len(dom.findings) != expected or missing:
        fail("%d findings in the page, %d in the audit; missing %s" % (len(dom.findings), expected, missing))
    # The positions the audit found wanting: a violation's or warning's subject,
    # a delegation's delegate.
    wanting = set()
    for f in audit["violations"] + audit["warnings"]:
        first = f["path"][0] if f["path"] else ""
        first = delegates.get(first, first)
        if first in position_ids:
            wanting.add(first)
    if not wanting:
        fail("the fixture's audit found no position wanting: the test would prove nothing")
    if dom.highlighted != wanting:
        fail("highlighted %s, but the audit found %s" % (sorted(dom.highlighted), sorted(wanting)))
    if dom.outside:
        fail("addresses outside the page: %s" % dom.outside[:5])
    if strips and not dom.uses:
        fail("no chart printed as strips, though the city has charts taller than a page")
    unresolved = [u for u in dom.uses if u not in dom.ids]
    if unresolved:
        fail("printed strips drawing no chart: %s" % unresolved[:5])
    return expected, wanting


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    perwal, repo, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    chromium = os.environ.get("PERWAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        fail("Chromium is missing (./scripts/install-deps.sh with PERWAL_TEST_DEPS=1 installs it)")
    if shutil.which("pdfinfo") is None:
        fail("pdfinfo is missing (poppler-utils; ./scripts/install-deps.sh with PERWAL_TEST_DEPS=1 installs it)")

    page = os.path.join(work, "laporan.html")
    r = run([perwal, "report", "--rules", RULES, "--org", ORG, "--date", "2026-12-05", "-o", page], repo)
    if r.returncode != 0:
        fail("perwal report exited %d: %s" % (r.returncode, r.stderr))
    expected, wanting = check_in_browser(chromium, perwal, repo, work, page, os.path.join(repo, ORG), True)

    # A generated city of 10 000 positions: a large org, its charts drawn
    # around the findings; the highlighted boxes are still exactly the
    # positions found wanting.
    large_org = os.path.join(work, "kota-besar.json")
    r = run([perwal, "gen-org", "--scale", "city", "--seed", "3", "--violations", "100", "-o", large_org,
             "--report", os.path.join(work, "kota-besar-tanam.json")], repo)
    if r.returncode != 0:
        fail("perwal gen-org exited %d: %s" % (r.returncode, r.stderr))
    large_page = os.path.join(work, "laporan-besar.html")
    r = run([perwal, "report", "--rules", RULES, "--org", large_org, "--date", "2026-12-05", "-o", large_page], repo)
    if r.returncode != 0:
        fail("perwal report (generated city) exited %d: %s" % (r.returncode, r.stderr))
    with open(large_page, encoding="utf-8") as f:
        if "jabatan lain: " not in f.read():
            fail("the generated city's charts are not drawn around the findings")
    large_expected, large_wanting = check_in_browser(chromium, perwal, repo, work, large_page, large_org, False)

    shot = os.path.join(work, "laporan.png")
    with tempfile.TemporaryDirectory() as profile:
        r = run([chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile, "--hide-scrollbars",
                                               "--window-size=1200,1600", "--screenshot=" + shot, "file://" + page],
                work)
    if r.returncode != 0 or not os.path.exists(shot) or os.path.getsize(shot) < 20000:
        fail("no screenshot (exit %d)" % r.returncode)

    pdf = os.path.join(work, "laporan.pdf")
    r = run([perwal, "report", "--rules", RULES, "--org", ORG, "--format", "pdf", "-o", pdf], repo)
    if r.returncode != 0:
        fail("perwal report --format pdf exited %d: %s" % (r.returncode, r.stderr))
    info = run(["pdfinfo", pdf], work).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    if not PDF_PAGES[0] <= pages <= PDF_PAGES[1]:
        fail("the PDF has %d pages, expected %d to %d" % (pages, *PDF_PAGES))
    print("report_in_browser: %d findings present, %d boxes highlighted = the positions found wanting, "
          "no console error, screenshot %s, PDF of %d pages; a generated city of 10 000 positions: %d findings, "
          "%d boxes highlighted" % (expected, len(wanting), shot, pages, large_expected, len(large_wanting)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
