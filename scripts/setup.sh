#!/usr/bin/env bash
# One-time set-up: system packages, then a Release build of the kanade CLI (and the libraries it carries).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
dotnet build src/Kanade.Cli -c Release -nologo -v quiet
echo "Ready: ./kanade --help"
