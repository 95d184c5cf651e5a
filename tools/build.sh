#!/usr/bin/env bash
# Set up (if needed) and build the whole book: the HTML site in _build/html and its PDF.
#   bash tools/build.sh            strict build: warnings are errors
# Execution is cached: a rebuild re-runs only chapters whose code changed, or all of
# them when analysis/ or data/ changed (see _ext/report_build.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/jupyter-book build . -W -n --keep-going
.venv/bin/python tools/build_pdf.py
echo "build: open _build/html/index.html"
