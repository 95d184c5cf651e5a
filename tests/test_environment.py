"""The pinned environment leaves out what slows every import of jsonschema (see tools/setup.sh)."""

from __future__ import annotations

import subprocess
import sys

from bookutil import ROOT

LEFT_OUT = ("rfc3987-syntax", "lark")


def test_the_lock_leaves_out_the_iri_grammar_packages():
    names = {line.split("==")[0].lower() for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()}
    assert not names & set(LEFT_OUT), "requirements.lock pins rfc3987-syntax or lark: drop them (README, Updating the lock)"


def test_importing_jsonschema_compiles_no_grammar():
    code = "import sys, jsonschema; print(sorted(m for m in sys.modules if m.split('.')[0] in ('lark', 'rfc3987_syntax')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"importing jsonschema imported {out}: run bash tools/setup.sh to remove what the lock does not pin"
