"""A throw-away PostgreSQL cluster and `perwal serve --store` replicas on it,
for the tests that run replicas (replicas_pg.py, nginx_test.py).

A Site is a temp folder holding the cluster (initdb and pg_ctl from Debian's
/usr/lib/postgresql/*/bin, as the postgres user when run as root; its socket
in the folder too, no TCP port) and the replicas' data, logs and port files.
Site.cleanup() kills every replica it started by its PID, stops the cluster
and removes the folder; callbacks added with at_cleanup() run first.
Results are reported with check() and fatal(), which collect `failures`.
"""
import glob
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TOKEN = "replica-test-token"
ALLOWED = {"type": "kedudukan", "position": "pp.bag-org.analis-1"}
DENIED = {"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"}

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def fatal(message):
    failures.append(message)
    print("FAIL " + message, flush=True)
    sys.exit(1)


def wait_for(what, predicate, limit):
    """Seconds until predicate() holds, or None after `limit` seconds."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.02)
    return None


def http(base, method, path, body=None, token=TOKEN, context=None, headers=None):
    """(status, parsed JSON or raw bytes, response headers); status 0 when no answer came."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)

    def parse(text):
        try:
            return json.loads(text or b"null")
        except ValueError:
            return text

    try:
        with urllib.request.urlopen(req, timeout=30, context=context) as r:
            return r.status, parse(r.read()), r.headers
    except urllib.error.HTTPError as e:
        return e.code, parse(e.read()), e.headers
    except (urllib.error.URLError, ConnectionError, OSError) as e:
        return 0, str(e), {}


class Replica:
    """One `perwal serve --store URL` on 127.0.0.1, on a free port; ready once /healthz answers."""

    def __init__(self, site, name, extra=()):
        self.name = name
        self.data = os.path.join(site.work, name)
        os.makedirs(self.data, exist_ok=True)
        token_file = os.path.join(site.work, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        self.port_file = os.path.join(self.data, "port")
        self.log_file = os.path.join(self.data, "serve.log")
        log = open(self.log_file, "w")
        self.proc = subprocess.Popen(
            [site.perwal_binary, "serve", "--rules", site.rules, "--org", site.org, "--bind", "127.0.0.1", "--port",
             "0", "--port-file", self.port_file, "--data", self.data, "--store", site.url, "--admin-token-file",
             token_file] + list(extra),
            stdout=log, stderr=subprocess.STDOUT, cwd=site.source)
        site.replicas.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                fatal(name + " exited early:\n" + open(self.log_file).read())
            if os.path.exists(self.port_file):
                self.port = int(open(self.port_file).read())
                status, _ = self.get("/healthz")
                if status == 200:
                    return
            time.sleep(0.05)
        fatal(name + " did not become ready:\n" + open(self.log_file).read())

    def request(self, method, path, body=None):
        status, parsed, _ = http("http://127.0.0.1:%d" % self.port, method, path, body)
        return status, parsed

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


class Site:
    def __init__(self, perwal_binary, source, prefix="perwal-pg-"):
        self.perwal_binary, self.source = perwal_binary, source
        self.rules = os.path.join(source, "rulesets/padang-panjang-48-2024.perwal")
        self.org = os.path.join(source, "fixtures/padang-panjang/org.json")
        self.replicas = []  # every replica started, stopped by its recorded PID at cleanup
        self._at_cleanup = []
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: [int(x) for x in p.split("/")[4].split(".")])
        if not bins:
            fatal("PostgreSQL's server binaries (initdb, pg_ctl) are not installed under /usr/lib/postgresql/*/bin: "
                  "install the Debian package postgresql (PERWAL_TEST_DEPS=1 scripts/install-deps.sh does)")
        self.pgbin = os.path.dirname(bins[-1])
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.pg_user = pwd.getpwnam("postgres")
            except KeyError:
                fatal("running as root, but there is no postgres user to run the cluster as "
                      "(the postgresql package adds it)")
        self.work = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.work, 0o755)
        self.pgdata = os.path.join(self.work, "pg")
        self.sock = os.path.join(self.work, "sock")
        for d in (self.pgdata, self.sock):
            os.mkdir(d, 0o700)
            if self.as_root:
                os.chown(d, self.pg_user.pw_uid, self.pg_user.pw_gid)
        self.url = "postgresql://perwal@/postgres?host=" + self.sock
        self.pg_log = os.path.join(self.work, "postgresql.log")
        if self.as_root:
            open(self.pg_log, "w").close()
            os.chown(self.pg_log, self.pg_user.pw_uid, self.pg_user.pw_gid)
        # Some containers have a plain file, writable by root only, as /dev/null;
        # PostgreSQL's tools redirect to it. Their commands then run in a mount
        # namespace of their own with a writable file bound over it.
        self.null_is_device = stat.S_ISCHR(os.stat("/dev/null").st_mode)

    # ---- PostgreSQL ----

    def _as_postgres(self, args):
        if not self.as_root:
            return args
        if self.null_is_device:
            return ["runuser", "-u", "postgres", "--"] + args
        sink = os.path.join(self.work, "null")
        if not os.path.exists(sink):
            open(sink, "w").close()
            os.chmod(sink, 0o666)
        return ["unshare", "--mount", "sh", "-c", 'mount --bind "$0" /dev/null && exec runuser -u postgres -- "$@"',
                sink] + args

    def pg(self, *args):
        out = subprocess.run(self._as_postgres(list(args)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        if out.returncode != 0:
            print(out.stdout)
        return out.returncode == 0

    def pg_init(self):
        """initdb and start; fatal if either fails."""
        t0 = time.monotonic()
        if not self.pg(os.path.join(self.pgbin, "initdb"), "-D", self.pgdata, "-U", "perwal", "-A", "trust",
                       "--no-sync", "-E", "UTF8"):
            fatal("initdb failed")
        if not self.pg_start():
            fatal("the PostgreSQL cluster did not start:\n" + open(self.pg_log).read())
        print("PostgreSQL %s up in %.1f s" % (self.pgbin, time.monotonic() - t0), flush=True)

    def pg_start(self):
        return self.pg(os.path.join(self.pgbin, "pg_ctl"), "-D", self.pgdata, "-l", self.pg_log, "-w", "-t", "30",
                       "-o", "-k " + self.sock + " -c listen_addresses='' -c port=5432", "start")

    def pg_stop(self):
        return self.pg(os.path.join(self.pgbin, "pg_ctl"), "-D", self.pgdata, "-m", "fast", "-w", "stop")

    # ---- perwal ----

    def replica(self, name, extra=()):
        return Replica(self, name, extra)

    def perwal(self, *args):
        return subprocess.run([self.perwal_binary] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=self.source)

    # ---- the end ----

    def at_cleanup(self, fn):
        self._at_cleanup.append(fn)

    def cleanup(self):
        for fn in self._at_cleanup:
            fn()
        for r in self.replicas:
            if r.proc.poll() is None:
                r.kill9()
        if os.path.exists(os.path.join(self.pgdata, "postmaster.pid")):
            self.pg(os.path.join(self.pgbin, "pg_ctl"), "-D", self.pgdata, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.work, ignore_errors=True)

    def cleanup_on_signals(self):
        """SIGTERM and SIGINT (ctest's timeout, ^C) clean up too."""

        def on_signal(sig, _frame):
            self.cleanup()
            sys.exit(128 + sig)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def print_logs_on_failure(self):
        for r in self.replicas:
            if failures and os.path.exists(r.log_file):
                print("---- " + r.name + " log:\n" + open(r.log_file).read()[-3000:])
