# Sourced by bench/serve-load.sh and bench/serve-compare.sh: their work
# folder (removed on exit, the server stopped first), the request bodies and
# starting a server. Expects to run from the repository root.
#
#   serve_setup NAME BATCH_SIZE   work folder /tmp/perwal-NAME.*, bodies in it:
#     single.txt           the golden suite's queries (kedudukan, penugasan,
#                          pelaporan, tim; not the audit), one per line
#     batch.txt            one batch of BATCH_SIZE of them
#     kedudukan.txt        one kedudukan query
#     kedudukan-batch.txt  a batch of BATCH_SIZE of it
#   serve_start BINARY SYNC       `BINARY serve` on 127.0.0.1 (free port, in
#                                 $work/port), the log at --log-sync SYNC
#   serve_stop
command -v wrk >/dev/null || { echo "wrk not found: scripts/install-deps.sh installs it" >&2; exit 2; }

server_pid=""
serve_cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

serve_setup() {  # $1 name, $2 batch size
  work=$(mktemp -d "/tmp/perwal-$1.XXXXXX")
  trap serve_cleanup EXIT
  python3 - "$work" "$2" <<'PY'
import glob, json, sys
work, n = sys.argv[1], int(sys.argv[2])
qs = []
for f in sorted(glob.glob("tests/golden/padang-panjang/*.json")):
    d = json.load(open(f))
    if "query" in d and d.get("expect", {}).get("decision") != "bad_query" and not d.get("org"):
        if d["query"].get("type") != "audit":
            qs.append(d["query"])
with open(f"{work}/single.txt", "w") as out:
    for q in qs:
        out.write(json.dumps(q, separators=(",", ":")) + "\n")
with open(f"{work}/batch.txt", "w") as out:
    out.write(json.dumps([qs[i % len(qs)] for i in range(n)], separators=(",", ":")) + "\n")
one = {"type": "kedudukan", "position": "pp.bag-org.analis-1"}
with open(f"{work}/kedudukan.txt", "w") as out:
    out.write(json.dumps(one) + "\n")
with open(f"{work}/kedudukan-batch.txt", "w") as out:
    out.write(json.dumps([one] * n, separators=(",", ":")) + "\n")
print(f"{len(qs)} distinct queries", file=sys.stderr)
PY
}

serve_start() {  # $1 binary, $2 log sync mode
  rm -rf "$work/data" "$work/port"
  "$1" serve --rules rulesets/padang-panjang-48-2024.perwal --org fixtures/padang-panjang/org.json \
    --port 0 --port-file "$work/port" --data "$work/data" --log-sync "$2" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if [ -s "$work/port" ] && curl -sf "http://127.0.0.1:$(cat "$work/port")/healthz" >/dev/null; then return; fi
    sleep 0.1
  done
  echo "server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}

serve_stop() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}
