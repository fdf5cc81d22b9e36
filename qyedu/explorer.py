"""Scenario explorer: run the projection under every births scenario with the same draws and
seed, tabulate them side by side, and the JupyterLab widget whose every change re-runs the
projection and the places stage (``Workbench(rp).places_tables``) for the chosen scenario,
births method, draws and base year, and shows the new fan chart and promise table (surplus or
shortfall and P(shortfall) per promise) in its output area."""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape

import numpy as np
import pandas as pd

from . import coverage, projection
from .labels import CITY, area_en, level_label, scenario_label
from .params import BIRTHS_METHODS, ForecastParams, RunParams, scenarios
from .projection.result import ProjectionResult
from .views.enrollment import county_draws, wan

DRAWS_RANGE = (100, 5000, 100)  # draws slider: min, max, step


def run_scenarios(fp: ForecastParams, names=None) -> dict[str, ProjectionResult]:
    """One projection per births scenario, otherwise with the parameters ``fp`` (same draws,
    seed, base year and births method), in the births-paths file's order (or ``names``)."""
    return {s: projection.run(ForecastParams(**{**fp.model_dump(), "scenario": s}))
            for s in (names or scenarios())}


def scenario_table(results: dict[str, ProjectionResult], county: str = CITY) -> pd.DataFrame:
    """Pupils at the base year and at the horizon (p50, with p05–p95 at the horizon) and the
    change base → horizon (%, of medians), per level (rows) and scenario (column groups)."""
    parts = {}
    for name, res in results.items():
        years = list(res.years)
        d = county_draws(res, county)
        base = np.median(d[:, years.index(res.base_year), :], axis=0) if res.base_year in years \
            else np.full(len(res.levels), np.nan)
        q05, q50, q95 = np.quantile(d[:, -1, :], [0.05, 0.5, 0.95], axis=0)
        parts[name] = pd.DataFrame({
            f"基期 {res.base_year} p50": base, f"{years[-1]} p05": q05, f"{years[-1]} p50": q50,
            f"{years[-1]} p95": q95, "变化 Change %": (q50 / base - 1) * 100,
        }, index=[level_label(lv) for lv in res.levels])
    out = pd.concat(parts, axis=1, names=["情景 Scenario", ""]).round(0)
    out.index.name = "学段 Level"
    return out


def horizon_totals(results: dict[str, ProjectionResult], county: str = CITY) -> pd.Series:
    """Median total pupils (all levels) at the horizon, per scenario."""
    return pd.Series({name: float(np.median(county_draws(res, county)[:, -1, :].sum(axis=1)))
                      for name, res in results.items()})


def preview_note(draws: int, report_draws: int | None) -> tuple[str, str]:
    """('快速预览…', 'quick preview…') when fewer draws than the reports use, else ('', '')."""
    if report_draws is None or int(draws) >= int(report_draws):
        return "", ""
    return (f"（快速预览：{draws:,} 次抽样，报告用 {report_draws:,} 次）",
            f" (quick preview: {draws:,} draws; the reports use {report_draws:,})")


def report_draws(params_file: str | None = None) -> int:
    """The draws the reports use: those of the parameter file (default params/default.yaml)."""
    from . import params as _params

    return _params.load(params_file or None).forecast.draws


def summary_line(results: dict[str, ProjectionResult], county: str = CITY,
                 report_draws: int | None = None) -> str:
    """One line: total pupils at the horizon under each scenario (medians), naming the draws
    (and saying it is a quick preview when ``report_draws`` is larger)."""
    tot = horizon_totals(results, county)
    res = next(iter(results.values()))
    year = int(res.years[-1])
    pz, pe = preview_note(res.n_draws, report_draws)
    zh = " / ".join(f"{scenario_label(n, 'zh')} {wan(v)}" for n, v in tot.items())
    en = ", ".join(f"{scenario_label(n, 'en').lower()} {v:,.0f}" for n, v in tot.items())
    return (f"{year} 年{county}在校生合计（{res.n_draws:,} 次抽样的中位数）{zh}{pz} | Total pupils "
            f"in {year} ({area_en(county)}, median of {res.n_draws:,} draws): {en}{pe}")


def _run_fp(fp: ForecastParams, scenario: str, births_method: str, draws: int,
            base_year: int, county: str | None = None) -> ForecastParams:
    return ForecastParams(**{**fp.model_dump(), "scenario": scenario, "draws": int(draws),
                             "births_method": births_method, "base_year": int(base_year),
                             "county": county or fp.county})


# -- the view's state in the page address (a shared link opens the same view) ------------
URL_KEYS = ("scenario", "births_method", "draws", "base_year", "county")


