#!/usr/bin/env bash
# Run N NET checker replicas (streamlit on 127.0.0.1:FIRST_PORT..) behind nginx (127.0.0.1:LISTEN_PORT).
#
#   deploy/run_replicas.sh N        # N defaults to 2; Ctrl-C (or SIGTERM) stops everything
#
# Environment: LISTEN_PORT (8600), FIRST_PORT (8601), RUN_DIR (/tmp/net-checker-replicas: config, logs,
# pid, nginx temp files), PYTHON (python3), NGINX (nginx from PATH or /usr/sbin/nginx), NET_CHECKER_RULES, and
# the live-class store: NET_CHECKER_DB (a postgresql:// URL every replica shares) or NET_CHECKER_DATA (SQLite).
# Needs Debian's nginx (apt-get install -y nginx). Everything listens on loopback only.
set -euo pipefail

N="${1:-2}"
if ! [[ "$N" =~ ^[0-9]+$ ]] || [ "$N" -lt 1 ] || [ "$N" -gt 32 ]; then
  echo "usage: $0 N   (1 <= N <= 32 replicas)" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LISTEN_PORT="${LISTEN_PORT:-8600}"
FIRST_PORT="${FIRST_PORT:-8601}"
RUN_DIR="${RUN_DIR:-/tmp/net-checker-replicas}"
PYTHON="${PYTHON:-python3}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
STARTUP_SECONDS="${STARTUP_SECONDS:-90}"

if [ ! -x "$NGINX" ]; then
  echo "nginx not found; install it with: apt-get install -y nginx" >&2
  exit 3
fi

mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"
NGINX_USER=""
if [ "$(id -u)" -eq 0 ] && id -u www-data >/dev/null 2>&1; then
  NGINX_USER="www-data"
  chown -R www-data "$RUN_DIR/tmp"
fi

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

ports=()
for ((i = 0; i < N; i++)); do
  port=$((FIRST_PORT + i))
  ports+=("$port")
  (cd "$ROOT" && exec "$PYTHON" -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 --server.maxMessageSize 5 \
    --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none) \
    >"$RUN_DIR/logs/app-$port.log" 2>&1 &
  pids+=("$!")
done

ports_csv="$(IFS=,; echo "${ports[*]}")"
"$PYTHON" "$ROOT/deploy/render_nginx.py" --listen "$LISTEN_PORT" --ports "$ports_csv" --run-dir "$RUN_DIR" \
  --user "$NGINX_USER" >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/logs/nginx-error.log"
"$NGINX" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/logs/nginx-error.log" &
pids+=("$!")

# Wait (bounded) until every replica and the proxy answer the health check.
"$PYTHON" - "$STARTUP_SECONDS" "$LISTEN_PORT" "${ports[@]}" <<'PY'
import sys, time, urllib.request
seconds, ports = float(sys.argv[1]), sys.argv[2:]
deadline = time.monotonic() + seconds
for port in reversed(ports):
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"127.0.0.1:{port} not healthy within {seconds:.0f} s")
        time.sleep(0.3)
PY
echo "ready: http://127.0.0.1:$LISTEN_PORT/ -> ${N} replicas on ports ${ports_csv} (logs in $RUN_DIR/logs)"

# Stop everything as soon as any replica or nginx exits.
wait -n
echo "a replica or nginx exited; stopping the rest" >&2
exit 1
