"""Benchmarks: how fast this book builds, re-runs and loads, against a reference book.

One run measures, each as the median of ``--repeat`` runs (default 3):

* for this book and for the reference book that ``jupyter-book create`` makes with
  the same installed versions: a cold build (after ``jupyter-book clean --all``), a
  no-op rebuild, a rebuild after a prose-only edit, and (this book) a rebuild after a
  one-cell edit of one table; in seconds and as cost per executed notebook, with the
  ratios (cost per notebook / the reference's, one-table edit / cold build, no-op / the
  reference's no-op);
* each chapter's execution time in a fresh kernel, and the import time of ``analysis``;
* the built site: total size, and for each page the bytes a first visit transfers
  (served with gzip, as GitHub Pages serves it), by kind, heaviest pages and assets;
* Lighthouse (npm ``lighthouse`` with Debian's Chromium), when Chromium is present: the
  mobile preset (simulated slow 4G and a slowed CPU) on every page of the site, median of
  ``--repeat`` runs each (``--lighthouse-two-pages``: the front page and the heaviest chapter
  only), and the desktop preset once on those two. Target: every page >= 90 performance,
  100 accessibility.

``--lighthouse-only`` skips the build timings: it builds this book once (or takes an
already built site with ``--site _build/html``) and runs Lighthouse mobile on every page,
``--repeat`` times per page, reporting each page's median; ``--lighthouse-reports DIR``
keeps each run's full Lighthouse JSON (its opportunities and diagnostics).

It prints a table and writes the same figures to ``benchmarks/results/latest.json``.
Both books are built in a temporary folder; the repository's ``_build`` is untouched.

    .venv/bin/python benchmarks/run.py [--repeat N] [--skip-lighthouse | --lighthouse-two-pages]
    .venv/bin/python benchmarks/run.py --lighthouse-only [--site _build/html] [--repeat N] [--lighthouse-reports DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from bookutil import copy_book, edit_notebook, executed  # noqa: E402

BIN = Path(sys.executable).parent
JB = BIN / "jupyter-book"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LIGHTHOUSE = ROOT / "benchmarks/node_modules/lighthouse/cli/index.js"
RESULTS = ROOT / "benchmarks/results/latest.json"
DATA_EDIT_TABLE = "data/glossary.csv"  # the one-table edit: one cell of this table
TARGETS = {
    "data_edit_cold_ratio_max": 0.5,
    "noop_reference_ratio_max": 1.2,
    "cold_cost_ratio_max": 1.0,
    "chapter_exec_s_max": 3.0,
    "page_first_visit_bytes_max": 1_000_000,
    "lighthouse_mobile_performance_min": 90,
    "lighthouse_accessibility_min": 100,
}


# --- builds ------------------------------------------------------------------------
def jb(book: Path, *args: str, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run([str(JB), *args], cwd=book, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"jupyter-book {' '.join(args)} failed in {book}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc


def toggle(path: Path, a: str, b: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(a, b, 1) if a in text else text.replace(b, a, 1), encoding="utf-8")


def measure_builds(book: Path, prose_edit, data_edit=None, repeat: int = 3) -> dict:
    """Median timings of cold, no-op, prose-edit and (optionally) data-edit builds of one book."""
    runs: dict[str, list[float]] = {"cold": [], "noop": [], "prose": [], "data": []}
    execs: dict[str, list[int]] = {k: [] for k in runs}
    for _ in range(repeat):
        jb(book, "clean", "--all", ".")
        t, p = jb(book, "build", ".")
        runs["cold"].append(t)
        execs["cold"].append(executed(p))
        t, p = jb(book, "build", ".")
        runs["noop"].append(t)
        execs["noop"].append(executed(p))
        prose_edit()
        t, p = jb(book, "build", ".")
        runs["prose"].append(t)
        execs["prose"].append(executed(p))
        if data_edit:
            data_edit()
            t, p = jb(book, "build", ".")
            runs["data"].append(t)
            execs["data"].append(executed(p))
            data_edit()  # revert, and rebuild so that the next round starts from the same state
            jb(book, "build", ".")
    out = {}
    for key, times in runs.items():
        if times:
            out[key] = {"seconds": round(statistics.median(times), 2), "runs": [round(t, 2) for t in times], "executed": int(statistics.median(execs[key]))}
    cold = out["cold"]
    cold["cost_per_executed_notebook"] = round(cold["seconds"] / max(cold["executed"], 1), 2)
    return out


def this_book(tmp: Path, repeat: int) -> tuple[dict, Path]:
    book = copy_book(tmp / "this")
    glossary = book / "chapters/glossary.ipynb"

    def prose() -> None:
        edit_notebook(
            glossary,
            "markdown",
            lambda s: (
                s.replace("The official terms the article uses", "The official terms that the article uses")
                if "terms the article" in s
                else s.replace("terms that the article", "terms the article")
            ),
        )

    def data() -> None:
        toggle(book / DATA_EDIT_TABLE, "Networked devices and sensors", "Networked sensors and devices")

    return measure_builds(book, prose, data, repeat), book


def readers(book: Path, table: str) -> int:
    """How many chapters declare that they read ``table`` (notebook metadata ``report.reads``)."""
    name = Path(table).stem
    count = 0
    for nb_path in (book / "chapters").glob("*.ipynb"):
        reads = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {}).get("report", {}).get("reads", [])
        count += name in reads
    return count


def reference_book(tmp: Path, repeat: int) -> dict:
    subprocess.run([str(JB), "create", str(tmp / "reference")], check=True, capture_output=True)
    book = tmp / "reference"
    target = book / "markdown.md"

    def prose() -> None:
        toggle(target, "You can write", "You may write")

    return measure_builds(book, prose, None, repeat)


# --- chapters and imports ------------------------------------------------------------
def chapter_times(book: Path, repeat: int) -> dict[str, float]:
    """Median wall time to execute each chapter in a fresh kernel (kernel start included)."""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for nb_path in sorted((book / "chapters").glob("*.ipynb")):
        runs = []
        for _ in range(repeat):
            nb = nbformat.read(nb_path, as_version=4)
            start = time.perf_counter()
            NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(nb_path.parent)}}).execute()
            runs.append(time.perf_counter() - start)
        times[nb_path.stem] = round(statistics.median(runs), 2)
    return times


def import_time(repeat: int = 5) -> dict[str, float]:
    """Seconds to ``import analysis`` in a fresh interpreter, less an empty interpreter's start."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - start

    base = statistics.median(run("pass") for _ in range(repeat))
    full = statistics.median(run("import analysis") for _ in range(repeat))
    load = statistics.median(run("import analysis; analysis.load_all()") for _ in range(repeat))
    return {"import_analysis_s": round(full - base, 3), "import_and_load_all_s": round(load - base, 3), "interpreter_start_s": round(base, 3)}