def url_state(query: str | None = None) -> tuple[dict, list[str]]:
    """``(settings, problems)`` from a URL query string (default: the page's, which Voilà
    passes to the kernel as ``QUERY_STRING``): the explorer's settings that are valid, and
    a message for each one that is not (shown on the page, never silently dropped)."""
    import os
    from urllib.parse import parse_qs

    query = os.environ.get("QUERY_STRING", "") if query is None else query
    given = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items() if k in URL_KEYS}
    lo, hi = coverage.base_years()
    allowed = {"scenario": scenarios(), "births_method": BIRTHS_METHODS,
               "county": coverage.counties()}
    state, problems = {}, []
    for key, text in given.items():
        if key in allowed:
            ok = text in allowed[key]
            value = text
        else:
            value = int(text) if text.strip().isdigit() else None
            bounds = (lo, hi) if key == "base_year" else DRAWS_RANGE[:2]
            ok = value is not None and bounds[0] <= value <= bounds[1]
        if ok:
            state[key] = value
        else:
            problems.append(f"{key}={text!r}")
    return state, problems


def view_query(values: dict) -> str:
    """The query string of a view (``?scenario=low&draws=500…``), for a shareable link."""
    from urllib.parse import urlencode

    return "?" + urlencode({k: values[k] for k in URL_KEYS if k in values})


def download_links(table: pd.DataFrame, png: bytes, values: dict) -> str:
    """HTML links that download the shown table (CSV, UTF-8 with BOM for Excel) and chart
    (PNG) as files named after the view; plain data: links, no script needed."""
    import base64

    stem = "qyedu_" + "_".join(str(values[k]) for k in URL_KEYS if k in values)
    csv = base64.b64encode(table.to_csv(index=False).encode("utf-8-sig")).decode()
    img = base64.b64encode(png).decode()
    return (f'<p class="qy-downloads">下载此视图 Download this view: '
            f'<a download="{escape(stem)}.csv" href="data:text/csv;base64,{csv}">'
            f'表格 CSV table</a> · <a download="{escape(stem)}.png" '
            f'href="data:image/png;base64,{img}">图 PNG chart</a></p>')


def _served() -> bool:
    """True in a dashboard served by Voilà (it sets SERVER_SOFTWARE=voila/… in the kernel)."""
    import os

    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila")


def share_html(values: dict) -> str:
    """A link to this very view, and a script that puts the view's state in the address bar
    (so reloading or copying the address keeps the view)."""
    q = escape(view_query(values))
    return (f'<p class="qy-share">分享 Share: <a class="qy-view-link" href="{q}">'
            f'此视图的链接 link to this view</a></p>'
            f'<script>history.replaceState(null, "", {json.dumps(view_query(values))});</script>')


def explore(fp: ForecastParams, scenario: str, births_method: str, draws: int, base_year: int):
    """Re-run the projection with these four settings (the rest from ``fp``) and return its
    fan chart by level for ``fp.county``."""
    from .figures.enrollment import fan_chart_by_level

    return fan_chart_by_level(projection.run(_run_fp(fp, scenario, births_method, draws,
                                                     base_year)), fp.county)


@lru_cache(maxsize=2)
def _plan_tables(plan_path=None) -> dict:
    """The plan registry, parsed once per session (it does not depend on the parameters)."""
    from .workbench import Workbench

    return Workbench(plan_path=plan_path).plan_tables


