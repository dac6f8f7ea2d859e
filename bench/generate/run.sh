#!/usr/bin/env bash
# Decoding throughput with and without the KV cache; the key figures come last as name=value lines.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.Generate.dll
