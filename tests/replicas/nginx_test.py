#!/usr/bin/env python3
"""packaging/nginx/perwal.conf run in front of two replicas on PostgreSQL.

A throw-away PostgreSQL cluster and two `perwal serve --store` replicas
(cluster.py), and nginx started as a child of this script (not as a daemon,
its own prefix, pid file, logs and temp folders in the test's temp folder),
with the repository's config: only the lines it marks "(test: substituted)"
are replaced (the replicas' ports, listen ports on 127.0.0.1, a certificate
made here by openssl, the access log's path). Through nginx, over HTTPS:
checks are answered by both replicas (their own /metrics counters and the
access log's upstream addresses tell them apart), idle connections to the
replicas are kept open, an org uploaded is served, a body over 16 MiB is
refused by nginx, a decision is read back; after kill -9 of one replica the
requests keep succeeding; pg_dump taken while a replica serves restores into
a database whose log verifies intact. Everything is stopped by recorded PID at the end
and the temp folder removed, pass or fail. Fails, never skips, without nginx,
openssl or PostgreSQL.

usage: nginx_test.py PERWAL_BINARY SOURCE_DIR
"""
import http.client as http_client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import ALLOWED, DENIED, TOKEN, Site, check, failures, fatal, http, wait_for  # noqa: E402

PERWAL, SOURCE = sys.argv[1], sys.argv[2]
CONF = os.path.join(SOURCE, "packaging/nginx/perwal.conf")
ORG = os.path.join(SOURCE, "fixtures/padang-panjang/org.json")
started = time.monotonic()

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
if not NGINX:
    fatal("nginx is not installed: install the Debian package nginx (PERWAL_TEST_DEPS=1 scripts/install-deps.sh does)")
if not shutil.which("openssl"):
    fatal("openssl is not installed (scripts/install-deps.sh installs it)")

site = Site(PERWAL, SOURCE, prefix="perwal-nginx-")
site.cleanup_on_signals()
prefix = os.path.join(site.work, "nginx")
nginx_proc = None
nginx_pids = []  # the master's and its workers', recorded once it runs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open("/proc/%s/stat" % entry).read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def alive(pid):
    try:
        stat = open("/proc/%d/stat" % pid).read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop_nginx():
    """SIGTERM to the master (fast shutdown: it stops its workers), SIGKILL by PID if anything is left."""
    if nginx_proc is None:
        return
    if nginx_proc.poll() is None:
        nginx_proc.send_signal(signal.SIGTERM)
        try:
            nginx_proc.wait(10)
        except subprocess.TimeoutExpired:
            nginx_proc.kill()
            nginx_proc.wait()
    for pid in nginx_pids[1:]:
        if wait_for("worker gone", lambda: not alive(pid), 5) is None:
            os.kill(pid, signal.SIGKILL)


site.at_cleanup(stop_nginx)


def generate_config(http_port, https_port, cert, key, access_log):
    """The repository's config with each line marked "(test: substituted)" replaced; nothing else changes."""
    text = open(CONF).read()
    upstream_params = []
    out, marked, replaced = [], 0, 0
    for line in text.split("\n"):
        if "(test: substituted)" not in line:
            out.append(line)
            continue
        marked += 1
        code = line.split("#")[0].rstrip()
        indent = code[:len(code) - len(code.lstrip())]
        m = re.fullmatch(r"\s*server \S+:\d+( .*)?;", code)
        if m:
            upstream_params.append(m.group(1) or "")
            if len(upstream_params) == 1:  # the replicas take the place of the example servers
                for r in replicas:
                    out.append("%sserver 127.0.0.1:%d%s;" % (indent, r.port, m.group(1) or ""))
            replaced += 1
        elif re.fullmatch(r"\s*listen \[::\]:\d+.*;", code):
            replaced += 1  # IPv6: the test listens on 127.0.0.1 only
        elif re.fullmatch(r"\s*listen 80;", code):
            out.append("%slisten 127.0.0.1:%d;" % (indent, http_port))
            replaced += 1
        elif re.fullmatch(r"\s*listen 443 (.*);", code):
            out.append("%slisten 127.0.0.1:%d %s;" % (indent, https_port, code.split("443 ", 1)[1].rstrip(";")))
            replaced += 1
        elif re.fullmatch(r"\s*ssl_certificate\s+\S+;", code):
            out.append("%sssl_certificate %s;" % (indent, cert))
            replaced += 1
        elif re.fullmatch(r"\s*ssl_certificate_key\s+\S+;", code):
            out.append("%sssl_certificate_key %s;" % (indent, key))
            replaced += 1
        elif re.fullmatch(r"\s*access_log \S+ perwal;", code):
            out.append("%saccess_log %s perwal;" % (indent, access_log))
            replaced += 1
        else:
            out.append(line)
    check(marked == replaced == 10 and len(upstream_params) == 2,
          "the config's 10 marked lines are the ones the test knows how to substitute (%d marked, %d known)"
          % (marked, replaced))
    return "\n".join(out)


