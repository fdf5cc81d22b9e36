"""Exports beside the pages: the Excel workbook of every processed table (sources sheet
first), the page font subset from the project's own CJK font, the PDF printer."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest

from qyedu.pipeline import fonts, pdf, workbook


def test_workbook_has_a_sources_sheet_and_one_formatted_sheet_per_table(tmp_path):
    (tmp_path / "places_promises.csv").write_text(
        "promise,year,quantity,p50,source\ncompulsory_new_places,2025,prob_shortfall,0.319,"
        "plan 专栏4 line 475\ncompulsory_new_places,2025,surplus,4343.4,plan 专栏4 line 475\n",
        encoding="utf-8")
    pd.DataFrame({"level": ["primary"], "p50": [171158.0]}).to_csv(tmp_path / "b.csv", index=False)
    out = workbook.write_workbook(tmp_path, tmp_path / "t.xlsx")
    z = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    assert names == ["结论 Headline", "来源 Sources", "b", "places_promises"]
    strings = z.read("xl/sharedStrings.xml").decode()
    assert "places_promises.csv" in strings and "plan 专栏4 line 475" in strings
    assert "学位承诺" in strings  # the table's description on the sources sheet
    styles = z.read("xl/styles.xml").decode()
    assert "#,##0" in styles
    sheet = z.read("xl/worksheets/sheet3.xml").decode()
    assert "<pane" in sheet and "autoFilter" in sheet  # frozen header, filters
    assert "中位数 p50" in strings and "学段 level" in strings  # Chinese-first headers
    assert workbook.write_workbook(tmp_path / "none", tmp_path / "x.xlsx") is None


def test_workbook_shows_the_mean_of_a_probability_not_its_median():
    t = pd.DataFrame({"quantity": ["prob_shortfall", "surplus"], "mean": [0.58, -3000.0],
                      "p05": [0.0, -70000.0], "p50": [1.0, -8517.0], "p95": [1.0, 77000.0]})
    out = workbook.probabilities_as_means(t)
    assert out.loc[0, "mean"] == 0.58 and out.loc[0, ["p05", "p50", "p95"]].isna().all()
    assert out.loc[1, "p50"] == -8517.0


def test_page_font_is_the_sc_face_of_the_project_font_subset_to_the_pages(tmp_path):
    from fontTools.ttLib import TTFont

    page = tmp_path / "p.html"
    page.write_text("<p>学位需求 清远</p>", encoding="utf-8")
    path = fonts.write_page_font(tmp_path, [page])
    font = TTFont(io.BytesIO(path.read_bytes()))
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "学位需求清远A1%")
    assert ord("龘") not in cmap and path.stat().st_size < 500_000
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    # the same characters again (another refresh in this process): the subset is reused,
    # byte for byte; other characters give another subset
    hits = fonts._subset.cache_info().hits
    assert fonts.subset_font("清远需求学位") == path.read_bytes()
    assert fonts._subset.cache_info().hits == hits + 1
    assert ord("龘") in TTFont(io.BytesIO(fonts.subset_font("龘"))).getBestCmap()


def test_pdf_of_a_page_when_chromium_is_installed(tmp_path):
    if pdf.chromium() is None:
        pytest.skip("no Chromium installed (apt-get install -y chromium)")
    page = tmp_path / "p.html"
    page.write_text("<!DOCTYPE html><meta charset=utf-8><h1>学位 Places</h1>", encoding="utf-8")
    out = pdf.print_pdf(page, tmp_path / "p.pdf", pdf.chromium())
    assert out.read_bytes()[:5] == b"%PDF-"
