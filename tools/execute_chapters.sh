#!/usr/bin/env bash
# Re-execute every chapter in a fresh kernel and store its outputs in the .ipynb, so that
# the stored outputs (which nbval compares and readers see on GitHub) match the current data.
# Run after changing analysis/ or data/:   bash tools/execute_chapters.sh
set -euo pipefail
cd "$(dirname "$0")/../chapters"
for nb in *.ipynb; do
    ../.venv/bin/jupyter nbconvert --to notebook --execute --inplace --log-level=WARN --NotebookClient.record_timing=False "$nb"
done
