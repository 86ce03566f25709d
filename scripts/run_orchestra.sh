#!/usr/bin/env bash
# The shell form of RUN_ORCHESTRA.cmd: build if needed, start the server if it is not running,
# open the dashboard, run the orchestra. Arguments go to `gogobe run` (e.g. --demo, --force).
# --no-browser skips opening the dashboard (also skipped when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

open_browser=1; demo=""; run_args=()
for arg in "$@"; do
  case "$arg" in
    --no-browser) open_browser=0 ;;
    --demo) demo="--demo"; run_args+=("$arg") ;;
    *) run_args+=("$arg") ;;
  esac
done

scripts/setup.sh
echo "[orchestra] building (incremental)"
dotnet build src/Gogobe.Host -c Release --nologo -v quiet
bin="$root/src/Gogobe.Host/bin/Release/net10.0"
gogobe() { dotnet "$bin/gogobe.dll" "$@"; }

# As root, PostgreSQL runs as the postgres user, which cannot enter a clone under /root (mode 700):
# keep the managed cluster where it can.
if [ -z "${GOGOBE_DB:-}" ] && [ -z "${GOGOBE_DATA_DIR:-}" ] && [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$root" 2>/dev/null; then
  export GOGOBE_DATA_DIR=/var/lib/gogobe/pg
  echo "[orchestra] the postgres user cannot enter $root; the local cluster lives in $GOGOBE_DATA_DIR"
fi

url="${GOGOBE_URL:-http://127.0.0.1:8000}"
mkdir -p "$root/data"
if curl -fsS -o /dev/null "$url/api/status" 2>/dev/null; then
  echo "[orchestra] server already running at $url"
else
  echo "[orchestra] starting the server at $url (log: data/serve.log)"
  nohup dotnet "$bin/gogobe.dll" serve $demo --urls "$url" >"$root/data/serve.log" 2>&1 &
  echo $! >"$root/data/serve.pid"
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$url/api/status" 2>/dev/null && break
    kill -0 "$(cat "$root/data/serve.pid")" 2>/dev/null || { echo "[orchestra] the server exited; see data/serve.log"; tail -n 20 "$root/data/serve.log"; exit 1; }
    sleep 0.5
  done
  echo "[orchestra] server up (pid $(cat "$root/data/serve.pid"); stop it with: kill $(cat "$root/data/serve.pid"))"
fi

if [ "$open_browser" = 1 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; }; then
  (command -v xdg-open >/dev/null && xdg-open "$url/dashboard.html" || command -v open >/dev/null && open "$url/dashboard.html") >/dev/null 2>&1 || true
fi
echo "[orchestra] dashboard: $url/dashboard.html"

gogobe run "${run_args[@]}"
