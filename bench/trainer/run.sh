#!/usr/bin/env bash
# Training throughput of Distill against PyTorch on the same model and step; the key figures come last as
# name=value lines. Takes about 5 minutes on the 2-core machine when nothing else runs.
set -euo pipefail
cd "$(dirname "$0")"

# The PyTorch side is Debian's torch 1.13, which calls the system's libblas.so.3: with the reference BLAS it is
# about 17x slower, so OpenBLAS must be installed (it then takes over libblas.so.3 through update-alternatives).
missing=()
for package in python3-torch python3-numpy libopenblas0-pthread; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} > 0)); then
    echo "Installing ${missing[*]} (the PyTorch baseline needs them)."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)
echo "libblas.so.3 -> $blas"
if [[ "$blas" != *openblas* ]]; then
    echo "libblas.so.3 is not OpenBLAS: run 'update-alternatives --config libblas.so.3-x86_64-linux-gnu' and pick openblas-pthread." >&2
    exit 1
fi

dotnet build -c Release -nologo -v q -clp:ErrorsOnly
dotnet bin/Release/net10.0/linux-x64/Distill.Bench.Trainer.dll
