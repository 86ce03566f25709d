#!/usr/bin/env bash
# The national-scale benchmark in one command: builds Release, runs `gogobe bench`, and writes
# bench/results/<date>.json, .md and .svg (see docs/BENCHMARK.md). Arguments go to `gogobe bench`, e.g.
#   scripts/bench.sh --scale 1.0          # the full national day (≈30M rows; needs ~10 GB of temp disk)
#   scripts/bench.sh --scale 0.01         # seconds
# Default scale: 0.1. Needs only the .NET SDK: PostgreSQL's server binaries are installed by scripts/setup.sh when missing,
# and the benchmark runs its own cluster under --data-dir (default data/bench-pg) unless GOGOBE_DB names a server.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  scripts/setup.sh
fi

dotnet build src/Gogobe.Host/Gogobe.Host.csproj -c Release --nologo -v quiet

args=("$@")
has() { local flag=$1; shift; for a in "$@"; do [ "$a" = "$flag" ] && return 0; done; return 1; }
has --scale "${args[@]+"${args[@]}"}" || args+=(--scale 0.1)
has --data-dir "${args[@]+"${args[@]}"}" || args+=(--data-dir data/bench-pg)
has --out "${args[@]+"${args[@]}"}" || args+=(--out bench/results)

exec dotnet src/Gogobe.Host/bin/Release/net10.0/gogobe.dll bench "${args[@]}"
