"""Re-running a chapter as a reader would: through a JupyterLab server on 127.0.0.1.

The test starts JupyterLab (installed by the set-up), opens chapters through the
server's contents API, starts a kernel for each through a session, and runs every
code cell over the kernel's websocket, as "Run all" does, failing on any error.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from bookutil import ROOT

websocket = pytest.importorskip("websocket")

pytestmark = [pytest.mark.jupyter, pytest.mark.xdist_group("jupyter")]  # one server per run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port, token = _free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={ROOT}",
            "--allow-root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + proc.stderr.read()[-2000:])
    yield {"base": base, "token": token, "port": port}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _api(server, method: str, path: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(
        f"{server['base']}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {server['token']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode()
    return json.loads(text) if text else {}


def _run(ws, code: str, timeout: float = 120) -> list[dict]:
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {"msg_id": msg_id, "username": "reader", "session": uuid.uuid4().hex, "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }
        )
    )
    errors, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            errors.append(msg["content"])
        if msg["channel"] == "shell" and msg["msg_type"] == "execute_reply":
            if msg["content"]["status"] != "ok":
                errors.append(msg["content"])
            return errors
    raise TimeoutError(f"no reply within {timeout} s")


def test_jupyterlab_serves_the_lab_interface(server):
    with urllib.request.urlopen(f"{server['base']}/lab?token={server['token']}", timeout=30) as r:
        assert r.status == 200 and "JupyterLab" in r.read().decode()


@pytest.mark.parametrize("chapter", ["index", "method", "directives"])
def test_run_all_cells_through_the_server(server, chapter):
    path = f"chapters/{chapter}.ipynb"
    nb = _api(server, "GET", f"/api/contents/{path}")
    code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["content"]["cells"] if c["cell_type"] == "code"]
    assert code, "the chapter has no code"
    session = _api(server, "POST", "/api/sessions", {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
    ws = websocket.create_connection(f"ws://127.0.0.1:{server['port']}/api/kernels/{session['kernel']['id']}/channels?token={server['token']}", timeout=120)
    try:
        for i, source in enumerate(code, 1):
            errors = _run(ws, source)
            assert errors == [], f"{path}, code cell {i}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    finally:
        ws.close()
        _api(server, "DELETE", f"/api/sessions/{session['id']}")


ROLE_MARKUP = re.compile(r"\{(eval|glue|glue:text|quote|inference|doc|numref|cite|ref)\}`|Unknown Directive|Unknown Role")


def _rendered_prose(server, chapter: str, run: bool) -> str:
    """The text JupyterLab shows for a chapter's Markdown cells (JupyterLab-MyST renders them), optionally after Run All.

    Playwright's sync API refuses to start in a thread whose asyncio loop is running (an earlier
    test in the same worker may leave one, e.g. through nbclient), so it runs in a thread of its own.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_rendered_prose_in_thread, server, chapter, run).result()


def _rendered_prose_in_thread(server, chapter: str, run: bool) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{server['base']}/lab/tree/chapters/{chapter}.ipynb?token={server['token']}")
            page.wait_for_selector(".jp-MarkdownCell", timeout=90_000)
            page.wait_for_function("() => document.querySelector('.jp-Notebook')?.innerText.includes('Bottom line')", timeout=90_000)
            if run:
                page.keyboard.press("Escape")
                page.click("text=Run", timeout=10_000)
                page.click("text=Run All Cells", timeout=10_000)
                page.wait_for_function("() => [...document.querySelectorAll('.jp-InputPrompt')].every(p => !p.textContent.includes('*'))", timeout=120_000)
                page.wait_for_timeout(3000)
            page.wait_for_timeout(2000)
            return "\n".join(page.locator(".jp-MarkdownCell").all_inner_texts())
        finally:
            browser.close()


@pytest.mark.parametrize("run", [False, True], ids=["as-stored", "after-run-all"])
def test_jupyterlab_shows_the_prose_as_the_site_does(server, run):
    """JupyterLab-MyST renders the front page's prose: values and statements, no role markup, no unknown directive."""
    text = _rendered_prose(server, "index", run)
    assert not ROLE_MARKUP.search(text), ROLE_MARKUP.search(text).group(0) + " in:\n" + text[:2000]
    from analysis import load_all
    from analysis.queries.concepts import Concepts

    c = Concepts(load_all(ROOT))
    assert f"{c.words}-word" in text and f"the {c.trip_readouts_others} other readouts of the mayor's trips out" in text, text[:2000]
