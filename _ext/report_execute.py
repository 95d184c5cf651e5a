"""Execute notebooks in parallel, and record what each one read while it ran.

Used by ``report_build`` before Sphinx reads the notebooks: the chapters whose cached
outputs are missing or stale are executed here, several at once (one kernel each), and
stored in myst-nb's jupyter-cache, which myst-nb then reads instead of executing them
one after another.

Each kernel is told, before the notebook's first cell and without touching its outputs
(a silent execution), to note what the chapter reads:

* the modules of ``analysis`` it imported (directly, or through the loader);
* the tables, and the bibliography, it read from a loaded dataset
  (:func:`analysis.data.load.parts_read`): the loader reads every file to validate them, but a
  chapter depends only on the tables whose values it uses;
* any other file of the book it opened (a Python audit hook on ``open``, outside
  :func:`analysis.data.load.load_all`), such as ``CITATION.cff`` or a file of ``analysis/``.

After the last cell the kernel is asked for that record. The notebook is executed exactly
as myst-nb executes it (``nbclient`` with the same working folder, timeout, error policy
and metadata overrides), so the outputs are the same as a sequential run's.
"""

from __future__ import annotations

import ast
import asyncio
import atexit
import json
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

#: Kernel code run silently before the first cell: installs the recorder and defines
#: ``__report_deps__()``, which returns the record as JSON. ``{root!r}`` is the book's folder.
PROBE = r"""
def __report_probe(root):
    import json, os, sys
    root = os.path.realpath(root)
    opened = set()

    def hook(event, args):
        if event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        try:
            path = os.path.abspath(os.fsdecode(args[0]))
        except (TypeError, ValueError):
            return
        frame = sys._getframe(1)
        while frame is not None:  # the loader reads every file to validate it: not a dependency
            code = frame.f_code
            if code.co_name == "load_all" and code.co_filename.endswith(os.path.join("analysis", "load.py")):
                return
            frame = frame.f_back
        opened.add(path)

    sys.addaudithook(hook)

    def deps():
        package = sys.modules.get("analysis")
        pkgdir = os.path.dirname(os.path.realpath(package.__file__)) if getattr(package, "__file__", None) else None
        files = set()

        def add(path):
            path = os.path.realpath(path)
            if "__pycache__" in path.split(os.sep):
                return
            if pkgdir and path.startswith(pkgdir + os.sep):
                files.add("analysis/" + os.path.relpath(path, pkgdir).replace(os.sep, "/"))
            elif path.startswith(root + os.sep):
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                top = rel.split("/", 1)[0]  # the build, environments (.venv) and installed packages are not the book's
                if not (top.startswith((".", "_build")) or "site-packages" in rel.split("/")) and os.path.isfile(path):
                    files.add(rel)

        for name, module in list(sys.modules.items()):
            if (name == "analysis" or name.startswith("analysis.")) and getattr(module, "__file__", None):
                add(module.__file__)
        for path in list(opened):
            add(path)
        load = sys.modules.get("analysis.data.load")
        parts = sorted(load.parts_read()) if hasattr(load, "parts_read") else []
        return json.dumps({"files": sorted(files), "parts": parts, "loader": load is not None, "prefix": sys.prefix})

    return deps


__report_deps__ = __report_probe({root!r})
del __report_probe
"""


@dataclass
class Execution:
    """The outcome of executing one notebook."""

    path: Path
    nb: nbformat.NotebookNode
    seconds: float = 0.0
    error: BaseException | None = None
    traceback: str | None = None
    reads: dict = field(default_factory=dict)  # {"files": [...], "parts": [...], "loader": bool}
    attempts: int = 1  # kernels started (more than one when a kernel did not start)


def _settings(nb: nbformat.NotebookNode, timeout: int | None, allow_errors: bool) -> tuple[int | None, bool]:
    """Timeout and error policy, overridden by the notebook's ``execution`` metadata (as myst-nb does)."""
    meta = nb.metadata.get("execution", {})
    return meta.get("timeout", timeout), meta.get("allow_errors", allow_errors)


async def _silent(client: NotebookClient, code: str, expression: str | None = None) -> str | None:
    """Run ``code`` in the kernel without output or history; return ``expression``'s value (its repr)."""
    msg_id = client.kc.execute(code, silent=True, store_history=False, user_expressions={"value": expression} if expression else {})
    reply = await client.async_wait_for_reply(msg_id)
    content = (reply or {}).get("content", {})
    if content.get("status") != "ok":
        raise RuntimeError(f"report: the dependency probe failed in the kernel: {content.get('ename')}: {content.get('evalue')}")
    if expression:
        value = content["user_expressions"]["value"]
        if value.get("status") != "ok":
            raise RuntimeError(f"report: the dependency probe failed in the kernel: {value.get('ename')}: {value.get('evalue')}")
        return value["data"]["text/plain"]
    return None


