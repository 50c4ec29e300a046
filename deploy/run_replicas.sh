#!/usr/bin/env bash
# Run N NET checker replicas (streamlit on 127.0.0.1:FIRST_PORT..) behind nginx (127.0.0.1:LISTEN_PORT), all under
# supervisord, which restarts any that dies while the others keep serving.
#
#   deploy/run_replicas.sh N        # N defaults to 2; Ctrl-C (or SIGTERM) stops everything
#
# Environment: LISTEN_PORT (8600), FIRST_PORT (8601), RUN_DIR (/tmp/net-checker-replicas: config, logs,
# pid, nginx temp files), PYTHON (python3), NGINX (nginx from PATH or /usr/sbin/nginx), NET_CHECKER_RULES, and
# the live-class store: NET_CHECKER_DB (a postgresql:// URL every replica shares) or NET_CHECKER_DATA (SQLite).
# FRAME_ANCESTORS (who may embed the app: 'self' by default), SUPERVISORD (supervisord from PATH or beside PYTHON),
# TLS_CERT and TLS_KEY (PEM files: nginx serves HTTPS itself), BEHIND_TLS=1 (a TLS proxy in front serves HTTPS).
# Embedding in another site (FRAME_ANCESTORS with an https:// origin) needs one of the two TLS settings: the
# routing cookie is then `SameSite=None; Secure`, which a cross-site frame keeps.
# Needs Debian's nginx (apt-get install -y nginx) and supervisor (pip, or apt). Everything listens on loopback only.
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
  # nginx's workers send their error lines to a socket in RUN_DIR, and keep temp files there.
  if ! runuser -u www-data -- test -x "$RUN_DIR"; then
    echo "RUN_DIR ($RUN_DIR) must be reachable by www-data (nginx's workers): pick a folder whose parents others" \
      "may enter, e.g. under /tmp or /run" >&2
    exit 2
  fi
fi

SUPERVISORD="${SUPERVISORD:-$(command -v supervisord || echo "$(dirname "$(command -v "$PYTHON")")/supervisord")}"
if [ ! -x "$SUPERVISORD" ]; then
  echo "supervisord not found; install it with: $PYTHON -m pip install supervisor (or apt-get install -y supervisor)" >&2
  exit 3
fi
case "$ROOT$RUN_DIR$PYTHON$NGINX" in
  *%*) echo "paths must not contain '%' (supervisord expands it)" >&2; exit 2 ;;
esac

ports=()
for ((i = 0; i < N; i++)); do ports+=("$((FIRST_PORT + i))"); done
ports_csv="$(IFS=,; echo "${ports[*]}")"
tls_args=()
SCHEME=http
if [ -n "${TLS_CERT:-}${TLS_KEY:-}" ]; then
  tls_args+=(--tls-cert "${TLS_CERT:-}" --tls-key "${TLS_KEY:-}")
  SCHEME=https
fi
if [ -n "${BEHIND_TLS:-}" ]; then tls_args+=(--behind-tls); fi
"$PYTHON" "$ROOT/deploy/render_nginx.py" --listen "$LISTEN_PORT" --ports "$ports_csv" --run-dir "$RUN_DIR" \
  --user "$NGINX_USER" --frame-ancestors "${FRAME_ANCESTORS:-'self'}" "${tls_args[@]}" >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/logs/nginx-error.log"

# supervisord runs every replica and nginx, and restarts whichever dies; the others keep serving meanwhile.
cat >"$RUN_DIR/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$RUN_DIR/logs/supervisord.log
pidfile=$RUN_DIR/supervisord.pid
childlogdir=$RUN_DIR/logs

[unix_http_server]
file=$RUN_DIR/supervisor.sock
chmod=0700

[supervisorctl]
serverurl=unix://$RUN_DIR/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:replica]
command=$PYTHON -m streamlit run app.py --server.port %(process_num)d --server.address 127.0.0.1 --server.maxMessageSize 5 --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none
process_name=replica-%(process_num)d
numprocs=$N
numprocs_start=$FIRST_PORT
directory=$ROOT
autorestart=true
startsecs=2
startretries=1000
stopasgroup=true
killasgroup=true
stdout_logfile=$RUN_DIR/logs/app-%(process_num)d.log
redirect_stderr=true

[program:nginx-log]
; nginx's error lines arrive here as syslog datagrams; query strings are removed before they reach the file
command=$PYTHON $ROOT/deploy/log_scrubber.py --socket $RUN_DIR/nginx-log.sock --log $RUN_DIR/logs/nginx-error.log --user "$NGINX_USER"
priority=100
autorestart=true
startsecs=1
stdout_logfile=$RUN_DIR/logs/nginx-log-stdout.log
redirect_stderr=true

[program:nginx]
command=$NGINX -c $RUN_DIR/nginx.conf -e $RUN_DIR/logs/nginx-error.log
priority=200
autorestart=true
startsecs=1
stopasgroup=true
stdout_logfile=$RUN_DIR/logs/nginx-stdout.log
redirect_stderr=true
EOF

supervisor_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$supervisor_pid" ]; then
    kill -TERM "$supervisor_pid" 2>/dev/null || true
    wait "$supervisor_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM
"$SUPERVISORD" -c "$RUN_DIR/supervisord.conf" &
supervisor_pid="$!"

# Wait (bounded) until every replica and the proxy answer the health check.
"$PYTHON" - "$STARTUP_SECONDS" "$SCHEME://127.0.0.1:$LISTEN_PORT" "${ports[@]/#/http://127.0.0.1:}" <<'PY'
import ssl, sys, time, urllib.request
seconds, urls = float(sys.argv[1]), sys.argv[2:]
deadline = time.monotonic() + seconds
unverified = ssl._create_unverified_context()  # loopback health check of our own proxy (its certificate may be private)
for url in reversed(urls):
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=unverified) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{url} not healthy within {seconds:.0f} s")
        time.sleep(0.3)
PY
echo "ready: $SCHEME://127.0.0.1:$LISTEN_PORT/ -> ${N} replicas on ports ${ports_csv} (logs in $RUN_DIR/logs)"

echo "supervised: $SUPERVISORD restarts a replica or nginx that exits (status: supervisorctl -c $RUN_DIR/supervisord.conf status)"

# Runs until stopped (Ctrl-C or SIGTERM): supervisord then stops the replicas and nginx.
wait "$supervisor_pid"
