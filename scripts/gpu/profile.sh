#!/usr/bin/env bash
# Runs on the CUDA machine, from the repository root: `kanade bench tokenize` under Nsight Systems (the nsys that ships
# with Nsight Compute in CUDA images is enough), then scripts/gpu/kernels.py on the capture. Output: $OUT/profile.txt.
# Needs .gpu/app.tar.xz and .gpu/lib from prepare.sh (--with-libsndfile --with-libdw: nsys's importer needs libdw,
# which such images may lack). One worker by default, so that one batch's kernels run in sequence.
# Usage: scripts/gpu/profile.sh [extra bench tokenize options, e.g. --repeat 40 --workers-per-device 2]
set -uo pipefail
OUT=${OUT:-gpu-results}; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
root=$(ls -d /opt/nvidia/nsight-compute/*/host 2>/dev/null | tail -1)
nsys=$(command -v nsys || echo "$root/target-linux-x64/nsys")
importer=$(ls "$root"/*/QdstrmImporter 2>/dev/null | head -1)
[ -x "$nsys" ] || { echo "no nsys on this machine" >&2; exit 2; }
export TORCH_LIB=${TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
source scripts/gpu/libsndfile.sh
capture=$(mktemp -d)/tokenize
"$nsys" profile -t cuda -s none --cpuctxsw=none -f true -o "$capture" \
  .gpu/run.sh .gpu/app.tar.xz kanade bench tokenize --config config/model/12hz.yaml --device cuda --precision bf16 \
  --files 256 --seconds 10 --shuffle --repeat 40 --workers-per-device 1 "$@" > "$OUT/profile_run.txt" 2>&1
# Some nsys builds leave the raw stream for the importer instead of a report.
[ -f "$capture.nsys-rep" ] || LD_LIBRARY_PATH="$PWD/.gpu/lib/profiler${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$importer" -i "$capture.qdstrm" >> "$OUT/profile_run.txt" 2>&1
"$nsys" export --type sqlite -f true -o "$capture.sqlite" "$capture.nsys-rep" >> "$OUT/profile_run.txt" 2>&1
python3 scripts/gpu/kernels.py "$capture.sqlite" > "$OUT/profile.txt"
status=$?
head -3 "$OUT/profile.txt"
exit $status
