#!/usr/bin/env bash
# Runs on the CUDA machine, from the repository root: the test suite that prepare.sh --tests packed, on CUDA (model
# parity in float32 with TF32 off), against the machine's PyTorch libtorch. Extra arguments go to the MSTest runner,
# e.g. --filter "FullyQualifiedName~Kanade.Tests.Ssl". Output: $OUT/tests.txt.
set -uo pipefail
OUT=${OUT:-gpu-results}; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
repo=$PWD; dir=$(mktemp -d)
tar -C "$dir" -xJf .gpu/tests.tar.xz
lib=${TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
source scripts/gpu/libsndfile.sh
export KANADE_TEST_DEVICE=cuda KANADE_FIXTURES=$dir/tests/fixtures KANADE_REPO=$repo
(cd "$dir/tests" && ./Kanade.Tests --output detailed "$@") > "$OUT/tests.txt" 2>&1
status=$?
tail -3 "$OUT/tests.txt"
exit $status
