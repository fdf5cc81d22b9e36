"""The published pages as a reviewer sees them, in a real browser (headless Chromium driven
by Playwright), on one small refresh of a copy of the project shared by every check:

- the index opens with the decision box (three promises, probabilities in %);
- no horizontal overflow at 1,280 px, and no table wider than an A4 page in print;
- every image loads and has alt text; every link resolves to a file inside reports/;
- Chinese renders in the project's own font (noto-cjk-sans-otc, subset into reports/fonts);
- strings from the plan and from observations are escaped (no live markup), and no published
  file holds an absolute path of the machine;
- every page carries the edition line (date, run id, data vintage, page N of M) and shows a
  notice after a failed refresh; reviewer pages show no parameter key or repository path and
  no English-only paragraph outside a gloss; a number printed under a key of the verdicts
  table has one value on every page; the appendix lists every raw source and the run's
  parameter values.

Skipped, with the reason, where Chromium or Playwright is missing (``.ci/run`` installs
Chromium; Playwright is a dev dependency)."""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from qyedu.pipeline.pdf import chromium
from qyedu.pipeline.style import FONT_FAMILY

REPO = Path(__file__).resolve().parent.parent
from conftest import EVIL, REAL_REFRESH  # noqa: E402

A4_CSS_PX = 718  # 210 mm − 2 × 10 mm margins at 96 px per inch
# one worker runs every check on the test run's one refresh (dev.py test: --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("real_refresh")]


@pytest.fixture(scope="module")
def site(real_refresh):
    """The reports folder of the test run's one real refresh (tests/conftest.py), with markup
    injected into a plan sentence and an observation. A run with other than the default
    parameters is published as its own folder (reports/scenarios/<slug>/)."""
    return Path(real_refresh[0].reports_dir)


def _pages(reports: Path) -> list[Path]:
    return sorted(reports.glob("*.html"))


def test_every_page_has_two_editions_pdf_and_the_index_links_the_workbook(site):
    stems = [p.stem for p in sorted(site.glob("[0-9][0-9]_*.html")) if ".code" not in p.name]
    assert {"30_school_places", "50_target_scorecard", "90_next_plan"} <= set(stems)
    assert len(stems) >= 7
    for s in stems:
        assert (site / f"{s}.code.html").exists()
        if chromium():
            assert (site / f"{s}.pdf").read_bytes()[:5] == b"%PDF-"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="qyedu_tables.xlsx"' in index and (site / "qyedu_tables.xlsx").exists()
    assert (site / "figures" / "30_promises.png").exists()


def test_reviewer_pages_show_no_code_parameters_or_checks(site):
    page = (site / "30_school_places.html").read_text(encoding="utf-8")
    body = page.split("<body", 1)[1]
    for bad in ("hl-ipython3", "jp-InputPrompt", "injected-parameters", "figures_dir",
                "assert ", "draws = ", "Checks (fail"):
        assert bad not in body, bad
    code = (site / "30_school_places.code.html").read_text(encoding="utf-8")
    assert "hl-ipython3" in code and "figures_dir" in code
    text = html.unescape(re.sub(r"<[^>]+>", "", code))
    county = REAL_REFRESH["county"]
    escaped = county.encode("unicode_escape").decode()
    assert escaped not in text and f"county = '{county}'" in text


def test_injected_markup_is_escaped_on_every_page(site):
    for p in _pages(site):
        text = p.read_text(encoding="utf-8")
        assert EVIL not in text and "onerror=alert(1)>" not in text, p.name
    plan_page = (site / "00_plan_indicators.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in plan_page  # shown, as text


def test_no_machine_path_in_any_published_file(site):
    root = next(p for p in site.parents if (p / "params").is_dir())
    needles = {str(root), str(root.resolve()), sys.prefix, tempfile.gettempdir() + "/qyedu",
               os.path.expanduser("~") + "/", str(REPO)}
    for f in site.rglob("*"):
        # manifest.json: kernel executable recorded by the manifest module (not a page)
        if not f.is_file() or f.suffix in {".pdf", ".xlsx", ".png", ".otf"} or \
                f.name == "manifest.json":
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for n in needles:
            assert n not in text, f"{f.relative_to(site)} contains {n}"


# -- in the browser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    if exe is None:
        pytest.skip("no Chromium installed (apt-get install -y chromium; .ci/run does it)")
    sync = pytest.importorskip("playwright.sync_api", reason="Playwright for Python not installed")
    with sync.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, path: Path, width=1280, media="screen"):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.emulate_media(media=media)
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def test_index_opens_with_the_three_verdicts_in_the_first_screen(site, browser):
    page = _open(browser, site / "index.html")
    box = page.locator("#decision")
    assert box.count() == 1
    rows = page.locator("#decision tbody tr")
    assert rows.count() == 3
    texts = rows.all_inner_texts()
    assert all(re.search(r"\d+ %|<1 %|>99 %", t) for t in texts), texts
    assert "义务教育新增学位" in texts[0] and "New compulsory places" in texts[0]
    bottom = page.evaluate("document.querySelector('#decision tbody').getBoundingClientRect().bottom")
    assert bottom <= 900, "the three verdicts are in the first screen (1280 × 900)"
    accuracy = page.locator("#decision a", has_text="详见").first.get_attribute("href")
    assert accuracy.startswith("20_enrollment_forecast.html#")
    page.goto((site / accuracy).as_uri() if "#" not in accuracy else
              (site / accuracy.split("#")[0]).as_uri() + "#" + accuracy.split("#")[1])
    assert page.evaluate("!!document.getElementById(location.hash.slice(1))"), \
        "the caveat links to the back-test (accuracy) table"
    page.close()


