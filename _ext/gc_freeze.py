"""Python's cyclic garbage collector kept off what the whole build keeps (a local Sphinx extension).

A build spends most of its start-up importing the extensions and, on a rebuild, unpickling the
build environment: hundreds of thousands of objects that live until the process ends. Each
time enough new objects accumulate, CPython runs a full collection that walks every one of
them again; on a no-op rebuild of this book that was a quarter of the wall time (about 0.25 s
of 1.2 s, measured with ``gc.callbacks``), and the same again for a reference book.

Listed first among the extensions, this one turns the collector off while the others load
and the environment is unpickled, then, at ``builder-inited`` (before any page is read),
moves everything alive to the permanent generation with :func:`gc.freeze` and turns the
collector back on. Objects made afterwards (pages read and written) are collected as before;
the frozen ones are never scanned again, which also keeps the processes that Sphinx forks to
read and write in parallel from copying those pages of memory. This is the idiom the
:func:`gc.freeze` documentation gives for a process that forks, and that long-running Python
services use after start-up. Nothing in the output changes; the cost is that cyclic garbage
made during start-up, of which there is little, is not reclaimed before the process ends.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx


def _freeze(app: Sphinx) -> None:
    gc.freeze()
    gc.enable()


def setup(app: Sphinx) -> dict:
    gc.disable()
    app.connect("builder-inited", _freeze, priority=0)  # before any other listener
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
