#!/usr/bin/env bash
# Near-duplicate removal over 100k synthetic examples with planted near duplicates; the key figures come last as name=value lines.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.Dedup.dll "$@"
