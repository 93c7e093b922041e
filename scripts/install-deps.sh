#!/usr/bin/env bash
# Installs what a fresh Debian 12 / Ubuntu 22.04+ machine lacks (apt packages, the test suite's Parquet checker).
# Needs root or sudo for apt; does nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# libsndfile1: audio decoding (runtime). espeak-ng, sox: the sample corpus recipe (datasets/make_corpus.sh).
missing=()
for pkg in libsndfile1 espeak-ng sox; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# An independent Parquet reader (hyparquet, npm) checks the token files the ML.NET tests write.
if [ ! -d tests/Kanade.MLNet.Tests/parquet-check/node_modules ] && command -v npm >/dev/null; then
  npm ci --prefix tests/Kanade.MLNet.Tests/parquet-check --no-audit --no-fund --silent
fi
