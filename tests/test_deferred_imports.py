"""sphinxext-opengraph loads without matplotlib, and gets the same defaults and cards (_ext/deferred_imports.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import deferred_imports


def test_literal_assignment_reads_a_module_level_literal_only():
    source = "A = {'x': 1}\nB = make()\ndef f():\n    C = 2\n"
    assert deferred_imports.literal_assignment(source, "A") == {"x": 1}
    for name in ("B", "C", "D"):  # not a literal; not module-level; absent
        with pytest.raises(KeyError):
            deferred_imports.literal_assignment(source, name)


_PROBE = """
import sys
sys.path.insert(0, {ext!r})
import deferred_imports
deferred_imports.setup(None)
import sphinxext.opengraph as og
print('matplotlib' in sys.modules, 'stand-in' in (sys.modules[deferred_imports.SOCIAL_CARDS].__doc__ or ''))
defaults = dict(og.DEFAULT_SOCIAL_CONFIG)
og.create_social_card.__name__  # the stand-in's own method: still nothing imported
print('matplotlib' in sys.modules)
sys.modules[deferred_imports.SOCIAL_CARDS].MAX_CHAR_PAGE_TITLE  # a name only the real module holds
real = sys.modules[deferred_imports.SOCIAL_CARDS]
print('matplotlib' in sys.modules, real.DEFAULT_SOCIAL_CONFIG == defaults, 'stand-in' in (real.__doc__ or ''))
"""


def test_opengraph_loads_without_matplotlib_and_the_real_module_comes_on_first_use():
    """A fresh interpreter: no matplotlib when opengraph loads; the stand-in's defaults equal the real module's."""
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(ext=str(ROOT / "_ext"))], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:3] == ["False True", "False", "True True False"], proc.stdout
