"""sphinxext-opengraph without matplotlib until a social card is drawn (a local Sphinx extension).

``sphinxext.opengraph`` imports its ``_social_cards`` module, and with it matplotlib and its
font cache, as it is loaded, even when social cards are off: about half a second of every
build, including a no-op rebuild. Listed before ``sphinxext.opengraph``, this extension puts
a stand-in for that module in ``sys.modules``. The stand-in holds the module's
``DEFAULT_SOCIAL_CONFIG``, read from its source without running it, and imports the real
module the first time anything else is asked of it (``create_social_card`` included), so a
book with social cards on gets the same cards. Nothing in the output changes.

If matplotlib is not installed, or the module no longer defines ``DEFAULT_SOCIAL_CONFIG`` as a
literal, no stand-in is put in place: opengraph then imports the module as it always did.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

SOCIAL_CARDS = "sphinxext.opengraph._social_cards"
DEFAULTS = "DEFAULT_SOCIAL_CONFIG"


def literal_assignment(source: str, name: str) -> Any:
    """The value of the module-level assignment ``name = <literal>`` in ``source``; KeyError if there is none."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                break
    raise KeyError(name)


class _Deferred(types.ModuleType):
    """A module that imports the real one (and becomes a proxy of it) on first use."""

    def __init__(self, name: str, defaults: dict) -> None:
        super().__init__(name, f"stand-in for {name} until it is needed (_ext/deferred_imports.py)")
        setattr(self, DEFAULTS, defaults)
        self.__real: types.ModuleType | None = None

    def _real(self) -> types.ModuleType:
        if self.__real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            self.__real = importlib.import_module(self.__name__)
        return self.__real

    def create_social_card(self, *args: Any, **kwargs: Any) -> Any:
        return self._real().create_social_card(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:  # only for names the stand-in does not hold
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._real(), attr)


def stand_in(name: str = SOCIAL_CARDS) -> types.ModuleType | None:
    """A stand-in for the social-card module, or None where the real one must be imported now."""
    if name in sys.modules or importlib.util.find_spec("matplotlib") is None:
        return None
    parent, _, leaf = name.rpartition(".")
    spec = importlib.util.find_spec(parent)  # the package's own spec: finding the module's would import the package
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        source = Path(list(spec.submodule_search_locations)[0], f"{leaf}.py").read_text(encoding="utf-8")
        defaults = literal_assignment(source, DEFAULTS)
    except (KeyError, OSError, SyntaxError):
        return None
    if not isinstance(defaults, dict):
        return None
    return _Deferred(name, defaults)


def setup(app: Sphinx) -> dict:
    if "sphinxext.opengraph" not in sys.modules:
        module = stand_in()
        if module is not None:
            sys.modules[SOCIAL_CARDS] = module
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