#: How many times a notebook is tried whose kernel did not start (it died, or did not answer in
#: time on a loaded machine): that is not the notebook's fault, and the next start usually works.
STARTS = 3


async def _execute(path: Path, root: Path, timeout: int | None, allow_errors: bool, gate: asyncio.Semaphore, stop: threading.Event | None) -> Execution:
    for attempt in range(1, STARTS + 1):
        client: NotebookClient | None = None
        started = False
        try:
            async with gate:  # the kernel's shutdown (below) does not hold a place: the next notebook starts meanwhile
                nb = nbformat.read(path, as_version=4)
                result = Execution(path, nb, attempts=attempt)
                timeout, allow_errors = _settings(nb, timeout, allow_errors)
                client = NotebookClient(nb, timeout=timeout, allow_errors=allow_errors, record_timing=False, resources={"metadata": {"path": str(path.parent)}})

                async def probe(client: NotebookClient = client, **_) -> None:
                    nonlocal started
                    started = True  # the kernel answered: from here on, a failure is the notebook's
                    await _silent(client, PROBE.replace("{root!r}", repr(str(root))))

                client.on_notebook_start = probe
                start = time.perf_counter()
                try:
                    await client.async_execute(cleanup_kc=False)
                    result.seconds = time.perf_counter() - start
                    result.reads = json.loads(ast.literal_eval(await _silent(client, "", "__report_deps__()")))
                except Exception as err:  # a cell that failed, a kernel that died, a probe that failed: myst-nb executes and reports
                    result.error, result.traceback = err, traceback.format_exc()
        except asyncio.CancelledError:
            if client is not None:
                client.shutdown_kernel = "immediate"  # the build stops: nothing to wait for
            raise
        finally:
            if client is not None:
                atexit.unregister(client._cleanup_kernel)  # nbclient leaves it registered when the kernel did not start
                if client.km is not None:  # (nbclient has already cleaned up a kernel that did not start)
                    # The outputs and the record are in hand: the kernel is killed, not asked to exit. A
                    # graceful exit (IPython's history, the interpreter's teardown of pandas and matplotlib)
                    # took 0.4-1.5 s per chapter of CPU that the other kernels wanted, and changes no output.
                    client.shutdown_kernel = "immediate"
                    await client._async_cleanup_kernel()
        if started or result.error is None or isinstance(result.error, (CellExecutionError, CellTimeoutError)) or (stop is not None and stop.is_set()):
            return result
    return result


async def _execute_all(paths: list[Path], root: Path, workers: int, timeout: int | None, allow_errors: bool, stop: threading.Event | None) -> list[Execution]:
    gate = asyncio.Semaphore(max(1, workers))
    tasks = [asyncio.ensure_future(_execute(p, root, timeout, allow_errors, gate, stop)) for p in paths]

    async def watch() -> None:  # a build that stops (its data failed the loader) stops its kernels
        while stop is not None and not all(t.done() for t in tasks):
            if stop.is_set():
                for task in tasks:
                    task.cancel()
                return
            await asyncio.sleep(0.05)

    watcher = asyncio.ensure_future(watch())
    done = await asyncio.gather(*tasks, return_exceptions=True)
    watcher.cancel()
    out = []
    for path, result in zip(paths, done):
        if isinstance(result, asyncio.CancelledError):
            result = Execution(path, nbformat.v4.new_notebook(), error=result)
        elif isinstance(result, BaseException):
            raise result
        out.append(result)
    return out


def execute_notebooks(
    paths: list[Path], root: Path, workers: int, timeout: int | None = None, allow_errors: bool = False, stop: threading.Event | None = None
) -> list[Execution]:
    """Execute each notebook in its own kernel, ``workers`` at a time, in its own folder.

    Returns one :class:`Execution` per notebook, in the order given. A notebook that fails
    has ``error`` set and its outputs are not to be used. Once ``stop`` is set, the kernels
    are shut down at once and every notebook not yet done has an error (``CancelledError``, or
    nbclient's own for a kernel shut down under a running cell).
    """
    if not paths:
        return []
    # An event loop of its own, in a thread of its own: Sphinx's thread keeps its loop state untouched.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _execute_all(list(paths), Path(root), workers, timeout, allow_errors, stop)).result()
