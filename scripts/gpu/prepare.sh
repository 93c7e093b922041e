#!/usr/bin/env bash
# Packs what a CUDA machine with PyTorch needs (see README.md here) into .gpu/ (git-ignored):
#   .gpu/app.tar.xz       the kanade CLI, self-contained, TorchBackend=external (libtorch from the machine's PyTorch)
#   .gpu/tests.tar.xz     Kanade.Tests as a self-contained MSTest runner, plus the fixtures it reads (--tests)
#   .gpu/ref/             the Python reference from REF_DIR, if given (--reference REF_DIR): never committed
#   .gpu/lib/             this machine's libsndfile and its codec libraries (--with-libsndfile), for a GPU machine
#                         that lacks libsndfile1 and cannot install it
#   .gpu/lib/profiler/    libdw and its libraries (--with-libdw), which the Nsight Systems importer that profile.sh
#                         runs needs and CUDA images may lack (apt-get install libdw1 here first)
# Usage: scripts/gpu/prepare.sh [--tests] [--reference REF_DIR] [--with-libsndfile] [--with-libdw]
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${KANADE_SHARED:-../shared}
mkdir -p .gpu
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
cp "$shared/gpu/run.sh" .gpu/
tests=0; reference=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tests) tests=1; shift ;;
    --reference) reference=$2; shift 2 ;;
    --with-libsndfile)
      rm -rf .gpu/lib && mkdir -p .gpu/lib
      lib=$(ldconfig -p | awk '/libsndfile.so.1 /{print $NF; exit}')
      cp -L "$lib" .gpu/lib/
      ldd "$lib" | awk '/=>/{print $3}' | grep -v -E '/(libc|libm|libpthread|libdl|ld-linux|libgcc_s)[.-]' | xargs -r -I{} cp -L {} .gpu/lib/
      shift ;;
    --with-libdw)
      lib=$(ldconfig -p | awk '/libdw.so.1 /{print $NF; exit}')
      [ -n "$lib" ] || { echo "libdw.so.1 not found: apt-get install libdw1" >&2; exit 2; }
      rm -rf .gpu/lib/profiler && mkdir -p .gpu/lib/profiler
      cp -L "$lib" .gpu/lib/profiler/
      ldd "$lib" | awk '/=>/{print $3}' | grep -v -E '/(libc|libm|libpthread|libdl|ld-linux|libgcc_s|libz)[.-]' | xargs -r -I{} cp -L {} .gpu/lib/profiler/
      shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ "$tests" = 1 ]; then
  tmp=$(mktemp -d)
  dotnet publish tests/Kanade.Tests -c Release -r linux-x64 --self-contained -p:KanadeTestRunner=true -p:TorchBackend=external -o "$tmp/tests" >&2
  rm -f "$tmp"/tests/libtorch*.so* "$tmp"/tests/libc10*.so*
  # Coverage and localised resources are not needed there, and the device tool carries 64 MiB at most.
  rm -rf "$tmp"/tests/Microsoft.CodeCoverage "$tmp"/tests/libInstrumentationEngine.so
  find "$tmp/tests" -mindepth 1 -maxdepth 1 -type d -name '??' -o -mindepth 1 -maxdepth 1 -type d -name '??-*' | xargs -r rm -rf
  mkdir -p "$tmp/tests/fixtures"
  # The model, vocoder and training-config fixtures; the training-step weights stay behind (the suite on CUDA is
  # Kanade.Tests, which does not read them).
  for set in tiny12 tiny25; do
    mkdir -p "$tmp/tests/fixtures/$set"
    cp -r "$shared/fixtures/$set/clips" "$shared/fixtures/$set/model.yaml" "$shared/fixtures/$set/model_full.safetensors" \
          "$shared/fixtures/$set/voice_conversion.safetensors" "$shared/fixtures/$set/model.safetensors" \
          "$shared/fixtures/$set/ssl.safetensors" "$shared/fixtures/$set"/train*.yaml "$tmp/tests/fixtures/$set/"
  done
  cp "$shared/fixtures/tiny12/vocos.safetensors" "$shared/fixtures/tiny12/vocos_config.yaml" "$tmp/tests/fixtures/tiny12/"
  cp "$shared/fixtures/tiny25/hift.safetensors" "$shared/fixtures/tiny25/hift_config.json" "$tmp/tests/fixtures/tiny25/"
  cp -r "$shared/fixtures/audio" "$shared/fixtures/fixtures.json" "$shared/fixtures/manifests.json" "$tmp/tests/fixtures/"
  tar -C "$tmp" -cJf .gpu/tests.tar.xz tests
  rm -rf "$tmp"
else
  rm -f .gpu/tests.tar.xz
  bash "$shared/gpu/pack.sh" src/Kanade.Cli/Kanade.Cli.csproj .gpu/app.tar.xz
fi
if [ -n "$reference" ]; then
  rm -rf .gpu/ref && mkdir -p .gpu/ref/src .gpu/refbench
  cp -r "$reference/src/kanade_tokenizer" .gpu/ref/src/
  cp -r "$reference/config" .gpu/ref/
  cp -r "${VOCOS_DIR:-$reference/vocos}" .gpu/ref/vocos
  cp "$shared/reference/"*.py "$shared/reference/"*.yaml .gpu/refbench/
fi
du -sh .gpu >&2
