#!/usr/bin/env bash
# Runs every test of Distill on a Debian machine, installing what the tests need on the way
# (PostgreSQL, RabbitMQ, Azurite, Chromium). Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
rm -rf "$results" artifacts/test-logs
mkdir -p "$results"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

summary() { echo "$1 passed, $2 failed"; }

# Chromium drives the browser tests; PyTorch (Debian's) is the independent reference the Trainer's model is checked against.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null || missing+=(python3-torch python3-numpy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages for the tests"
  as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || { echo "Could not install ${missing[*]}: run 'sudo apt-get install ${missing[*]}' once."; summary 0 1; exit 1; }
fi

if ! dotnet build Distill.sln -nologo -clp:ErrorsOnly; then
  echo "The build failed."
  summary 0 1
  exit 1
fi

# PostgreSQL and RabbitMQ from Debian, Azurite from npm: the same installer the AppHost runs at start.
if ! dotnet src/Distill.AppHost/bin/Debug/net10.0/Distill.AppHost.dll --install-only; then
  echo "Installing the infrastructure failed."
  summary 0 1
  exit 1
fi

status=0
for project in tests/*/*Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done

count() { grep -ho '<Counters [^>]*' "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(count passed); failed=$(count failed)
passed=${passed:-0}; failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "The test run aborted (exit code $status) before reporting a failure; see the output above."
  failed=1
fi
[ "$failed" -eq 0 ] || echo "Logs of the topology the tests ran against: artifacts/test-logs/"
summary "$passed" "$failed"
[ "$failed" -eq 0 ]