def start_nginx():
    global nginx_proc
    os.makedirs(prefix)
    os.chmod(prefix, 0o755)
    cert, key = os.path.join(prefix, "cert.pem"), os.path.join(prefix, "key.pem")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-days", "1", "-subj", "/CN=perwal.test", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", key, "-out", cert], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if made.returncode != 0:
        fatal("openssl could not make a self-signed certificate:\n" + made.stdout)
    ports = (free_port(), free_port())
    access_log = os.path.join(prefix, "access.log")
    site_conf = os.path.join(prefix, "perwal.conf")
    with open(site_conf, "w") as f:
        f.write(generate_config(ports[0], ports[1], cert, key, access_log))
    main_conf = os.path.join(prefix, "nginx.conf")
    temp = "".join("    %s_temp_path %s;\n" % (k, os.path.join(prefix, k)) for k in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(main_conf, "w") as f:
        f.write("daemon off;\nmaster_process on;\nworker_processes 2;\npid %s;\nerror_log %s info;\n"
                "events { worker_connections 256; }\nhttp {\n%s    access_log off;\n    include %s;\n}\n"
                % (os.path.join(prefix, "nginx.pid"), os.path.join(prefix, "error.log"), temp, site_conf))
    args = [NGINX, "-p", prefix + "/", "-c", main_conf, "-e", os.path.join(prefix, "error.log")]
    t = subprocess.run(args + ["-t"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(t.returncode == 0, "nginx -t accepts the generated config: " + t.stdout.strip().split("\n")[-1])
    if t.returncode != 0:
        print(open(site_conf).read())
        fatal("nginx refused the config")
    nginx_proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    nginx_pids.append(nginx_proc.pid)
    context = ssl.create_default_context(cafile=cert)
    base = "https://127.0.0.1:%d" % ports[1]
    up = wait_for("nginx", lambda: nginx_proc.poll() is None and http(base, "GET", "/healthz", context=context)[0]
                  == 200, 10)
    if up is None:
        fatal("nginx did not answer /healthz over HTTPS:\n" + open(os.path.join(prefix, "error.log")).read())
    wait_for("workers", lambda: len(children(nginx_proc.pid)) >= 2, 5)
    nginx_pids.extend(children(nginx_proc.pid))
    print("nginx up in %.2f s (master %d, workers %s)" % (up, nginx_pids[0], nginx_pids[1:]), flush=True)
    return base, context, ports[0], access_log


def check_count(replica):
    """POST /v1/check answered 200 by this replica, from its own /metrics."""
    status, text, _ = http("http://127.0.0.1:%d" % replica.port, "GET", "/metrics")
    m = re.search(rb'perwal_http_requests_total\{endpoint="/v1/check",method="POST",status="200"\} (\d+)',
                  text if isinstance(text, bytes) else b"")
    return int(m.group(1)) if m else 0


def upstream_connections(replica):
    """Established TCP connections to the replica's port (nginx's, since nothing else talks to it now)."""
    n = 0
    for line in open("/proc/net/tcp").read().split("\n")[1:]:
        f = line.split()
        if len(f) > 3 and f[3] == "01" and int(f[2].split(":")[1], 16) == replica.port:
            n += 1
    return n


replicas = []
try:
    site.pg_init()
    replicas += [site.replica("replica-a"), site.replica("replica-b")]
    a, b = replicas
    base, ctx, http_port, access_log = start_nginx()

    def via(method, path, body=None, token=TOKEN):
        status, parsed, _ = http(base, method, path, body, token=token, context=ctx)
        return status, parsed

    # ---- plain HTTP redirects to HTTPS ----
    conn = http_client.HTTPConnection("127.0.0.1", http_port, timeout=10)
    conn.request("GET", "/v1/rulesets", headers={"Host": "perwal.test"})
    r = conn.getresponse()
    check(r.status == 301 and r.getheader("Location") == "https://perwal.test/v1/rulesets",
          "plain HTTP answers 301 to https://: %s %s" % (r.status, r.getheader("Location")))
    conn.close()

    # ---- checks through nginx are answered by both replicas ----
    before = {r.name: check_count(r) for r in replicas}
    ids = []
    t0 = time.monotonic()
    for _ in range(20):
        status, d = via("POST", "/v1/check", DENIED)
        if status == 200:
            ids.append(d["decision_id"])
    took = time.monotonic() - t0
    grew = {r.name: check_count(r) - before[r.name] for r in replicas}
    check(len(ids) == 20 and all(v > 0 for v in grew.values()) and sum(grew.values()) == 20,
          "20 checks over HTTPS through nginx, all 200, answered by both replicas: %s (%.1f ms each)"
          % (grew, took * 1000 / 20))
    logged = [line for line in open(access_log).read().split("\n") if '"POST /v1/check ' in line]
    upstreams = {m.group(1) for m in (re.search(r"upstream=(\S+) ", line) for line in logged) if m}
    check(upstreams == {"127.0.0.1:%d" % r.port for r in replicas},
          "nginx's access log names both replicas as upstreams: %s" % sorted(upstreams))
    conns = {r.name: upstream_connections(r) for r in replicas}
    check(all(v >= 1 for v in conns.values()),
          "idle keep-alive connections from nginx stay open to each replica: %s" % conns)

    status, body = via("POST", "/v1/check", DENIED, token=None)
    check(status == 200 and body["decision"] == "denied", "a check without a token (perwal's default) through nginx")
    status, _ = via("GET", "/metrics")
    check(status == 404, "/metrics is not served through nginx (404)")

    # ---- a decision logged through nginx is read back through nginx, from either replica ----
    reads = [via("GET", "/v1/decisions/" + i) for i in ids]
    check(all(s == 200 and r["decision_id"] == i and r["outcome"] == "denied" for (s, r), i in zip(reads, ids)),
          "the 20 decisions read back through nginx by id")

    # ---- an org uploaded through nginx is served through nginx ----
    status, meta = via("PUT", "/v1/orgs/kota-nginx", open(ORG, "rb").read())
    check(status == 201 and meta["version"] == 1, "upload through nginx: 201, version 1")
    status, _ = via("PUT", "/v1/orgs/kota-nginx", open(ORG, "rb").read(), token=None)
    check(status == 401, "an upload without a token through nginx: 401 from perwal")
    soon = max(2.0, float(os.environ.get("PERWAL_SOON", "1.0")))  # longer only under the sanitizers
    seen = wait_for("both serve it", lambda: all(r.get("/v1/orgs/kota-nginx")[0] == 200 for r in replicas), soon)
    served = [via("POST", "/v1/check?org=kota-nginx", DENIED) for _ in range(6)]
    check(seen is not None and all(s == 200 and d["decision"] == "denied" for s, d in served),
          "the uploaded org is served through nginx (6 checks against it, both replicas serving it %.2f s after)"
          % (seen or -1))

    # ---- a body over 16 MiB stops at nginx ----
    before = sum(check_count(r) for r in replicas)
    big = b"[" + b" " * (16 << 20) + b"]"
    status, body = via("POST", "/v1/check", big)
    check(status == 413 and isinstance(body, bytes) and b"nginx" in body and sum(check_count(r) for r in replicas)
          == before, "a body of 16 MiB + 2 bytes: 413 from nginx (client_max_body_size 16m), no replica saw it")

    # ---- kill -9 of replica A, under load: requests keep succeeding through nginx ----
    statuses, acked, stop = [], [], threading.Event()
    lock = threading.Lock()

    def load():
        while not stop.is_set():
            status, d = via("POST", "/v1/check", [ALLOWED, DENIED])
            with lock:
                statuses.append(status)
                if status == 200:
                    acked.extend(x["decision_id"] for x in d)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    before_kill = len(statuses)
    a.kill9()
    killed_at, killed_time = len(statuses), time.time()
    time.sleep(1.0)  # and at least 40 requests after the kill, however slow the machine
    wait_for("40 requests after the kill", lambda: len(statuses) - killed_at >= 40, 20)
    stop.set()
    for t in threads:
        t.join()
    after = statuses[killed_at:]
    failed = [s for s in after if s != 200]
    print("under load: %d requests before the kill, %d after it, statuses after: %s"
          % (before_kill, len(after), {s: after.count(s) for s in set(after)}), flush=True)
    # A check already sent to A when it died is not retried (non_idempotent is
    # off on purpose): at most one per client thread may fail, with 502.
    check(len(after) >= 40 and len(failed) <= len(threads) and all(s == 502 for s in failed),
          "kill -9 of A under 4 clients: %d of %d requests after it answered 200, %d failed in flight (502)"
          % (len(after) - len(failed), len(after), len(failed)))
    results = [via("POST", "/v1/check", DENIED)[0] for _ in range(20)]
    results += [via("GET", "/v1/orgs/kota-nginx")[0] for _ in range(10)]
    check(results.count(200) == len(results),
          "with A dead, 20 checks and 10 org reads through nginx: %d answered 200" % results.count(200))
    missing = [i for i in acked if via("GET", "/v1/decisions/" + i)[0] != 200]
    check(not missing and len(acked) > 20,
          "every decision acknowledged through nginx during the kill (%d) is read back through nginx (%d missing)"
          % (len(acked), len(missing)))
    def retries():
        return ([line for line in open(access_log).read().split("\n") if re.search(r"upstream=\S+, \S+", line)],
                open(os.path.join(prefix, "error.log")).read())
    retried, errors = retries()
    if not retried or "Connection refused" not in errors:
        # The kill's in-flight failures can mark A down (max_fails=2) before nginx
        # ever connects to it again; once fail_timeout (10 s) has passed nginx
        # tries A again, is refused, and must retry the request on B.
        time.sleep(max(0.0, killed_time + 11 - time.time()))
        for _ in range(10):
            via("POST", "/v1/check", DENIED)
        retried, errors = retries()
    check(len(retried) >= 1 and "Connection refused" in errors,
          "nginx retried %d requests on B after A refused the connection (error log: connect() ... refused)"
          % len(retried))
    status, d = via("POST", "/v1/check?org=kota-nginx", DENIED)
    status2, logged = via("GET", "/v1/decisions/" + (d or {}).get("decision_id", "none"))
    check(status == 200 and status2 == 200 and logged["result"] == d,
          "after the failover a decision logged through nginx is read back through nginx")

    # ---- backup: pg_dump while B serves, restored into another database, still one intact chain ----
    dump = os.path.join(site.work, "perwal.dump")
    load_thread = threading.Thread(target=lambda: [via("POST", "/v1/check", DENIED) for _ in range(50)])
    load_thread.start()
    t0 = time.monotonic()
    dumped = subprocess.run([os.path.join(site.pgbin, "pg_dump"), "--dbname", site.url, "--format", "custom",
                             "--file", dump],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dump_s = time.monotonic() - t0
    load_thread.join()
    psql = [os.path.join(site.pgbin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    restored_url = site.url.replace("/postgres?", "/restored?")
    restored = dumped.returncode == 0 and subprocess.run(
        psql + ["--dbname", site.url, "-c", "CREATE DATABASE restored"], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT).returncode == 0 and subprocess.run(
        [os.path.join(site.pgbin, "pg_restore"), "--dbname", restored_url, "--no-owner", dump],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT).returncode == 0
    v = site.perwal("log", "verify", "--store", restored_url)
    check(restored and v.returncode == 0 and v.stdout.startswith("intact"),
          "pg_dump --format custom under load (%.2f s, %d KB), pg_restore into a new database: perwal log verify --store: %s"
          % (dump_s, os.path.getsize(dump) // 1024 if os.path.exists(dump) else 0,
             (v.stdout or v.stderr or dumped.stdout).split("\n")[0]))
except Exception:
    traceback.print_exc()
    failures.append("the test raised " + traceback.format_exc().strip().split("\n")[-1])
finally:
    took = time.monotonic() - started
    if failures and os.path.exists(os.path.join(prefix, "error.log")):
        print("---- nginx error log:\n" + open(os.path.join(prefix, "error.log")).read()[-3000:])
    site.print_logs_on_failure()
    pids = nginx_pids + [r.proc.pid for r in replicas]
    work = site.work
    site.cleanup()
    left = [p for p in pids if alive(p)]
    check(not left and not os.path.exists(work),
          "stopped by recorded PID: nginx master and workers and both replicas (%d processes), %s removed%s"
          % (len(pids), work, (", left: %s" % left) if left else ""))
    print("%s in %.1f s" % ("FAILED: " + "; ".join(failures) if failures else "passed", took), flush=True)

sys.exit(1 if failures else 0)
