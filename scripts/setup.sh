#!/usr/bin/env bash
# Installs what Gogobe needs beyond the .NET SDK, only when it is missing:
# PostgreSQL server binaries (initdb/pg_ctl) and the Israel time zone data.
# Debian/Ubuntu: installs with apt-get (as root, or through sudo). Elsewhere: says what to install.
set -euo pipefail

say() { printf '[setup] %s\n' "$*"; }

have_pg() {
  command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && return 0
  command -v initdb >/dev/null 2>&1
}

apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "need root to install: $*  (run: sudo apt-get install -y $*)"; exit 1
    fi
  fi
  if [ -z "${GOGOBE_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    export GOGOBE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET 10 SDK is required: https://dotnet.microsoft.com/download"; exit 1
fi

if ! have_pg; then
  if command -v apt-get >/dev/null 2>&1; then
    say "PostgreSQL server not found: installing it with apt-get"
    apt_install postgresql
  else
    say "PostgreSQL server binaries (initdb, pg_ctl) not found. Install PostgreSQL 14 or newer"
    say "(macOS: brew install postgresql@15; Fedora: dnf install postgresql-server) or set GOGOBE_DB to an existing database."
    exit 1
  fi
fi

if [ ! -e /usr/share/zoneinfo/Asia/Jerusalem ] && command -v apt-get >/dev/null 2>&1; then
  say "time zone data missing: installing tzdata"
  apt_install tzdata
fi

# The Cerberus FTPS tests run a real vsftpd on loopback with a self-signed certificate made by openssl.
if { ! command -v vsftpd >/dev/null 2>&1 && [ ! -x /usr/sbin/vsftpd ]; } || ! command -v openssl >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    say "vsftpd/openssl not found: installing them with apt-get (for the FTPS tests)"
    apt_install vsftpd openssl
    # The package starts a system-wide vsftpd on port 21; the tests run their own, so stop it where systemd runs.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet vsftpd 2>/dev/null; then
      $( [ "$(id -u)" -ne 0 ] && echo sudo ) systemctl disable --now vsftpd >/dev/null 2>&1 || true
    fi
  else
    say "the FTPS tests need vsftpd and openssl; install them with your package manager"; exit 1
  fi
fi

# The browser tests drive the system Chromium (Playwright cannot download browsers here).
# Installed by test.sh and by `setup.sh --for-browser-tests`.
for_browser_tests=""
for arg in "$@"; do
  [ "$arg" = "--for-browser-tests" ] && for_browser_tests=1
done
if [ -n "$for_browser_tests" ] && [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    say "Chromium not found: installing it with apt-get (for the browser tests)"
    apt_install chromium
  else
    say "the browser tests need Chromium at /usr/bin/chromium; install it with your package manager"; exit 1
  fi
fi

# Chart.js for the dashboard's sparklines when the CDN is unreachable (wwwroot/lib is git-ignored).
chart_js="$(cd "$(dirname "$0")/.." && pwd)/wwwroot/lib/chart.umd.min.js"
if [ ! -s "$chart_js" ]; then
  if command -v npm >/dev/null 2>&1; then
    say "fetching the Chart.js fallback into wwwroot/lib"
    tmp=$(mktemp -d)
    if npm install --silent --no-audit --no-fund --fetch-retries=1 --fetch-timeout=30000 --prefix "$tmp" chart.js@4 >/dev/null 2>&1 \
       && [ -s "$tmp/node_modules/chart.js/dist/chart.umd.min.js" ]; then
      mkdir -p "$(dirname "$chart_js")"
      cp "$tmp/node_modules/chart.js/dist/chart.umd.min.js" "$chart_js"
    else
      say "could not fetch Chart.js with npm; the dashboard loads it from the CDN or shows numbers without charts"
    fi
    rm -rf "$tmp"
  else
    say "npm not found: the dashboard loads Chart.js from its CDN (without it, numbers still show, charts are plain)"
  fi
fi

say "ready: $(dotnet --version) SDK, PostgreSQL $( (pg_config --version 2>/dev/null || ls -d /usr/lib/postgresql/*/ 2>/dev/null | tail -n1) | tr -d '\n')"