# --- the built site --------------------------------------------------------------------
class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as GitHub Pages does: text compressed with gzip when the client accepts it."""

    COMPRESS = (".html", ".css", ".js", ".svg", ".json", ".txt", ".xml", ".map")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in self.COMPRESS and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io

            return io.BytesIO(body)
        return super().send_head()


def serve(html: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def site_weight(html: Path, url: str) -> dict:
    """Bytes transferred by a first visit to each page (fresh browser context), by resource kind."""
    from playwright.sync_api import sync_playwright

    total = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_"))
    per_page, assets = {}, {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        for page_path in pages:
            context = browser.new_context()
            page = context.new_page()
            seen: list = []
            page.on("requestfinished", lambda request, seen=seen: seen.append(request))  # a bound builtin cannot carry playwright's handler attribute
            page.goto(url + page_path, wait_until="networkidle")
            kinds: dict[str, int] = {}
            for r in seen:
                size = r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                kind = {"document": "html", "stylesheet": "css", "script": "js", "image": "images", "font": "fonts"}.get(r.resource_type, "other")
                kinds[kind] = kinds.get(kind, 0) + size
                name = r.url.replace(url, "").split("?")[0]
                assets[name] = max(assets.get(name, 0), size)
            per_page[page_path] = {"total": sum(kinds.values()), **kinds}
            context.close()
        browser.close()
    heaviest = sorted(per_page.items(), key=lambda kv: -kv[1]["total"])
    return {
        "site_total_bytes": total,
        "pages": per_page,
        "heaviest_pages": [[p, v["total"]] for p, v in heaviest[:5]],
        "heaviest_assets": sorted(([a, s] for a, s in assets.items()), key=lambda x: -x[1])[:8],
        "max_page_bytes": heaviest[0][1]["total"],
    }


def site_pages(html: Path) -> list[str]:
    """Every page of the built site (the root redirect and Sphinx's ``_`` folders excluded)."""
    found = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_"))
    return [p for p in found if p != "index.html"]  # the root index is a redirect to chapters/index.html


def lighthouse(url: str, preset: str, keep: Path | None = None) -> dict:
    """One Lighthouse run (performance and accessibility); ``keep``: where to copy the full JSON report."""
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--prefix", str(ROOT / "benchmarks"), "--no-audit", "--no-fund", "--silent"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        args = [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={' '.join(CHROME_ARGS)}",
        ]
        if preset == "desktop":
            args.append("--preset=desktop")
        subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300)
        report = json.loads(out.read_text())
        if keep:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(out, keep)
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "speed_index_ms": round(audits["speed-index"]["numericValue"]),
        "render_blocking_ms": round(audits.get("render-blocking-resources", {}).get("numericValue", 0) or 0),
    }


