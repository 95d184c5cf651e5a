#!/usr/bin/env bash
# Set up (if needed) and build the whole book: the HTML site in _build/html and its PDF.
#   bash tools/build.sh            strict build: warnings are errors
# Chapters run as Sphinx reads them; a rebuild re-reads a chapter whose text or code changed, or
# whose declared tables changed (see _ext/report.py). Without Chromium the PDF is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"   # as in tools/setup.sh
bash tools/setup.sh
"$VENV/bin/jupyter-book" build . -W -n --keep-going
if command -v chromium >/dev/null; then
    "$VENV/bin/python" tools/build_pdf.py
else
    echo "build: no Chromium here: skipped the PDF (tools/setup.sh says how to get it)"
fi
echo "build: open _build/html/index.html"
