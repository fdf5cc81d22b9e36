"""The served explorer as a reviewer uses it: ``python3 dev.py explore`` (Voilà) serves
notebook 60 as a dashboard without code; in a real browser (headless Chromium driven by
Playwright) two controls are changed, the chart and the table change, the view's state is in
the address, and reloading that address shows the same view; the view downloads as CSV and
PNG. Slow (a kernel per page load); the server and its kernels are stopped afterwards.
Skipped, with the reason, where Chromium, Playwright or Voilà is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from support.servers import free_port, stop

from qyedu.pipeline.pdf import chromium

REPO = Path(__file__).resolve().parent.parent
LOAD_TIMEOUT = 600_000  # ms: the page runs notebook 60 in a fresh kernel on a loaded machine
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lab")]


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    if not chromium():
        pytest.skip("no Chromium (install Debian's `chromium`; .ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="Playwright is a dev dependency")
    if not (REPO / ".venv" / "bin" / "voila").exists():
        pytest.skip("Voilà is not installed (python3 dev.py install)")
    tmp = tmp_path_factory.mktemp("explore")
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"), MPLBACKEND="Agg")
    env.pop("QYEDU_ROOT", None)
    log = (tmp / "voila.log").open("wb")
    proc = subprocess.Popen([sys.executable, str(REPO / "dev.py"), "explore", f"--port={port}"],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                urllib.request.urlopen(f"{base}/voila/static/", timeout=10)
                break
            except urllib.error.HTTPError:
                break  # the server answers
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("dev.py explore did not start:\n"
                                + (tmp / "voila.log").read_text(errors="replace")[-3000:])
                time.sleep(1)
        yield base
    finally:
        stop(proc, str(tmp))
        log.close()


def _view(page) -> dict:
    """What the page shows: the settings line, the controls, the chart, the table, links."""
    page.locator(".qy-downloads").first.wait_for(timeout=LOAD_TIMEOUT)
    out = page.locator(".widget-output").last
    return {
        "line": out.locator("b").first.inner_text(),
        "selects": page.locator(".widget-dropdown select").evaluate_all(
            "els => els.map(e => e.value)"),
        "chart": out.locator("img").first.get_attribute("src"),
        "table": out.locator("table").first.inner_text(),
        "links": out.locator(".qy-downloads a").evaluate_all(
            "els => els.map(e => [e.getAttribute('download'), e.href.split(',')[0]])"),
        "url": page.url,
    }


def test_two_controls_change_the_view_and_a_reload_of_the_address_shows_it_again(explorer):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.set_default_timeout(LOAD_TIMEOUT)
            page.goto(f"{explorer}/?draws=300", timeout=LOAD_TIMEOUT)
            before = _view(page)
            body = page.locator("body").inner_text()
            assert "Workbench.from_params" not in body and "from qyedu" not in body  # no code
            assert before["selects"] == ["medium", "mixed", "全市"]
            assert "300 次抽样 draws" in before["line"]

            # the births method moves past births (so the promise table), the county the chart
            page.locator(".widget-dropdown select").nth(1).select_option("rate_ratio")
            page.locator(".widget-output b", has_text="rate_ratio").first.wait_for()
            page.locator(".widget-dropdown select").nth(2).select_option("英德市")
            page.locator(".widget-output b", has_text="英德市").first.wait_for()
            after = _view(page)
            assert "rate_ratio" in after["line"] and "英德市" in after["line"]
            assert after["chart"] != before["chart"] and after["table"] != before["table"]
            query = parse_qs(urlparse(after["url"]).query)
            assert query["births_method"] == ["rate_ratio"] and query["county"] == ["英德市"]
            assert query["draws"] == ["300"]
            assert [h for _, h in after["links"]] == ["data:text/csv;base64",
                                                      "data:image/png;base64"]
            assert after["links"][0][0] == "qyedu_medium_rate_ratio_300_2024_英德市.csv"

            page.reload(timeout=LOAD_TIMEOUT)  # the address alone restores the view
            again = _view(page)
            assert again["selects"] == ["medium", "rate_ratio", "英德市"]
            assert again["line"] == after["line"] and again["table"] == after["table"]
        finally:
            browser.close()