def lighthouse_median(url: str, preset: str, repeat: int, keep: Path | None = None) -> dict:
    """Median of ``repeat`` Lighthouse runs of one page (each figure its own median), with every run's scores."""
    runs = [lighthouse(url, preset, keep.with_name(f"{keep.stem}-{i}.json") if keep else None) for i in range(repeat)]
    out = {k: (statistics.median(r[k] for r in runs) if not isinstance(runs[0][k], str) else runs[0][k]) for k in runs[0]}
    out = {k: (round(v) if k != "cumulative_layout_shift" else round(v, 3)) for k, v in out.items()}
    out["performance_runs"] = [r["performance"] for r in runs]
    return out


def lighthouse_every_page(html: Path, repeat: int, reports: Path | None = None, only: list[str] | None = None, errors: list | None = None) -> dict[str, dict]:
    """Lighthouse mobile, median of ``repeat`` runs, on every page of a built site (served with gzip), or the pages ``only``.

    With ``errors`` (a list), a page whose Lighthouse run fails is noted there and skipped; otherwise the error is raised.
    """
    server, url = serve(html)
    results = {}
    try:
        for page in only or site_pages(html):
            print(f"lighthouse: {page}, mobile x{repeat} ...", flush=True)
            keep = reports / (page.replace("/", "_").removesuffix(".html") + ".json") if reports else None
            try:
                results[page] = lighthouse_median(url + page, "mobile", repeat, keep)
            except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
                if errors is None:
                    raise
                print(f"lighthouse failed: {exc}", flush=True)
                errors.append(f"{page}, mobile: {exc}")
                continue
            r = results[page]
            print(
                f"  performance {r['performance']} {r['performance_runs']}  accessibility {r['accessibility']}  "
                f"FCP {r['first_contentful_paint_ms']} LCP {r['largest_contentful_paint_ms']} TBT {r['total_blocking_time_ms']} "
                f"CLS {r['cumulative_layout_shift']} SI {r['speed_index_ms']}",
                flush=True,
            )
    finally:
        server.shutdown()
    return results


def lighthouse_only(args) -> None:
    """``--lighthouse-only``: build once (or take ``--site``), Lighthouse mobile on every page, medians."""
    result: dict = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(), "versions": versions(), "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp_name:
        if args.site:
            html = Path(args.site).resolve()
        else:
            print("building this book ...", flush=True)
            book = copy_book(Path(tmp_name) / "this")
            jb(book, "build", ".", "--all")
            html = book / "_build/html"
        result["lighthouse_mobile"] = pages = lighthouse_every_page(
            html, args.repeat, Path(args.lighthouse_reports).resolve() if args.lighthouse_reports else None, args.pages
        )
    low = {p: v["performance"] for p, v in pages.items() if v["performance"] < TARGETS["lighthouse_mobile_performance_min"]}
    inaccessible = {p: v["accessibility"] for p, v in pages.items() if v["accessibility"] < TARGETS["lighthouse_accessibility_min"]}
    result["targets_met"] = {
        f"Lighthouse mobile performance >= {TARGETS['lighthouse_mobile_performance_min']} on every page": not low,
        "Lighthouse accessibility 100 on every page": not inaccessible,
    }
    out = RESULTS.with_name("lighthouse.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\n{'page':34} {'perf':>5} {'a11y':>5} {'FCP':>6} {'LCP':>6} {'TBT':>5} {'SI':>6}  runs")
    for page, r in pages.items():
        print(
            f"{page:34} {r['performance']:5} {r['accessibility']:5} {r['first_contentful_paint_ms']:6} {r['largest_contentful_paint_ms']:6} "
            f"{r['total_blocking_time_ms']:5} {r['speed_index_ms']:6}  {r['performance_runs']}"
        )
    for k, v in result["targets_met"].items():
        print(f"  {k:55} {'met' if v else 'NOT MET'}")
    print(f"\nwritten to {out.relative_to(ROOT)}")


