#!/usr/bin/env bash
# Client-side cost of a teacher request through TeacherGeneration (factory client + limiter + retry) against the
# bare HttpClient reference, both against the in-process fake teacher; the key figures come last as name=value lines.
# ./run.sh [requests] ; ./run.sh --layers shows the sequential cost of each layer (SDK, IChatClient, ours).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.GenerateTeacher.dll "$@"
