#!/usr/bin/env bash
# Chat JSONL import parse throughput on 1M typical lines; the key figures come last as name=value lines.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.ImportParse.dll "$@"
