#!/usr/bin/env bash
# Chat JSONL into Postgres through the Worker's import path vs a raw COPY of the same rows; key figures last as name=value.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.Import.dll "$@"
