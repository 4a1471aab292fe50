#!/usr/bin/env python3
"""Two `perwal serve` replicas on one throw-away PostgreSQL cluster.

Starts a cluster from Debian's packages (initdb and pg_ctl from
/usr/lib/postgresql/*/bin, as the postgres user when run as root) in a temp
folder, its socket there too (no TCP port), then two replicas on 127.0.0.1
with --store, and checks: an upload to one is served by the other within a
second (LISTEN/NOTIFY), and so is a reload; a decision logged by one is read
from the other by id and in the listing; kill -9 of a replica loses no
acknowledged decision; with PostgreSQL stopped the checks answer 503 (and lose
no acknowledged decision) and recover when it is back. The cluster is stopped
and removed at the end, pass or fail (the cluster and replica code: cluster.py).

usage: replicas_pg.py PERWAL_BINARY SOURCE_DIR
"""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import ALLOWED, DENIED, Site, check, failures, wait_for  # noqa: E402

PERWAL, SOURCE = sys.argv[1], sys.argv[2]
# How soon another replica must see an upload or a reload: a second; longer
# only under the sanitizers (PERWAL_SOON, set by CMake), where a reload's
# recompilation alone can take seconds: there the test is of propagation.
SOON = float(os.environ.get("PERWAL_SOON", "1.0"))
ORG = os.path.join(SOURCE, "fixtures/padang-panjang/org.json")

started = time.monotonic()
site = Site(PERWAL, SOURCE)
site.cleanup_on_signals()
URL, work, perwal, pg_start, pg_stop, Replica = site.url, site.work, site.perwal, site.pg_start, site.pg_stop, site.replica


