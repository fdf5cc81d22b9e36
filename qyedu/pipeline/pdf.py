"""A PDF of each reviewer page, printed by headless Chromium (Debian's ``chromium``) with
the pages' own print CSS (A4). Pages print in parallel, so the step adds a few seconds to a
refresh; without Chromium the step is skipped with a message."""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
         "--virtual-time-budget=5000")


def chromium() -> str | None:
    """The Chromium executable ($QYEDU_CHROMIUM, else the first on PATH, else None)."""
    env = os.environ.get("QYEDU_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, browser: str, timeout: float = 120) -> Path:
    """Print one page to PDF (raises CalledProcessError / TimeoutExpired on failure)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="qyedu-chromium-") as profile:
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}",
                        f"--print-to-pdf={pdf}", Path(html).absolute().as_uri()],
                       check=True, capture_output=True, timeout=timeout)
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {html.name}")
    return pdf


def footer(stamp: str) -> str:
    """The PDF footer: the edition (date, run id, data vintage; its Latin half, since the
    footer is drawn with the system's fonts, which may lack CJK) and page N / M."""
    from html import escape

    en = stamp.split(" | ")[-1].split(" · page ")[0]
    return ('<div style="font-size:7px;width:100%;text-align:center;color:#555;'
            'font-family:sans-serif">' + escape(en) +
            ' · <span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def print_with_playwright(pages: list[Path], browser: str) -> list[Path]:
    """Every page printed by one Chromium driven by Playwright (one start-up for all pages)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=browser, args=list(FLAGS[1:4]))
        try:
            page = b.new_page()
            for html in pages:
                page.goto(Path(html).absolute().as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready")
                pdf = Path(html).with_suffix(".pdf")
                stamp = page.evaluate("(document.querySelector('.qy-edition')||{dataset:{}})"
                                      ".dataset.edition || ''")
                page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True,
                         print_background=True, display_header_footer=True,
                         header_template="<span></span>", footer_template=footer(stamp))
                out.append(pdf)
        finally:
            b.close()
    return out


def print_pages(pages: list[Path], progress=print, jobs: int = 3) -> list[Path]:
    """PDF beside each page (same stem): through Playwright when it is installed (one
    browser for all pages), else ``jobs`` Chromium command-line processes at a time."""
    browser = chromium()
    if browser is None:
        progress("[refresh] pdf … skipped: no Chromium found (apt-get install chromium)")
        return []
    if not pages:
        return []
    try:
        import playwright  # noqa: F401
    except ImportError:
        pass
    else:  # in a thread of its own: Playwright's sync API refuses a thread with an event loop
        with ThreadPoolExecutor(max_workers=1) as one:
            return one.submit(print_with_playwright, pages, browser).result()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: print_pdf(p, p.with_suffix(".pdf"), browser), pages))
