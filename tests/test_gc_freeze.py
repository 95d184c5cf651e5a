"""No garbage collection while the build starts; then everything alive frozen (_ext/gc_freeze.py)."""

from __future__ import annotations

import subprocess
import sys

import yaml

from bookutil import ROOT

_PROBE = """
import gc, sys
sys.path.insert(0, {ext!r})
import gc_freeze

class App:
    listeners = []
    def connect(self, event, handler, priority=500):
        self.listeners.append((event, handler, priority))

app = App()
gc_freeze.setup(app)
print(gc.isenabled(), app.listeners[0][0], app.listeners[0][2])
before = gc.get_freeze_count()
app.listeners[0][1](app)
print(gc.isenabled(), gc.get_freeze_count() > before)
"""


def test_the_collector_is_off_until_builder_inited_then_on_with_the_start_up_frozen():
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(ext=str(ROOT / "_ext"))], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["False builder-inited 0", "True True"], proc.stdout


def test_it_is_the_first_extension_loaded():
    """Loaded first, it keeps the collector off while every other extension is imported."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["extensions"][0] == "gc_freeze"
    assert config["sphinx"]["local_extensions"]["gc_freeze"] == "_ext"