@pytest.mark.parametrize("edition", ["reviewer", "code"])
def test_pages_fit_load_images_resolve_links_and_render_chinese(site, browser, edition):
    pages = [p for p in _pages(site) if (".code." in p.name) == (edition == "code")]
    for path in pages:
        page = _open(browser, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"{path.name}: {width} px wide at 1,280 px"
        imgs = page.evaluate("""[...document.images].map(i => ({src: i.getAttribute('src').slice(0, 60),
            ok: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt')}))""")
        assert all(i["ok"] for i in imgs), (path.name, [i for i in imgs if not i["ok"]])
        assert all(i["alt"] and "No description" not in i["alt"] for i in imgs), (path.name, imgs)
        if "30_school_places" in path.name:  # figures linked from reports/figures, titled
            figs = [i for i in imgs if i["src"].startswith("figures/")]
            assert len(figs) >= 2 and all("Promised" in i["alt"] or "capacity" in i["alt"]
                                          or "County tile map" in i["alt"] for i in figs), figs
        for href in page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)"):
            url = urlparse(href)
            if url.scheme in ("http", "https", "mailto") and "127.0.0.1" not in url.netloc:
                continue
            assert url.scheme == "file", href
            target = Path(unquote(url.path))
            assert target.exists(), f"{path.name}: broken link {href}"
            assert site.resolve() in target.resolve().parents or target.resolve() == site.resolve(), \
                f"{path.name}: link outside reports/: {href}"
        fonts = page.evaluate(f"""[...document.fonts].filter(f => f.family.includes('{FONT_FAMILY}'))
            .map(f => f.status)""")
        assert "loaded" in fonts, f"{path.name}: the project's CJK font did not load ({fonts})"
        assert page.evaluate(f"document.fonts.check('16px \"{FONT_FAMILY}\"', '学位需求')")
        # printed sentences (summaries, reconciliations) are set in the page's font, words whole
        printed = page.evaluate("""[...document.querySelectorAll('.jp-RenderedText pre')]
            .map(e => [getComputedStyle(e).fontFamily, getComputedStyle(e).wordBreak])""")
        assert all(not f.startswith("monospace") and w == "normal" for f, w in printed), \
            (path.name, printed[:2])
        page.close()


def test_every_table_fits_an_a4_page_in_print(site, browser):
    for path in [p for p in _pages(site) if ".code." not in p.name]:
        page = _open(browser, path, width=A4_CSS_PX, media="print")
        wide = page.evaluate(f"""[...document.querySelectorAll('table')]
            .map(t => t.getBoundingClientRect().right).filter(r => r > {A4_CSS_PX} + 1)""")
        assert not wide, f"{path.name}: {len(wide)} table(s) wider than A4 ({max(wide):.0f} px)"
        page.close()


# -- editions, notices, what reviewers read (issue 19) ---------------------------------------
from reviewer_text import contradictions, english_only, keyed_values, label_values, leaks  # noqa: E402

STEMS = ["00_plan_indicators", "10_births_population", "20_enrollment_forecast",
         "30_school_places", "40_teacher_demand", "50_target_scorecard", "60_scenario_explorer",
         "70_costs", "80_sensitivity", "90_next_plan"]


def _manifest(site):
    import json

    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def test_edition_line_and_page_numbers_on_every_page(site):
    run = _manifest(site)["run_id"]
    stems = sorted(p.stem for p in site.glob("[0-9][0-9]_*.html") if ".code" not in p.name)
    for p in [*_pages(site), site / "methods.html"]:
        text = p.read_text(encoding="utf-8")
        m = re.search(r'class="qy-edition" data-edition="([^"]*)"', text)
        assert m, f"{p.name}: no edition line"
        ed = html.unescape(m.group(1))
        assert f"运行编号 {run}" in ed and "版次 20" in ed and "数据截至 " in ed, (p.name, ed)
        stem = p.name.split(".")[0]
        if stem in stems:
            n = sorted(STEMS).index(stem) + 1 if stem in STEMS else None
            assert f"第 {n} / " in ed and f"page {n} of " in ed, (p.name, ed)
    for s in stems:  # the PDFs are printed from these pages (footer: edition, page N / M)
        assert (site / f"{s}.pdf").exists() or not chromium()


