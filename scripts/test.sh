#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed".
# Installs what the tests need first (PostgreSQL server binaries, Chromium for the browser tests; the tests start their own clusters).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh --for-browser-tests || { echo "0 passed, 1 failed"; exit 1; }

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

if ! dotnet build Gogobe.sln -c Release --nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0
for project in tests/*/*.csproj; do
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | tee "$results/$name.log" | grep -E '^\s*(Failed|Skipped) |Error Message|^\s+at |peak RSS|^Total tests|^\s+(Passed|Failed|Skipped): |^Test Run' || true
  trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    nr=$(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")
    # A test that did not run (skipped, aborted) is not a pass.
    passed=$((passed + p)); failed=$((failed + f + nr))
  else
    echo "$name: no results (the test host crashed or did not start); see $results/$name.log"
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
