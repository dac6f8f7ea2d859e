#!/usr/bin/env bash
# The browse pane's filtered page query at 1M examples in a real Postgres; the key figures come last as name=value lines.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.Browse.dll "$@"