def test_pdf_pages_carry_the_edition_and_page_n_of_n(site):
    """Read back from each PDF: every printed page ends with the footer 'Edition DATE · run
    RUN · data vintage … · n / N', n counting the PDF's pages."""
    if not chromium():
        pytest.skip("no Chromium: no PDFs printed")
    pypdf = pytest.importorskip("pypdf", reason="pypdf (dev extra) reads the PDFs back")
    run = _manifest(site)["run_id"]
    pdfs = sorted(site.glob("*.pdf"))
    assert {p.stem for p in pdfs} >= set(STEMS) | {"methods"}
    footer = re.compile(r"Edition (\d{4}-\d{2}-\d{2}) · run " + re.escape(run) +
                        r" · data vintage: [^·]+ · (\d+) / (\d+)$")
    for pdf in pdfs:
        pages = pypdf.PdfReader(pdf).pages
        assert len(pages) >= 1, pdf.name
        for n, page in enumerate(pages, 1):
            text = " ".join((page.extract_text() or "").split())
            m = footer.search(text)
            assert m, f"{pdf.name} page {n}: no footer in {text[-160:]!r}"
            assert (int(m.group(2)), int(m.group(3))) == (n, len(pages)), (pdf.name, n, m.group(0))


def test_county_tile_map_on_page_30_and_in_its_pdf(site):
    """Page 30 embeds the county tile map (every county drawn: tests/test_countymap.py), and
    its PDF carries every figure of the page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / "30_school_places.html").read_text("utf-8"), "html.parser")
    imgs = [i for i in soup.find_all("img") if (i.get("src") or "").startswith("figures/")]
    maps = [i for i in imgs if i["src"] == "figures/30_county_map.png"]
    assert len(maps) == 1 and "County tile map" in maps[0]["alt"] and "县区" in maps[0]["alt"]
    assert (site / "figures" / "30_county_map.png").stat().st_size > 10_000
    text = soup.get_text(" ")
    for county in ("清城区", "清新区", "佛冈县", "阳山县", "连山壮族瑶族自治县", "连南瑶族自治县",
                   "英德市", "连州市"):
        assert county in text, county
    if chromium():
        pypdf = pytest.importorskip("pypdf", reason="pypdf (dev extra) reads the PDFs back")
        pdf = pypdf.PdfReader(site / "30_school_places.pdf")
        assert sum(len(p.images) for p in pdf.pages) >= len(imgs)


def test_notice_on_every_page_after_a_failed_refresh(site, browser, tmp_path):
    import json

    copy = tmp_path / "reports"
    shutil.copytree(site, copy, symlinks=False, ignore=shutil.ignore_patterns("*.pdf", "*.xlsx"))
    status = {"last_run": {"status": "failed", "finished": "2030-01-01T00:00:00+00:00",
                           "only": ["30_school_places"], "error": "boom"},
              "live": {"run_id": _manifest(site)["run_id"], "published": "2030-01-01"}}
    (copy / "status.js").write_text("window.QYEDU_STATUS = " + json.dumps(status) + ";\n",
                                    encoding="utf-8")
    for path in [*_pages(copy), copy / "methods.html"]:
        if path.name == "methods.html":
            continue  # the appendix is reference material, not a dated result page
        page = _open(browser, path)
        page.wait_for_timeout(50)
        notice = page.locator(".qy-banner").all_inner_texts()
        assert any("最近一次刷新失败" in t and "The last refresh failed" in t for t in notice), \
            (path.name, notice)
        page.close()


@pytest.mark.parametrize("stem", STEMS)
def test_no_parameter_key_or_repository_path_on_reviewer_pages(site, stem):
    page = site / f"{stem}.html"
    if not page.exists():
        pytest.skip(f"{stem} not published in this run")
    assert leaks(page.read_text(encoding="utf-8")) == []


def test_no_parameter_key_or_repository_path_on_the_index(site):
    assert leaks((site / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("stem", [*STEMS, "index"])
def test_no_english_only_paragraph_outside_glosses(site, stem):
    page = site / f"{stem}.html"
    if not page.exists():
        pytest.skip(f"{stem} not published in this run")
    assert english_only(page.read_text(encoding="utf-8")) == []


def test_one_label_one_value_across_pages(site):
    """Every number printed under a key of the verdicts table shows the same text on every
    page, and the text of the table itself."""
    table = pd.read_csv(site / "verdicts.csv", dtype={"text": str}, keep_default_na=False)
    truth = dict(zip(table["key"], table["text"], strict=True))
    seen: dict[str, set[str]] = {}
    for p in [*_pages(site), site / "methods.html"]:
        for k, v in keyed_values(p.read_text(encoding="utf-8")).items():
            seen.setdefault(k, set()).update(v)
    assert seen, "no keyed number on any page"
    for k, values in seen.items():
        assert values == {truth[k]}, (k, values, truth.get(k))
    # distinct quantities never share a label and a statistic
    pairs = table.groupby(["promise", "level", "label_en", "statistic_en"])["key"].nunique()
    assert pairs.max() == 1


def test_one_label_one_number_in_every_table_and_key_point(site):
    """Every "label: number" a reviewer reads — a table's numeric cell under its caption,
    index name, row label and column header, and each "label: number" of the key points —
    prints one number on all pages (index, notebook pages, appendix). Two quantities that
    share a label are a defect of the label, fixed by renaming, never whitelisted."""
    pages = {p.name: p.read_text(encoding="utf-8")
             for p in [*_pages(site), site / "methods.html"] if ".code." not in p.name}
    n = sum(len(label_values(h)) for h in pages.values())
    assert n > 1000, f"only {n} labelled numbers found: the extractor no longer reads the pages"
    bad = contradictions(pages)
    shown = [f"{k[:120]}: " + "; ".join(f"{t} ({', '.join(sorted(p))})" for t, p in v.items())
             for k, v in list(bad.items())[:12]]
    assert not bad, f"{len(bad)} labels print two numbers:\n" + "\n".join(shown)


def test_parameters_shown_are_the_run_values(site, real_refresh):
    """The appendix's assumption table prints this run's value of each parameter."""
    import json

    from qyedu.views.format import value_text

    rec = Path(real_refresh[0].processed_dir) / "run_params.json"
    run = json.loads(rec.read_text("utf-8")) if rec.exists() else None
    text = (site / "methods.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td><code>([a-z_]+\.[a-z_0-9]+)</code></td><td>.*?</td><td>(.*?)</td>",
                      text)
    assert rows, "no assumption rows in the appendix"
    if run is None:
        pytest.skip("no run_params.json beside the reports")
    rows = [(k, v) for k, v in rows if k.split(".")[0] in run["params"]
            and k.split(".", 1)[1] in run["params"][k.split(".")[0]]]  # not the files
    assert len(rows) >= 20
    for key, shown in rows:
        sec, name = key.split(".", 1)
        value = run["params"][sec][name]
        assert html.unescape(shown) == value_text(value), key  # the run's value, for people


def test_methods_appendix_lists_every_raw_source_with_reliability(site):
    text = (site / "methods.html").read_text(encoding="utf-8")
    raw = REPO / "data" / "raw"
    for f in raw.rglob("*"):
        if f.is_file() and f.suffix in {".csv", ".txt"}:
            assert f"<code>{f.relative_to(raw).as_posix()}</code>" in text, f.name
    assert "新闻转载" in text or "news article" in text  # the enrolment cross-section
    assert "征求意见稿" in text and "draft" in text  # the 2023–25 building plan
    assert "3rd-party" in text and "mirror" in text


def _same(shown: str, value) -> bool:
    if value is None:
        return shown == "–"
    if isinstance(value, bool):
        return shown == ("是 yes" if value else "否 no")
    if isinstance(value, int | float):
        try:
            return abs(float(shown.replace(",", "").replace("−", "-")) - value) <= \
                1e-3 * max(1.0, abs(value))
        except ValueError:
            return False
    return shown == str(value)


def test_teacher_parameters_shown_are_the_run_values(site, real_refresh):
    """Page 40's parameter table prints the run's values (it printed attrition 0.03 as 0)."""
    import json

    from bs4 import BeautifulSoup

    run = json.loads((Path(real_refresh[0].processed_dir) / "run_params.json")
                     .read_text("utf-8"))["params"]["teachers"]
    soup = BeautifulSoup((site / "40_teacher_demand.html").read_text("utf-8"), "html.parser")
    shown = {}
    for t in soup.find_all("table"):
        heads = [th.get_text(" ").strip() for th in t.select("thead th")]
        if "取值 Value" in heads:
            col = heads.index("取值 Value")
            for tr in t.select("tbody tr"):
                cells = tr.find_all(["th", "td"])
                if len(cells) > col:
                    shown[cells[0].get_text().strip()] = cells[col].get_text().strip()
    assert "attrition_rate" in shown, "no parameter table on page 40"
    assert run["attrition_rate"] > 0 and not _same("0", run["attrition_rate"])  # the old defect fails
    assert set(shown) <= set(run), set(shown) - set(run)  # every row compared, none skipped
    bad = {k: (v, run[k]) for k, v in shown.items() if not _same(v, run[k])}
    assert not bad
