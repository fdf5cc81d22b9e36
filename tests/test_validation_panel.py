"""The extended validation panel (real files in data/raw/validation/): births before 2000
under the 1999→2000 break treatment, and the held-out 2020–2023 outturns."""

import numpy as np
import pytest

from qyedu.observed.area import area_births
from qyedu.validation.harness import LAST_IN_SAMPLE, load_harness_panel
from qyedu.validation.panel import later_frame, panel_frame


def _births(early, area):
    f = panel_frame(early)
    return area_births(f[f["area"] == area])[0]


def test_break_treatments_change_only_the_early_births():
    none, raw, scaled = (_births(e, "北京市") for e in ("none", "raw", "scaled"))
    assert none.index.min() == 2000 and raw.index.min() == scaled.index.min() == 1997
    # 2001 on: identical; 2000 uses the mean of 1999 and 2000 populations under raw only
    assert (none.loc[2001:] == scaled.loc[2001:]).all() and (none.loc[2001:] == raw.loc[2001:]).all()
    assert scaled[2000] == pytest.approx(none[2000])  # scaled 1999 population = 2000's
    # 北京's census-based 2000 population is 8.5 % above the 1999 estimate: scaled early
    # births are 8.5 % above the raw ones (rates as published)
    np.testing.assert_allclose(scaled.loc[1997:1999] / raw.loc[1997:1999], 1.085123, rtol=1e-5)


def test_jiangsu_published_counts_reach_1995():
    b = _births("raw", "江苏省")
    assert b.index.min() == 1995 and b[1995] == pytest.approx(881414, rel=0.02)


def test_held_out_outturns_are_read_but_never_in_a_view():
    later = later_frame()
    assert set(later["indicator"]) <= {"enrolment", "intake", "graduates"}
    assert later["year"].min() == 2020
    panel = {p.area: p for p in load_harness_panel("scaled")}
    bj = panel["北京市"]
    assert bj.enrolment.loc[2021, "primary"] == 1036485  # provinces_2020_2023.csv line
    v = bj.view(LAST_IN_SAMPLE, "bureau_like")
    assert v.last_year() == LAST_IN_SAMPLE and (v.enrolment.index <= 2019).all()
