"""The county tile map of page 30: its geometry ships in the package with its source, its
tiles come from the cited county seats by the documented rule, and the figure shows every
county in Chinese and English with its shortage (a synthetic places_demand table, built
here for the test only)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from qyedu.figures.countymap import county_tile_map
from qyedu.places.bureau import COUNTIES
from qyedu.views import countymap

NAMES_ZH = ("清城区", "清新区", "佛冈县", "阳山县", "连山壮族瑶族自治县", "连南瑶族自治县",
            "英德市", "连州市")


def test_geometry_ships_in_the_package_with_its_source():
    geo = resources.files("qyedu.views").joinpath("geodata")
    source = geo.joinpath("SOURCE.md").read_text(encoding="utf-8")
    assert "441800_full.json" in source and "anzhou99/GeoJsons" in source
    assert "6137cf53e858b0f13a5e2e6d882722d5cf2db805" in source and "Licence" in source
    c = countymap.counties()
    assert tuple(sorted(c["name_zh"])) == tuple(sorted(NAMES_ZH)) == tuple(sorted(COUNTIES))
    assert c["adcode"].str.startswith("4418").all() and c["adcode"].is_unique
    # seats inside Qingyuan's extent (111.9–113.9 E, 23.4–25.2 N), the two urban districts
    # south of the northern counties
    assert c["seat_lon"].between(111.9, 113.9).all() and c["seat_lat"].between(23.4, 25.2).all()
    seat = c.set_index("name_zh")
    assert seat.at["连州市", "seat_lat"] > seat.at["阳山县", "seat_lat"] > seat.at["清城区", "seat_lat"]


def test_tile_layout_follows_the_seats_and_never_stacks_two_counties():
    t = countymap.tile_layout().set_index("name_zh")
    assert not t[["col", "row"]].duplicated().any()
    assert t[["col", "row"]].min().tolist() == [0, 0]
    # relative positions kept: north-west to south-east
    assert t.at["连州市", "row"] < t.at["英德市", "row"] < t.at["清城区", "row"]
    assert t.at["连山壮族瑶族自治县", "col"] < t.at["阳山县", "col"] < t.at["佛冈县", "col"]
    assert t.at["清新区", "col"] < t.at["清城区", "col"]  # 清新's seat lies west of 清城's
    # the rule, not a hand layout: moving one seat far east moves its tile east
    seats = countymap.counties().copy()
    seats.loc[seats["name_zh"] == "连州市", "seat_lon"] += 2.0
    moved = countymap.tile_layout(seats).set_index("name_zh")
    assert moved.at["连州市", "col"] > t.at["连州市", "col"]


def _demand():
    rows = []
    for k, county in enumerate(NAMES_ZH):
        for lv, peak in (("primary", 2026), ("junior_secondary", 2031)):
            for year in (2025, 2026, 2031):
                v = (k + 1) * 100.0 * (2.0 if year == peak else 1.0)
                rows.append((year, lv, county, "shortage", v, 0.0, v / 2, v * 3))
    d = pd.DataFrame(rows, columns=["year", "level", "county", "quantity", "mean", "p05", "p50",
                                    "p95"])
    city = d.groupby(["year", "level", "quantity"], as_index=False)[["mean", "p05", "p50",
                                                                      "p95"]].sum()
    city["county"] = "全市"
    return pd.concat([d, city], ignore_index=True)


def test_county_shortage_reads_the_table_and_names_a_missing_county():
    d = _demand()
    t = countymap.county_shortage(d, "junior_secondary", 2031).set_index("name_zh")
    assert t.at["连州市", "mean"] == 8 * 100.0 * 2 and t.at["清城区", "p95"] == 100.0 * 2 * 3
    with pytest.raises(ValueError, match="连州市"):
        countymap.county_shortage(d[d["county"] != "连州市"], "primary", 2026)


def test_map_figure_shows_every_county_in_both_languages_with_its_shortage():
    fig = county_tile_map(_demand())
    text = " ".join(t.get_text().replace("\n", "") for ax in fig.axes for t in ax.texts)
    for zh in NAMES_ZH:
        assert zh in text, zh
    for en in ("Qingcheng District", "Yingde City", "Lianzhou City", "Fogang County"):
        assert en in text, en
    assert "1,600" in text  # 连州市 (k = 8), junior secondary, its 2031 peak: 800 × 2
    titles = [ax.get_title() for ax in fig.axes]
    assert any("2026" in x for x in titles) and any("2031" in x for x in titles)
    faces = [p.get_facecolor() for p in fig.axes[1].patches]
    assert len(faces) == 8 and len({tuple(np.round(f, 3)) for f in faces}) == 8  # coloured by value
    assert "County tile map" in fig._suptitle.get_text()