def promise_table(places_tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per promise at its target year: promised and needed places, surplus (+) / shortfall
    (−) p50 with p05–p95, P(shortfall), peak year."""
    from .views.decision import decision_rows
    from .views.format import signed

    rows = decision_rows(places_tables.get("places_promises.csv"))
    return pd.DataFrame({
        "承诺 Promise": [f"{r['label_zh']} {r['label_en']}" for r in rows],
        "目标年 Target year": [r["target_year"] for r in rows],
        "承诺学位 Promised": [r["promised"] for r in rows],
        "需新增 p50 Needed": [r["needed"] for r in rows],
        "富余(+)/缺口(−) p50 Surplus": [signed(r["surplus_p50"]) for r in rows],
        "p05–p95": [f"{signed(r['surplus_p05'])} … {signed(r['surplus_p95'])}" for r in rows],
        "缺口概率 P(shortfall)": [r["p_shortfall"] for r in rows],
        "需求峰值年 Peak year": [int(r["peak_year"]) if r["peak_year"] else None for r in rows],
    })


def explore_outputs(rp: RunParams, scenario: str, births_method: str, draws: int,
                    base_year: int, county: str | None = None, workbench=None):
    """(fan chart, promise table, summary line) for these settings, the other parameters from
    ``rp``: one projection, places through ``Workbench(rp).places_tables``; ``workbench``
    (one already holding these very parameters, e.g. the notebook's) is reused when given."""
    from .figures.enrollment import fan_chart_by_level
    from .workbench import Workbench

    run = rp.model_copy(update={"forecast": _run_fp(rp.forecast, scenario, births_method,
                                                    draws, base_year, county)})
    if workbench is not None and workbench.params == run:
        wb = workbench
    else:
        wb = Workbench(run)
        wb.__dict__["plan_tables"] = _plan_tables()  # cached_property: share the parsed plan
    table = promise_table(wb.places_tables)
    line = (f"{scenario_label(scenario)} · {births_method} · {int(draws):,} 次抽样 draws · "
            f"基年 base year {int(base_year)}")
    unit = run.forecast.county
    if unit != CITY:
        line += f" · {unit}（承诺为全市 promises are city-wide）"
    return fan_chart_by_level(wb.result, unit), table, line


def _as_run_params(params) -> RunParams:
    if isinstance(params, RunParams):
        return params
    from . import params as _params

    return _params.load().model_copy(update={"forecast": params})


def explorer_widget(params, state: dict | None = None):
    """Controls (scenario, births method, draws, base year, county; defaults from ``params``:
    a RunParams, ForecastParams or a Workbench, whose computed or read tables the first
    display reuses; ``state`` overrides them, and in a dashboard served by Voilà the page
    address does: :func:`url_state`) above an output area. Every change re-runs
    :func:`explore_outputs` and displays, explicitly, a line naming the settings, the new fan
    chart, the promise table and links that download the table (CSV) and the chart (PNG);
    served, also a link to the view, whose state is written into the address bar. The first
    display happens at once. Widgets need a live kernel: static exports (HTML) show only the
    static figures. Returns a ``VBox`` whose first five children are the controls and the
    last the output."""
    import ipywidgets as w
    from IPython.display import HTML, Image

    from .plotting import _figure_bytes
    from .views.format import frame_html

    first = params if hasattr(params, "places_tables") else None  # a Workbench: reused
    rp = _as_run_params(first.params if first is not None else params)
    fp = rp.forecast
    served = _served()
    problems: list[str] = []
    if state is None and served:
        state, problems = url_state()
    start = {**{k: getattr(fp, k) for k in URL_KEYS}, **(state or {})}
    lo, hi = coverage.base_years()  # only the base years the Qingyuan inputs support
    style = {"description_width": "initial"}
    controls = [
        w.Dropdown(options=scenarios(), value=start["scenario"], description="情景 Scenario",
                   style=style),
        w.Dropdown(options=BIRTHS_METHODS, value=start["births_method"],
                   description="出生重建 Births method", style=style),
        w.IntSlider(value=start["draws"], min=DRAWS_RANGE[0],
                    max=max(DRAWS_RANGE[1], start["draws"]), step=DRAWS_RANGE[2],
                    continuous_update=False, description="抽样 Draws", style=style),
        w.IntSlider(value=start["base_year"], min=lo, max=min(hi, fp.horizon - 1),
                    continuous_update=False, description="基年 Base year", style=style),
        w.Dropdown(options=coverage.counties(), value=start["county"],
                   description="县（市、区） County", style=style),
    ]
    out = w.Output()

    def update(_change=None) -> None:
        values = dict(zip(URL_KEYS, (c.value for c in controls), strict=True))
        try:
            fig, table, line = explore_outputs(rp, **values, workbench=first)
        except Exception as err:  # shown in the output area, not lost in the kernel log
            out.outputs = ()
            out.append_display_data(HTML(f"<p>无法计算 Cannot compute: "
                                         f"{escape(type(err).__name__)}: {escape(str(err))}</p>"))
            return
        png = _figure_bytes(fig, "png")
        out.outputs = ()
        out.append_display_data(HTML(f"<p><b>{escape(line)}</b></p>"))
        out.append_display_data(Image(data=png, format="png"))
        out.append_display_data(HTML(frame_html(table)))
        links = download_links(table, png, values)
        if problems:
            links += ("<p>地址中的无效设置已忽略 Invalid settings in the address, ignored: "
                      f"{escape(', '.join(problems))}</p>")
        out.append_display_data(HTML(links + (share_html(values) if served else "")))

    for c in controls:
        c.observe(update, names="value")
    update()
    box = w.VBox([*controls, out])
    box.update = update  # for tests and scripted use
    return box