def hammer(replica, seconds, acknowledged, stop_event=None):
    """Checks sent one after another until `seconds` pass (or stop_event); the ids answered 200 are collected."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (stop_event and stop_event.is_set()):
        status, body = replica.post("/v1/check", [ALLOWED, DENIED])
        if status == 200:
            acknowledged.extend(d["decision_id"] for d in body)
        elif status == 0:
            time.sleep(0.01)


def listing(replica, query):
    """Every decision_id of the listing, page after page."""
    ids, cursor = [], ""
    while True:
        status, page = replica.get("/v1/decisions?" + query + ("&cursor=" + cursor if cursor else ""))
        if status != 200:
            check(False, "a page of the listing: %s %s" % (status, page))
            return ids
        ids += [r["decision_id"] for r in page["decisions"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


try:
    site.pg_init()

    # ---- schema ----
    m = perwal("db", "migrate", "--store", URL)
    check(m.returncode == 0 and "applied schema 1" in m.stdout and "applied schema 5: batch records" in m.stdout,
          "perwal db migrate applies the schema: " + m.stdout.strip().replace("\n", "; ") + m.stderr)
    m = perwal("db", "migrate", "--store", URL)
    check(m.returncode == 0 and "applied" not in m.stdout, "a second migrate has nothing to do: " + m.stdout.strip())

    a, b = Replica("replica-a"), Replica("replica-b")

    # ---- orgs: an upload to one is served by the other ----
    org_body = open(ORG, "rb").read()
    status, meta = a.request("PUT", "/v1/orgs/kota-uji", org_body)
    check(status == 201 and meta["version"] == 1, "upload to A: 201, version 1")
    seen = wait_for("B serves kota-uji v1", lambda: b.get("/v1/orgs/kota-uji")[0] == 200, SOON)
    check(seen is not None, "B serves the org uploaded to A within %s s (%s s)" % (SOON, seen and round(seen, 3)))
    status, meta = b.request("PUT", "/v1/orgs/kota-uji", org_body)
    check(status == 200 and meta["version"] == 2, "upload to B: version 2")
    seen = wait_for("A serves v2", lambda: a.get("/v1/orgs/kota-uji")[1].get("version") == 2, SOON)
    check(seen is not None, "A serves version 2 uploaded to B within %s s (%s s)" % (SOON, seen and round(seen, 3)))
    status, d = b.post("/v1/check?org=kota-uji", DENIED)
    check(status == 200 and d["decision"] == "denied", "B checks against the uploaded org")

    # ---- reload on one: the other reloads too ----
    gen_b = b.get("/healthz")[1]["generation"]
    status, _ = a.post("/v1/reload", None)
    check(status == 200, "reload A")
    seen = wait_for("B reloaded", lambda: b.get("/healthz")[1]["generation"] > gen_b, SOON)
    check(seen is not None, "B reloads within %s s of A's reload (%s s)" % (SOON, seen and round(seen, 3)))
    status, orgs = b.get("/v1/orgs")
    check(status == 200 and any(o["id"] == "kota-uji" and o["version"] == 2 for o in orgs["orgs"]),
          "B still serves kota-uji v2 after the reload")

    # ---- a decision logged by one, read from the other ----
    status, d = a.post("/v1/check", DENIED)
    check(status == 200 and d["decision"] == "denied", "A decides")
    status, logged = b.get("/v1/decisions/" + d["decision_id"])
    check(status == 200 and logged["result"] == d and logged["outcome"] == "denied", "B reads A's decision by id")
    rule = d["violations"][0]["rule"]
    status, page = b.get("/v1/decisions?outcome=denied&rule=" + rule)
    check(status == 200 and d["decision_id"] in [r["decision_id"] for r in page["decisions"]],
          "B lists A's decision by outcome and rule")
    check(all(rule in r["rules"] and r["outcome"] == "denied" for r in page["decisions"]),
          "the listing holds only denied decisions citing " + rule)
    status, page = b.get("/v1/decisions?outcome=allowed&rule=" + rule)
    check(status == 200 and page["decisions"] == [], "no allowed decision cites " + rule)
    # Paged through with a small limit, the listing gives every row once, in order.
    a.post("/v1/check", [ALLOWED, DENIED, ALLOWED])
    ids = listing(b, "limit=2")
    status, whole = a.get("/v1/decisions?limit=1000")
    check(ids == [r["decision_id"] for r in whole["decisions"]] and len(ids) == len(set(ids)) == 5,
          "pages of 2 from B = one page from A (%d rows)" % len(ids))

    # ---- kill -9 of a replica loses no acknowledged decision ----
    # B writes at the same time: both replicas' commits interleave in one chain.
    acked, acked_by_b = [], []
    threads = [threading.Thread(target=hammer, args=(a, 1.5, acked)) for _ in range(4)]
    threads += [threading.Thread(target=hammer, args=(b, 1.5, acked_by_b)) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.8)
    a.kill9()
    for t in threads:
        t.join()
    missing = [i for i in acked if b.get("/v1/decisions/" + i)[0] != 200]
    check(len(acked) > 20 and not missing,
          "kill -9 of A: all %d acknowledged decisions are in the log (%d missing)" % (len(acked), len(missing)))
    v = perwal("log", "verify", "--store", URL)
    check(v.returncode == 0 and v.stdout.startswith("intact") and len(acked_by_b) > 20,
          "A's and B's concurrent commits form one intact chain (%d + %d decisions): %s"
          % (len(acked), len(acked_by_b), v.stdout.split("\n")[0]))

    # ---- PostgreSQL stopped: checks answer 503, nothing acknowledged is lost, then recovery ----
    acked_b, stop_event = [], threading.Event()
    threads = [threading.Thread(target=hammer, args=(b, 30, acked_b, stop_event)) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    check(pg_stop(), "PostgreSQL stopped")
    stop_event.set()
    for t in threads:
        t.join()
    status, body = b.post("/v1/check", ALLOWED)
    check(status == 503 and body.get("error") == "store_unavailable", "a check with PostgreSQL down: 503 store_unavailable")
    status, body = b.get("/v1/decisions?limit=1")
    check(status == 503, "the listing with PostgreSQL down: 503")
    check(b.get("/healthz")[0] == 200 and b.get("/v1/rulesets")[0] == 200, "what needs no database still answers")
    check(pg_start(), "PostgreSQL started again")
    back = wait_for("checks recover", lambda: b.post("/v1/check", ALLOWED)[0] == 200, 10)
    check(back is not None, "checks answer 200 again %s s after PostgreSQL is back" % (back and round(back, 2)))
    missing = [i for i in acked_b if b.get("/v1/decisions/" + i)[0] != 200]
    check(len(acked_b) > 5 and not missing,
          "PostgreSQL stopped under load: all %d acknowledged decisions are in the log" % len(acked_b))

    # ---- a new replica, and the watch after the outage ----
    c = Replica("replica-c")
    check(c.get("/v1/orgs/kota-uji")[1].get("version") == 2, "a replica started later serves the stored org")
    status, meta = c.request("PUT", "/v1/orgs/kota-dua", org_body)
    check(status == 201, "upload to C")
    seen = wait_for("B sees kota-dua", lambda: b.get("/v1/orgs/kota-dua")[0] == 200, 2.0)
    check(seen is not None and seen < SOON,
          "B, whose watch lived through the outage, serves C's upload within %s s (%s s)" % (SOON, seen and round(seen, 3)))

    # ---- the chain and the export ----
    v = perwal("log", "verify", "--store", URL)
    check(v.returncode == 0 and v.stdout.startswith("intact"), "perwal log verify --store: " + v.stdout.split("\n")[0])
    # Over 1000 rows, so that the export reads more than one page.
    for _ in range(6):
        c.post("/v1/check", [ALLOWED, DENIED] * 100)
    out = os.path.join(work, "export.ndjson")
    e = perwal("log", "export", "--since", "2000-01-01", "--store", URL, "--format", "ndjson", "-o", out)
    rows = [json.loads(line) for line in open(out)] if e.returncode == 0 else []
    listed = listing(c, "since=2000-01-01&limit=1000")
    # A decision of a batch ("BATCH/INDEX") is exported without its result (null): the batch logged its queries.
    check(e.returncode == 0 and [r["decision_id"] for r in rows] == listed and len(listed) > 1000
          and all(r["result"] is None if "/" in r["decision_id"] else r["decision_id"] == r["result"]["decision_id"]
                  for r in rows)
          and any("/" not in r["decision_id"] for r in rows),
          "perwal log export --store: the %d rows of the listing, with their results" % len(rows))
    status, logged = c.get("/v1/decisions/" + listed[-1])
    check(status == 200 and logged["result"]["decision_id"] == listed[-1] and logged["outcome"] == "denied",
          "a decision of a batch read back by BATCH/INDEX: " + listed[-1])

    # ---- retention on the shared log: the oldest rows go, the rest stay chained ----
    # A batch is one row: the newest 100 rows are the batches above and the records before them.
    # The replica prunes on its retention thread, which starts with it: the
    # listing is read once the pruning shows (bounded wait), not before.
    d = Replica("replica-d", ["--log-max-rows", "100"])
    deadline = time.monotonic() + 20
    while True:
        kept = listing(d, "limit=1000")
        records = {i.split("/")[0] for i in kept}
        if len(records) <= 100 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    v = perwal("log", "verify", "--store", URL)
    check(len(records) == 100 and kept[-1] == listed[-1] and kept == listed[-len(kept):]
          and v.returncode == 0 and "intact: 100 chained rows" in v.stdout,
          "--log-max-rows 100 keeps the newest 100 rows, still one chain: %d records listed, newest %s, "
          "a suffix of the earlier listing: %s; %s" % (len(records), "kept" if kept and kept[-1] == listed[-1] else "lost",
                                                       kept == listed[-len(kept):], v.stdout.split("\n")[0]))
finally:
    took = time.monotonic() - started
    site.print_logs_on_failure()
    site.cleanup()
    print("%s in %.1f s" % ("FAILED: " + "; ".join(failures) if failures else "passed", took), flush=True)

sys.exit(1 if failures else 0)
