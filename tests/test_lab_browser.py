"""What a researcher sees in JupyterLab: the lab started exactly as the README says
(``python3 dev.py lab --allow-root --IdentityProvider.token=…`` on a free port), notebooks 20
and 60 run from the Run menu in a real browser (headless Chromium driven by Playwright), and
every figure cell shows a rendered ``<img>``, never the bare ``<Figure size …>`` text that a
kernel inheriting ``MPLBACKEND=Agg`` prints. Saving the run notebook leaves its file exactly
as committed (the save hook strips outputs and session metadata: no git diff).

The server serves a temporary copy of ``notebooks/`` (so autosaves never touch the repository)
with fewer draws in the copies' ``parameters`` cells (the figures, not the numbers, are under
test), and its own Jupyter config, data and runtime folders. The server and its kernels are
stopped after the module, whatever happens. Timeouts are generous: the suite runs on a loaded
2-core machine. Skipped, with the reason, where Chromium or Playwright is missing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.servers import free_port, stop

from qyedu.pipeline.pdf import chromium

REPO = Path(__file__).resolve().parent.parent
TOKEN = "qyedu-lab-test"
START_TIMEOUT = 240  # s until the server answers
RUN_TIMEOUT = 420  # s until every figure of a notebook is shown (a run takes 15–60 s)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lab")]
# the figure cells of each notebook (qyedu.figures.publish calls): each must show an image
FIGURES = {"20_enrollment_forecast": 3, "60_scenario_explorer": 2}
# the notebook on screen (the lab may keep another notebook's tab, hidden, in the DOM)
SHOWN = ".jp-NotebookPanel:visible .jp-Notebook"


def _copy_notebooks(dest: Path, draws: int = 300) -> None:
    """The notebooks byte for byte, but for ``draws`` in their parameters cells."""
    dest.mkdir(parents=True)
    for name in FIGURES:
        text = (REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8")
        new = f'"draws = {draws}  # fewer draws for the browser test\\n",'
        text, n = re.subn(r'"draws = \d+[^"\n]*\\n",', lambda _m, new=new: new, text)
        assert n == 1, name
        (dest / f"{name}.ipynb").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``(base_url, tmp)``: JupyterLab started by ``python3 dev.py lab`` on a free port."""
    if not chromium() or not Path(chromium()).exists():
        pytest.skip("no Chromium (install Debian's `chromium`; .ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="Playwright is a dev dependency")
    tmp = tmp_path_factory.mktemp("lab")
    _copy_notebooks(tmp / "notebooks")
    # JupyterLab 4 renders only the cells in view ("windowing"): render them all, so the
    # test can see every output without scrolling
    settings = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # ... and a slow kernel start on a loaded machine must not turn into a "Select Kernel"
    # dialog: start the notebook's own kernel (python3), as "Always start the preferred
    # kernel" in that dialog does
    (settings / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none", "autoStartDefaultKernel": true}')
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               MPLBACKEND="Agg")  # as a shell that ran `dev.py run` might have: must not leak
    env.pop("QYEDU_ROOT", None)
    log = (tmp / "lab.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "dev.py"), "lab", "--allow-root", "--no-browser",
         f"--IdentityProvider.token={TOKEN}", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.root_dir={tmp}"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=10)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n"
                                + (tmp / "lab.log").read_text(errors="replace")[-3000:])
                time.sleep(1)
        yield base, tmp
    finally:
        try:  # the server's own shutdown also stops its kernels
            urllib.request.urlopen(urllib.request.Request(
                f"{base}/api/shutdown?token={TOKEN}", method="POST"), timeout=30)
            proc.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            pass
        stop(proc, str(tmp), timeout=30)  # and the kernels (connection files in tmp)
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def _dismiss_dialogs(page) -> None:
    """Close any modal dialog the lab opened, keeping the default answer — on a loaded
    machine a kernel that starts slowly makes JupyterLab ask for a kernel: the project's
    ``Python 3 (ipykernel)`` is chosen. Its text is printed for the log."""
    dialogs = page.locator(".jp-Dialog")
    for _ in range(5):
        if not dialogs.count():
            return
        d = dialogs.first
        print("JupyterLab dialog:", d.inner_text()[:300].replace("\n", " "))
        choice = d.locator("select")
        if choice.count():  # "Select Kernel": the project's kernel
            choice.first.select_option(label="Python 3 (ipykernel)")
        d.locator(".jp-Dialog-button.jp-mod-accept").first.click()
        deadline = time.monotonic() + 60
        while dialogs.count() and time.monotonic() < deadline:
            page.wait_for_timeout(1000)
    if dialogs.count():
        pytest.fail("a JupyterLab dialog would not close: " + dialogs.first.inner_text()[:300])


def _wait_idle(page, timeout: float) -> None:
    """Until the notebook's kernel is idle, answering dialogs on the way."""
    idle = page.locator(".jp-NotebookPanel:visible .jp-Notebook-ExecutionIndicator[data-status='idle']")
    deadline = time.monotonic() + timeout
    while not idle.count():
        if time.monotonic() > deadline:
            pytest.fail("the notebook's kernel did not become idle")
        _dismiss_dialogs(page)
        page.wait_for_timeout(1000)


def _settled_kernel(base: str, path: str, timeout: float) -> str:
    """Until ``path`` has one session whose kernel stays the same and idle for 3 s; its id. On
    opening, the lab can replace the notebook's first kernel within a second (seen with a
    reset workspace): Run All sent to the replaced kernel left every cell at [*] with no
    output, and the test waited out its whole timeout."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/api/sessions?token={TOKEN}", timeout=30) as r:
            mine = [s["kernel"] for s in json.loads(r.read()) if s.get("path") == path]
        kid = mine[0]["id"] if len(mine) == 1 and \
            mine[0].get("execution_state") == "idle" else None
        if kid is None or kid != last:
            last, since = kid, time.monotonic()
        elif time.monotonic() - since >= 3:
            return kid
        time.sleep(0.5)
    pytest.fail(f"{path}: no single idle kernel after {timeout:.0f} s (last seen: {last})")


def _run_all(page) -> float:
    """Run ▸ Run All Cells, retried until a cell has started (a menu clicked while the lab is
    still settling can do nothing); returns when that was."""
    prompts = page.locator(f"{SHOWN} .jp-InputArea-prompt")
    for _ in range(5):
        _dismiss_dialogs(page)
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        item = page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text="Run All Cells")
        item.first.click()
        t0 = time.monotonic()
        while time.monotonic() < t0 + 60:
            if any(re.search(r"\[(\*|\d+)\]", t) for t in prompts.all_inner_texts()):
                return t0
            page.wait_for_timeout(500)
        page.keyboard.press("Escape")
    pytest.fail("Run All Cells did not start the notebook")


def run_all_and_count_figures(browser, base: str, name: str, saved: Path | None = None) -> dict:
    """Open ``notebooks/<name>.ipynb`` in JupyterLab, Run ▸ Run All Cells, wait until every
    figure cell shows an image; return what the page shows and how long it took. With
    ``saved`` (the notebook's file), save it afterwards and return the bytes written."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    try:
        # each notebook in a workspace of its own, reset: the lab must not restore the
        # previous notebook's tab (it then started a second kernel and Run ▸ Run All Cells
        # could run the restored notebook while the test waited on this one's figures)
        page.goto(f"{base}/lab/workspaces/{name}/tree/notebooks/{name}.ipynb"
                  f"?reset&token={TOKEN}", timeout=START_TIMEOUT * 1000)
        page.locator(f"{SHOWN} .jp-Cell").first.wait_for()
        _wait_idle(page, START_TIMEOUT)  # the kernel is up when the toolbar says so
        _settled_kernel(base, f"notebooks/{name}.ipynb", START_TIMEOUT)
        _wait_idle(page, START_TIMEOUT)  # and the page shows that kernel
        t0 = _run_all(page)
        images = page.locator(f"{SHOWN} .jp-OutputArea-output img")
        errors = page.locator(f"{SHOWN} [data-mime-type='application/vnd.jupyter.error']")
        first = None
        deadline = t0 + RUN_TIMEOUT
        failed = page.locator(f"{SHOWN} .jp-OutputArea-output", has_text="Cannot compute")
        while time.monotonic() < deadline:
            if errors.count():
                pytest.fail(f"{name}: a cell failed in the lab:\n{errors.first.inner_text()}")
            if failed.count():  # the explorer widget shows its error instead of a chart
                pytest.fail(f"{name}: the widget could not compute:\n{failed.first.inner_text()}")
            n = images.count()
            if n and first is None:
                first = time.monotonic() - t0
            if n >= FIGURES[name]:
                break
            page.wait_for_timeout(500)
        # every image really decoded (a broken <img> has naturalWidth 0)
        widths = images.evaluate_all("els => els.map(e => e.complete ? e.naturalWidth : 0)")
        text = page.locator(f"{SHOWN} .jp-OutputArea-output").all_inner_texts()
        seen = {"images": len(widths), "widths": widths, "first": first,
                "all": time.monotonic() - t0, "text": "\n".join(text),
                "widgets": page.locator(f"{SHOWN} .jp-OutputArea-output .jupyter-widgets")
                .count()}
        if saved is not None:  # File ▸ Save after the run: the project's save hook applies
            before = saved.stat().st_mtime_ns
            page.locator(SHOWN).first.click()
            page.keyboard.press("Control+s")
            deadline = time.monotonic() + 120
            while saved.stat().st_mtime_ns == before and time.monotonic() < deadline:
                page.wait_for_timeout(500)
            assert saved.stat().st_mtime_ns != before, "the notebook was not saved"
            seen["saved"] = saved.read_bytes()
        return seen
    finally:
        page.close()
        _shut_down_sessions(base)


def _shut_down_sessions(base: str) -> None:
    """Stop every kernel session of the server, so the next notebook opens on a clean lab
    (a leftover session makes JupyterLab ask which kernel to use)."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={TOKEN}", timeout=30) as r:
        sessions = json.loads(r.read())
    for sess in sessions:
        urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/sessions/{sess['id']}?token={TOKEN}", method="DELETE"), timeout=60)


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_render_as_images_in_jupyterlab(lab, browser, name):
    base, tmp = lab
    path = tmp / "notebooks" / f"{name}.ipynb"
    committed = path.read_bytes()
    seen = run_all_and_count_figures(browser, base, name, saved=path)
    print(f"{name}: first figure after {seen['first']} s, {seen['images']} images after "
          f"{seen['all']:.1f} s")
    assert seen["images"] >= FIGURES[name], (
        f"{name}: {seen['images']} images, {seen['widgets']} widget views rendered; "
        f"outputs:\n{seen['text'][:3000]}")
    assert all(w > 100 for w in seen["widths"]), seen["widths"]
    assert "<Figure size" not in seen["text"]
    # opening, running and saving leaves the file as committed (no git diff): outputs,
    # execution counts and the metadata the session wrote are stripped by the save hook
    assert seen["saved"] == committed, _first_difference(seen["saved"], committed)


def _first_difference(a: bytes, b: bytes) -> str:
    import difflib

    return "".join(list(difflib.unified_diff(b.decode().splitlines(True),
                                             a.decode().splitlines(True), n=1))[:40])
