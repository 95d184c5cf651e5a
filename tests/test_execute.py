"""The parallel executor (``_ext/report_execute.py``) on small notebooks of its own.

A kernel that does not start is not the notebook's fault: it is started again, and when it
never starts the notebook is reported as failed (myst-nb then executes it and reports the
error) instead of the whole build stopping on nbclient's second clean-up of the same kernel.
"""

from __future__ import annotations

import atexit
import contextvars
import sys

import nbformat
import pytest
from jupyter_client.asynchronous.client import AsyncKernelClient
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from bookutil import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import report_execute as rx


def _notebook(path, *cells: str):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


#: The folder of the notebook whose kernel is being started (a task's own context).
_FOLDER: contextvars.ContextVar[str] = contextvars.ContextVar("folder", default="")


@pytest.fixture
def dead_kernels(monkeypatch):
    """``dead_kernels(n, folder)``: the first ``n`` kernels started for notebooks in ``folder``
    never answer, as on a loaded machine (nbclient then cleans up and raises, as it does)."""
    real_start, real_wait = NotebookClient.async_start_new_kernel_client, AsyncKernelClient.wait_for_ready
    left: dict[str, int] = {}

    async def start(self):
        _FOLDER.set(self.resources["metadata"]["path"])
        return await real_start(self)

    async def wait_for_ready(self, timeout=None):
        folder = _FOLDER.get()
        if left.get(folder, 0) > 0:
            left[folder] -= 1
            raise RuntimeError("Kernel didn't respond in 60 seconds")
        return await real_wait(self, timeout=timeout)

    monkeypatch.setattr(NotebookClient, "async_start_new_kernel_client", start)
    monkeypatch.setattr(AsyncKernelClient, "wait_for_ready", wait_for_ready)
    return lambda n, folder: left.update({str(folder): n})


@pytest.fixture
def exit_callbacks(monkeypatch):
    """The kernel clean-ups still registered to run at exit (nbclient registers one per kernel)."""
    live: list = []
    register, unregister = atexit.register, atexit.unregister

    def tracked_register(func, *args, **kwargs):
        live.append(func)
        return register(func, *args, **kwargs)

    def tracked_unregister(func):
        live[:] = [f for f in live if f != func]
        return unregister(func)

    monkeypatch.setattr(atexit, "register", tracked_register)
    monkeypatch.setattr(atexit, "unregister", tracked_unregister)
    return live


@pytest.mark.build
def test_a_notebook_runs_and_its_reads_are_recorded(tmp_path):
    nb = _notebook(tmp_path / "a.ipynb", "open('data.txt', 'w').write('x')", "print(open('data.txt').read())")
    [result] = rx.execute_notebooks([nb], tmp_path, workers=1, timeout=60)
    assert result.error is None and result.attempts == 1
    assert result.nb.cells[1].outputs[0]["text"] == "x\n"
    assert result.reads["files"] == ["data.txt"]


@pytest.mark.build
def test_a_finished_notebooks_kernel_is_killed_not_left_to_exit(tmp_path):
    """Once its outputs are in, the kernel is gone at once: no exit handler of its own runs."""
    import os

    nb = _notebook(tmp_path / "a.ipynb", "import atexit, os\natexit.register(lambda: open('exited.txt', 'w').close())\nprint(os.getpid())")
    [result] = rx.execute_notebooks([nb], tmp_path, workers=1, timeout=60)
    assert result.error is None
    pid = int(result.nb.cells[0].outputs[0]["text"])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # no such process: killed and reaped
    assert not (tmp_path / "exited.txt").exists()


@pytest.mark.build
def test_a_kernel_that_does_not_start_is_started_again(tmp_path, dead_kernels, exit_callbacks):
    nb = _notebook(tmp_path / "a.ipynb", "print(1 + 1)")
    dead_kernels(rx.STARTS - 1, tmp_path)
    [result] = rx.execute_notebooks([nb], tmp_path, workers=1, timeout=60)
    assert result.error is None and result.attempts == rx.STARTS
    assert result.nb.cells[0].outputs[0]["text"] == "2\n"
    assert exit_callbacks == []  # no clean-up of a dead kernel is left to fail at exit


@pytest.mark.build
def test_a_kernel_that_never_starts_fails_that_notebook_only(tmp_path, dead_kernels, exit_callbacks):
    (tmp_path / "bad").mkdir(), (tmp_path / "good").mkdir()
    bad, good = _notebook(tmp_path / "bad/a.ipynb", "1"), _notebook(tmp_path / "good/a.ipynb", "print('ok')")
    dead_kernels(rx.STARTS, tmp_path / "bad")  # every start of that notebook's kernel
    first, second = rx.execute_notebooks([bad, good], tmp_path, workers=2, timeout=60)
    assert isinstance(first.error, RuntimeError) and first.attempts == rx.STARTS  # (was: the build stopped)
    assert second.error is None and second.nb.cells[0].outputs[0]["text"] == "ok\n"
    assert exit_callbacks == []


@pytest.mark.build
def test_a_failing_cell_is_the_notebooks_error_and_is_not_retried(tmp_path):
    nb = _notebook(tmp_path / "a.ipynb", "raise ValueError('in the data')")
    [result] = rx.execute_notebooks([nb], tmp_path, workers=1, timeout=60)
    assert isinstance(result.error, CellExecutionError) and "in the data" in str(result.error)
    assert result.attempts == 1


@pytest.mark.build
def test_a_stopped_build_shuts_its_kernels_down_at_once(tmp_path):
    import asyncio
    import threading
    import time

    slow = [_notebook(tmp_path / f"{n}.ipynb", "import time; time.sleep(60)") for n in ("a", "b", "c")]
    stop = threading.Event()
    threading.Timer(2.0, stop.set).start()
    start = time.perf_counter()
    results = rx.execute_notebooks(slow, tmp_path, workers=2, timeout=120, stop=stop)
    assert time.perf_counter() - start < 15  # not the minute the cells would take
    assert all(r.error is not None for r in results)
    assert isinstance(results[2].error, asyncio.CancelledError)  # it was waiting for a kernel: none was started