# --- report ----------------------------------------------------------------------------
def machine() -> dict:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1] if Path("/proc/meminfo").exists() else "0"
    cpu = (
        next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(int(mem) / 2**20, 1), "python": platform.python_version(), "os": platform.platform()}


def versions() -> dict:
    from importlib.metadata import version

    return {p: version(p) for p in ("jupyter-book", "sphinx", "myst-nb", "sphinx-book-theme", "pydata-sphinx-theme")}


def print_table(r: dict) -> None:
    b, ref = r["builds"]["this_book"], r["builds"]["reference"]
    rows = [
        ("cold build (s)", b["cold"]["seconds"], ref["cold"]["seconds"]),
        ("  notebooks executed", b["cold"]["executed"], ref["cold"]["executed"]),
        ("  cost per executed notebook (s)", b["cold"]["cost_per_executed_notebook"], ref["cold"]["cost_per_executed_notebook"]),
        ("no-op rebuild (s)", b["noop"]["seconds"], ref["noop"]["seconds"]),
        ("prose-only edit rebuild (s)", b["prose"]["seconds"], ref["prose"]["seconds"]),
        ("  notebooks executed", b["prose"]["executed"], ref["prose"]["executed"]),
        ("one-table data edit rebuild (s)", b["data"]["seconds"], "—"),
        ("  notebooks executed", b["data"]["executed"], "—"),
        ("  chapters that read the table", r["builds"]["data_edit_readers"], "—"),
    ]
    print(f"\n{'measure':40} {'this book':>12} {'reference':>12}")
    for name, x, y in rows:
        print(f"{name:40} {x!s:>12} {y!s:>12}")
    print(f"ratio of cold cost per notebook (this / reference): {r['builds']['cold_cost_ratio']}")
    print(f"one-table edit / cold: {r['builds']['data_edit_ratio']}; no-op / reference no-op: {r['builds']['noop_ratio']}")
    print("\nchapter execution in a fresh kernel (s):")
    for k, v in r["chapters"].items():
        print(f"  {k:20} {v:6.2f}")
    print(f"import analysis: {r['imports']['import_analysis_s']} s; import + load_all: {r['imports']['import_and_load_all_s']} s")
    s = r["site"]
    print(f"\nsite: {s['site_total_bytes'] / 1e6:.1f} MB on disk; heaviest first visit {s['max_page_bytes'] / 1e3:.0f} kB")
    for p, n in s["heaviest_pages"]:
        print(f"  {p:34} {n / 1e3:8.0f} kB")
    print("heaviest assets (transferred):")
    for a, n in s["heaviest_assets"]:
        print(f"  {a:60} {n / 1e3:8.0f} kB")
    if r.get("lighthouse"):
        print("\nLighthouse:")
        for k, v in r["lighthouse"].items():
            print(
                f"  {k:34} performance {v['performance']:3}  accessibility {v['accessibility']:3}  LCP {v['largest_contentful_paint_ms']} ms  TBT {v['total_blocking_time_ms']} ms"
            )
    print("\ntargets:")
    for k, v in r["targets_met"].items():
        print(f"  {k:40} {'met' if v else 'NOT MET'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-lighthouse", action="store_true")
    ap.add_argument("--lighthouse-every-page", action="store_true", help="(the default now; kept for old command lines)")
    ap.add_argument("--lighthouse-two-pages", action="store_true", help="Lighthouse mobile on the front page and the heaviest chapter only, not on every page")
    ap.add_argument("--lighthouse-only", action="store_true", help="no build timings: build once, Lighthouse mobile on every page (median of --repeat)")
    ap.add_argument("--site", help="with --lighthouse-only: an already built site (e.g. _build/html) instead of a fresh build")
    ap.add_argument("--lighthouse-reports", help="with --lighthouse-only: keep every run's Lighthouse JSON report in this folder")
    ap.add_argument("--pages", nargs="+", help="with --lighthouse-only: only these pages (paths in the site, e.g. chapters/visit.html)")
    args = ap.parse_args()
    if args.lighthouse_only:
        lighthouse_only(args)
        return
    result: dict = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "repeat": args.repeat,
        "targets": TARGETS,
    }
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print("building this book ...", flush=True)
        ours, book = this_book(tmp, args.repeat)
        print("building the reference book ...", flush=True)
        ref = reference_book(tmp, args.repeat)
        ratio = round(ours["cold"]["cost_per_executed_notebook"] / ref["cold"]["cost_per_executed_notebook"], 2)
        result["builds"] = {
            "this_book": ours,
            "reference": ref,
            "cold_cost_ratio": ratio,
            "data_edit_ratio": round(ours["data"]["seconds"] / ours["cold"]["seconds"], 2),
            "noop_ratio": round(ours["noop"]["seconds"] / ref["noop"]["seconds"], 2),
            "data_edit_readers": readers(book, DATA_EDIT_TABLE),
        }
        print("timing chapters ...", flush=True)
        result["chapters"] = chapter_times(book, args.repeat)
        result["imports"] = import_time()
        html = book / "_build/html"
        print("measuring the site ...", flush=True)
        server, url = serve(html)
        try:
            result["site"] = site_weight(html, url)
            if not args.skip_lighthouse and Path(CHROMIUM).exists():
                heaviest = next(p for p, _ in result["site"]["heaviest_pages"] if p.startswith("chapters/"))
                labels = {"chapters/index.html": "front page", heaviest: f"heaviest chapter ({heaviest})"}
                errors = result.setdefault("lighthouse_errors", [])
                mobile = lighthouse_every_page(html, args.repeat, only=list(labels) if args.lighthouse_two_pages else None, errors=errors)
                result["lighthouse"] = {f"{labels.get(page, page)}, mobile": r for page, r in mobile.items()}
                for page, label in labels.items():
                    print(f"lighthouse: {label}, desktop ...", flush=True)
                    try:
                        result["lighthouse"][f"{label}, desktop"] = lighthouse(url + page, "desktop")
                    except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:  # the build figures are kept
                        print(f"lighthouse failed: {exc}", flush=True)
                        errors.append(f"{label}, desktop: {exc}")
        finally:
            server.shutdown()
    lh = result.get("lighthouse", {})
    result["targets_met"] = {
        "cold cost per notebook <= 1.0 x reference": ratio <= TARGETS["cold_cost_ratio_max"],
        "prose edit executes no notebook": ours["prose"]["executed"] == 0,
        "one-table edit executes only the chapters that read it": ours["data"]["executed"] == result["builds"]["data_edit_readers"],
        "one-table edit <= 0.5 x cold build": result["builds"]["data_edit_ratio"] <= TARGETS["data_edit_cold_ratio_max"],
        "no-op rebuild <= 1.2 x reference": result["builds"]["noop_ratio"] <= TARGETS["noop_reference_ratio_max"],
        "every chapter re-runs in < 3 s": max(result["chapters"].values()) < TARGETS["chapter_exec_s_max"],
        "no page transfers > 1 MB": result["site"]["max_page_bytes"] <= TARGETS["page_first_visit_bytes_max"],
        f"Lighthouse mobile performance >= {TARGETS['lighthouse_mobile_performance_min']}": bool(lh)
        and all(v["performance"] >= TARGETS["lighthouse_mobile_performance_min"] for k, v in lh.items() if k.endswith("mobile")),
        "Lighthouse accessibility 100": bool(lh) and all(v["accessibility"] >= 100 for v in lh.values()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    print_table(result)
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
