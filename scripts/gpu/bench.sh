#!/usr/bin/env bash
# Runs on the CUDA machine, from the repository root: this project's benchmarks and, when .gpu/ref exists, the Python
# reference's, on the same GPU, gathering JSON and text in $RESULTS and packing them into $OUT/bench-results.tgz after
# every step (the device tool returns at most 8 files, and a run cut off still returns the steps it finished).
# Usage: scripts/gpu/bench.sh [model|tokenize|train|reference|all]...
# Then, here: mkdir r && tar -C r -xzf bench-results.tgz && python3 scripts/gpu/compare.py r
set -uo pipefail
OUT=${OUT:-gpu-results}; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
RESULTS=${RESULTS:-$(mktemp -d)}; mkdir -p "$RESULTS"
pack() { tar -C "$RESULTS" -czf "$OUT/bench-results.tgz" .; }
export APP_DIR=${APP_DIR:-/tmp/kanade-app}; mkdir -p "$APP_DIR"
source scripts/gpu/libsndfile.sh
K() { .gpu/run.sh .gpu/app.tar.xz kanade "$@"; }
what=${*:-all}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$RESULTS/gpu.txt"
python3 -c 'import torch; print(torch.__version__)' >> "$RESULTS/gpu.txt"
if [[ $what == *model* || $what == all ]]; then
  for p in fp32 bf16-ssl-fp32 bf16; do
    K bench model --config config/model/12hz.yaml --device cuda --precision $p --json "$RESULTS/model_$p.json" > "$RESULTS/model_$p.txt" 2>&1
  done
fi
pack
if [[ $what == *tokenize* || $what == all ]]; then
  # In corpus order (every part holds the same lengths: 16 copies of the 256 files) and shuffled (every part differs, as in a
  # real manifest, so the device keeps meeting new batch shapes).
  for order in tokenize tokenize_shuffled; do
    nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -lms 250 > "$RESULTS/${order}_gpu_util.csv" &
    smi=$!
    K bench tokenize --config config/model/12hz.yaml --device cuda --precision ${TOKENIZE_PRECISION:-bf16} \
      --files ${TOKENIZE_FILES:-256} --seconds 10 --repeat ${TOKENIZE_REPEAT:-300} ${DECODE_THREADS:+--decode-threads $DECODE_THREADS} \
      $([ $order = tokenize_shuffled ] && echo --shuffle) ${TOKENIZE_ARGS:-} > "$RESULTS/$order.txt" 2>&1
    kill $smi
    pack
  done
fi
pack
if [[ $what == *train* || $what == all ]]; then
  for p in 32 tf32 bf16-mixed; do
    K fit --config config/train/12hz_pretrain.yaml --device cuda --trainer.precision $p --benchmark-steps 20 --benchmark-batch 16 > "$RESULTS/train_$p.txt" 2>&1
  done
  K fit --config config/train/12hz_gan.yaml --device cuda --trainer.precision bf16-mixed --benchmark-steps 10 --benchmark-batch 16 > "$RESULTS/train_gan_bf16-mixed.txt" 2>&1
fi
pack
if [[ ($what == *reference* || $what == all) && -d .gpu/ref ]]; then
  (cd .gpu/refbench && python3 bench_ref.py ../ref "$RESULTS/reference.json") > "$RESULTS/reference.txt" 2>&1
fi
pack
ls -la "$RESULTS"
