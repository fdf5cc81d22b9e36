"""The decision box of the index page: for each places promise a one-line verdict in Chinese
and English, the probability of a shortfall, the timing (peak year, places idle by the
horizon), and the caveats that matter most. Computed from ``places_promises.csv`` (and
``backtest.csv`` for the accuracy caveat) only by column and quantity names, so added
columns, rows or promises do not break it; nothing here is a typed number."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import LEVEL_LABELS, PROMISE_LABELS, SCENARIO_LABELS
from ..projection.result import CITY
from ..validation.drift import MIN_AREAS
from .format import count, number, pct
from .words import NO_DATA, band, shortfall_words

PLAN_END = 2025  # every places promise of the plan is "by 2025" (the plan's last year)


def _q(t: pd.DataFrame, promise: str, quantity: str) -> pd.DataFrame:
    return t[(t["promise"] == promise) & (t["quantity"] == quantity)]


def _value(t, promise, quantity, col="p50", year=None):
    rows = _q(t, promise, quantity)
    if year is not None and "year" in rows:
        rows = rows[pd.to_numeric(rows["year"], errors="coerce") == year]
    if rows.empty or col not in rows:
        return None
    v = rows[col].iloc[0]
    return None if pd.isna(v) else float(v)


def promise_facts(promises: pd.DataFrame, promise: str) -> dict | None:
    """Numbers behind one verdict (None when the table lacks the promise's surplus rows)."""
    sur = _q(promises, promise, "surplus")
    years = pd.to_numeric(sur.get("year"), errors="coerce").dropna().astype(int) \
        if "year" in sur else pd.Series(dtype=int)
    if sur.empty or years.empty:
        return None
    ty = min(PLAN_END, int(years.max()))
    prob_col = "mean" if "mean" in promises else "p50"
    by_year = sur.assign(y=pd.to_numeric(sur["year"], errors="coerce")).set_index("y")["p50"]
    probs = _q(promises, promise, "prob_shortfall")
    probs = probs.assign(y=pd.to_numeric(probs["year"], errors="coerce")).set_index("y")[prob_col] \
        if not probs.empty else pd.Series(dtype=float)
    scen = sur["scenario"].iloc[0] if "scenario" in sur else None
    return {
        "promise": promise, "target_year": ty, "horizon": int(years.max()), "scenario": scen,
        "promised": _value(promises, promise, "promised_places", year=ty),
        "needed": _value(promises, promise, "additional_places_needed", year=ty),
        "surplus_p05": _value(promises, promise, "surplus", "p05", ty),
        "surplus_p50": _value(promises, promise, "surplus", "p50", ty),
        "surplus_p95": _value(promises, promise, "surplus", "p95", ty),
        "p_shortfall": _value(promises, promise, "prob_shortfall", prob_col, ty),
        "p_shortfall_max": float(probs.max()) if len(probs) else None,
        "p_shortfall_max_year": int(probs.idxmax()) if len(probs) and probs.max() > 0 else None,
        "tightest_year": int(by_year.idxmin()) if len(by_year) else None,
        "peak_year": _value(promises, promise, "peak_year_mode")
        or _value(promises, promise, "peak_year"),
        "idle_at_horizon": _value(promises, promise, "idle_at_horizon"),
    }


def verdict(f: dict) -> tuple[str, str, str]:
    """(words key, Chinese line, English line). The words are the calibrated scale
    (``qyedu.views.words``) applied to P(shortfall) in the target year; when a later year's
    probability falls in a stronger band, the line says so and when. Numbers are named by
    what they are: the median over draws of promised − needed places in the target year."""
    p, s, ty = f["p_shortfall"], f["surplus_p50"], f["target_year"]
    b = band(p)
    wz, we = shortfall_words(p)
    if p is None or s is None:
        return NO_DATA.key, "数据不足，无法判断", "not enough data to judge"
    promised = count(f["promised"])
    need = f["needed"]
    if need is not None and need < 0:
        zh = (f"{wz}（{ty} 年缺口概率 {pct(p)}）：{ty} 年需求比基年少 {count(-need)} 个学位，"
              f"承诺的 {promised} 个学位超过所需（各抽样中位数）")
        en = (f"{we} ({pct(p)} in {ty}): demand in {ty} is {count(-need)} places below the "
              f"base year, so the {promised} promised places exceed the need (medians over "
              "draws)")
    else:
        more_zh = f"多 {count(abs(s))}" if s >= 0 else f"少 {count(abs(s))}"
        more_en = f"{count(abs(s))} more" if s >= 0 else f"{count(abs(s))} fewer"
        zh = (f"{wz}（{ty} 年缺口概率 {pct(p)}）：承诺的 {promised} 个学位比 {ty} 年新增需求 "
              f"{count(need)} 个{more_zh} 个（各抽样中位数）")
        en = (f"{we} ({pct(p)} in {ty}): the {promised} promised places are {more_en} than "
              f"the {count(need)} needed by {ty} (medians over draws)")
    worst, wy = f.get("p_shortfall_max"), f.get("p_shortfall_max_year")
    if _later_in_verdict(f):
        lz, le = shortfall_words(worst)
        when_zh, when_en = ("规划期后需求仍上升", "after the plan period") if wy > ty else \
            ("规划期内更早的一年", "an earlier year of the plan period")
        zh += f"；但 {wy} 年{lz}（{pct(worst)}，{when_zh}）"
        en += f"; but in {wy} {le} ({pct(worst)}, {when_en})"
    return b.key, zh, en


def _rank(p) -> int:
    """Order of a probability's band on the scale (higher = a shortfall more likely)."""
    order = ["exceptionally_unlikely", "very_unlikely", "unlikely", "about_as_likely_as_not",
             "likely", "very_likely", "virtually_certain"]
    k = band(p).key
    return order.index(k) if k in order else -1


def _later_in_verdict(f: dict) -> bool:
    worst, wy = f.get("p_shortfall_max"), f.get("p_shortfall_max_year")
    return (worst is not None and wy is not None and wy != f["target_year"]
            and _rank(worst) > _rank(f.get("p_shortfall")))


def timing(f: dict) -> tuple[str, str]:
    peak = f["peak_year"]
    idle, hz = f["idle_at_horizon"], f["horizon"]
    zh = f"需求峰值 {int(peak)} 年（各抽样中最常见的年份）" if peak else "峰值年不详"
    en = f"demand peaks in {int(peak)} (the most common year over draws)" if peak \
        else "peak year unknown"
    if idle is not None and round(idle) == 0:
        zh += f"；到 {hz} 年承诺的学位仍全部需要（各抽样中位数）"
        en += f"; all promised places are still needed in {hz} (median over draws)"
    elif idle is not None:
        zh += f"；承诺学位中到 {hz} 年闲置的部分：{count(idle)} 个（各抽样中位数）"
        en += f"; promised places idle by {hz}: {count(idle)} (median over draws)"
    return zh, en


def decision_rows(promises: pd.DataFrame) -> list[dict]:
    """One record per promise found in the table (known promises first, in plan order)."""
    if promises is None or promises.empty or not {"promise", "quantity"} <= set(promises):
        return []
    if "county" in promises:  # the city-wide rows; county rows are for the county pages
        promises = promises[promises["county"].astype(str) == CITY]
    known = [p for p in PROMISE_LABELS if p in set(promises["promise"])]
    others = sorted(set(promises["promise"].dropna()) - set(known))
    out = []
    for pid in known + others:
        f = promise_facts(promises, pid)
        if f is None:
            continue
        level, zh, en = verdict(f)
        tz, te = timing(f)
        label = PROMISE_LABELS.get(pid, (pid, pid))
        b = band(f["p_shortfall"])
        out.append({**f, "level": level, "words_zh": b.zh, "words_en": b.en, "colour": b.colour,
                    "verdict_zh": zh, "verdict_en": en,
                    "timing_zh": tz, "timing_en": te, "label_zh": label[0], "label_en": label[1],
                    "p_shortfall_text": pct(f["p_shortfall"])})
    return out


def backtest_errors(backtest: pd.DataFrame | None) -> pd.Series | None:
    """Absolute percentage errors of the full model's enrolment back-test (not the births
    series, not the naive baselines); None without a back-test table."""
    if backtest is None or backtest.empty or not {"ape", "method"} <= set(backtest):
        return None
    method = backtest["method"].astype(str)
    model = method.str.startswith("cohort_model")
    bt = backtest[model] if model.any() else backtest[~method.isin(["carry_forward",
                                                                   "linear_trend"])]
    if "series" in bt:
        bt = bt[~bt["series"].astype(str).str.contains("births")]
    ape = pd.to_numeric(bt["ape"], errors="coerce").dropna()
    return ape if len(ape) else None


def local_backtest(backtest: pd.DataFrame | None) -> list[dict]:
    """Qingyuan's own out-of-sample check (``backtest.csv``, the model run as of an earlier
    origin against the published outturns): per level, the error at the latest origin (the
    shortest lead), and whether the outturn fell in the p05–p95 band; [] without the table."""
    need = {"series", "origin", "horizon", "method", "ape", "forecast_p05", "forecast_p95",
            "actual"}
    if backtest is None or backtest.empty or not need <= set(backtest):
        return []
    bt = backtest[backtest["method"].astype(str).str.startswith("cohort_model")
                  & backtest["series"].astype(str).str.startswith("qingyuan_")]
    out = []
    for series, g in bt.groupby("series", sort=True):
        last = g.sort_values(["origin", "horizon"]).iloc[-1]
        inside = bool(last["forecast_p05"] <= last["actual"] <= last["forecast_p95"])
        out.append({"level": str(series).removeprefix("qingyuan_"), "origin": int(last["origin"]),
                    "lead": int(last["horizon"]), "ape": float(last["ape"]), "inside": inside})
    return out


PUBLISHED_METHOD = "grade_flow_band"  # the published method of the honest back-test
CAVEAT_LEVELS = ("primary", "junior_secondary")


def panel_accuracy(accuracy: pd.DataFrame | None, lead: int = 5, info: str = "qingyuan_like",
                   levels=CAVEAT_LEVELS) -> dict | None:
    """The published method's honest-in-time errors (``honest_accuracy.csv``, sample ``in``,
    information ``info``): the lead used (``lead`` years, or the longest below it at which
    every level was tested on at least MIN_AREAS areas), the range of MAPE over ``levels``
    and the share of their outturns inside the p05–p95 band (pooled, weighted by the
    forecasts with a band, ``n_band``, else ``n``); None without a usable table."""
    need = {"level", "lead", "method", "mape"}
    if accuracy is None or accuracy.empty or not need <= set(accuracy):
        return None
    a = accuracy[(accuracy["method"] == PUBLISHED_METHOD) & accuracy["level"].isin(levels)]
    if "sample" in a:
        a = a[a["sample"] == "in"]
    if "info" in a:
        a = a[a["info"] == info]
    a = a.assign(lead=pd.to_numeric(a["lead"], errors="coerce"),
                 mape=pd.to_numeric(a["mape"], errors="coerce"))
    areas = pd.to_numeric(a["areas"], errors="coerce") if "areas" in a else \
        pd.Series(float(MIN_AREAS), index=a.index)
    ok = a[(areas >= MIN_AREAS) & a["mape"].notna() & (a["lead"] <= lead)]
    full = [h for h, g in ok.groupby("lead") if set(g["level"]) == set(a["level"])]
    if not full:
        return None
    at = ok[ok["lead"] == max(full)]
    at = at.assign(_o=at["level"].map({lv: i for i, lv in enumerate(levels)})).sort_values("_o")
    cov = pd.to_numeric(at["coverage_p05_p95"], errors="coerce") \
        if "coverage_p05_p95" in at else pd.Series(np.nan, index=at.index)
    wcol = "n_band" if "n_band" in at else "n" if "n" in at else None
    n = pd.to_numeric(at[wcol], errors="coerce") if wcol else pd.Series(1.0, index=at.index)
    use = cov.notna() & n.gt(0)
    coverage = float((cov[use] * n[use]).sum() / n[use].sum()) if use.any() else None
    return {"lead": int(max(full)), "lo": float(at["mape"].min()), "hi": float(at["mape"].max()),
            "coverage": coverage, "forecasts": int(n[use].sum()) if wcol else None,
            "levels": [str(v) for v in at["level"]]}


def caveats(rows: list[dict], backtest: pd.DataFrame | None, accuracy_link: str,
            accuracy: pd.DataFrame | None = None) -> list[dict]:
    """The three caveats that matter most, each in Chinese and English (numbers from the
    tables); ``accuracy`` is the honest-in-time accuracy (``panel_accuracy``), quoted with
    Qingyuan's own frozen check (``backtest.csv``) beside it; ``accuracy_link`` points at
    the accuracy table (page 20's accuracy section, else its back-test)."""
    acc = panel_accuracy(accuracy)
    if acc is not None:
        names = [LEVEL_LABELS.get(lv, (lv, lv)) for lv in acc["levels"]]
        zh = (f"按时间诚实回测（每个起点只用当时已知的数据，在 27 个省和全国上，信息条件同清远）："
              f"本方法提前 {acc['lead']} 年的预测误差（平均绝对百分比误差）"
              f"{'、'.join(z for z, _ in names)}为 {_range(acc)} %")
        en = (f"Back-tested honest in time (each origin learns only from what was known then, "
              f"on 27 provinces and China with Qingyuan-like information), the method's "
              f"{acc['lead']}-year-ahead errors (mean absolute percentage error) "
              f"{_range_en(acc)} ({', '.join(e.lower() for _, e in names)})")
        if acc["coverage"] is not None:
            of_zh = f" {acc['forecasts']:,} 个观测中的" if acc["forecasts"] else ""
            of_en = f" of {acc['forecasts']:,}" if acc["forecasts"] else ""
            zh += f"，5–95 % 区间覆盖了{of_zh} {acc['coverage']:.0f} %"
            en += (f", and its 5–95 % band holds {acc['coverage']:.0f} %{of_en} observed "
                   "outturns")
        lz, le = _local_text(backtest)
        return _caveats(rows, zh + lz + "；概率只反映模型内的不确定性",
                        en + le + "; the probabilities cover only the model's own uncertainty",
                        accuracy_link)
    err = backtest_errors(backtest)
    acc_zh = "模型回测（以早年数据预测后来的观测）"
    acc_en = "In the model's back-test (forecasts from earlier years against later observations)"
    if err is not None:
        lo, med, hi = (f"{v:.0f} %" for v in (err.min(), err.median(), err.max()))
        acc_zh += f"的 {len(err)} 次比较中，在校生绝对百分比误差为 {lo}–{hi}（中位 {med}）；"
        acc_en += (f" the absolute percentage errors of enrolment range from {lo} to {hi} "
                   f"(median {med}) over {len(err)} comparisons;")
    acc_zh += "校准点很少：概率只反映模型内的不确定性"
    acc_en += " calibration points are few: the probabilities cover only the model's own uncertainty"
    return _caveats(rows, acc_zh, acc_en, accuracy_link)


def _range(acc: dict) -> str:
    lo, hi = f"{acc['lo']:.0f}", f"{acc['hi']:.0f}"
    return lo if lo == hi else f"{lo}–{hi}"


def _range_en(acc: dict) -> str:
    lo, hi = f"{acc['lo']:.0f}", f"{acc['hi']:.0f}"
    return f"are {lo} %" if lo == hi else f"range from {lo} % to {hi} %"


def _local_text(backtest) -> tuple[str, str]:
    """'；清远本地回测…' beside the panel's errors (empty without a local back-test)."""
    loc = [r for r in local_backtest(backtest) if r["level"] in LEVEL_LABELS]
    if not loc:
        return "", ""
    # the errors as page 20's back-test table prints them (format.number: 104, not 104.0)
    zh = "、".join(f"{LEVEL_LABELS[r['level']][0]} {number(r['ape'])} %（{r['origin']} 年起提前 "
                  f"{r['lead']} 年）" for r in loc)
    en = ", ".join(f"{LEVEL_LABELS[r['level']][1].lower()} {number(r['ape'])} % ({r['lead']} years "
                   f"ahead from {r['origin']})" for r in loc)
    inside = sum(r["inside"] for r in loc)
    return (f"；清远本地回测的误差：{zh}，{len(loc)} 个观测中 {inside} 个落在 5–95 % 区间内",
            f"; Qingyuan's own back-test missed by {en}, with {inside} of {len(loc)} outturns "
            "inside the 5–95 % band")


def _caveats(rows: list[dict], acc_zh: str, acc_en: str, accuracy_link: str) -> list[dict]:
    scen = next((r["scenario"] for r in rows if r.get("scenario")), None)
    sz, se = SCENARIO_LABELS.get(scen, (scen or "", scen or ""))
    return [
        {"zh": "基线容量来自 2022–23 学年在校生扣除大班额（大班额比例未公布，为假设参数），"
               "规划新增学位的选址未公布、按县分配为假设：县级缺口对这两项最敏感",
         "en": "Baseline capacity is the 2022–23 enrolment less the pupils in oversized classes "
               "(that share is not published: an assumption), and where the planned places are "
               "built is not published either: county shortages depend most on these two",
         "link": None},
        {"zh": acc_zh, "en": acc_en, "link": accuracy_link},
        {"zh": f"未来出生为情景假设（本页为{sz}）；情景内的区间不代表哪个情景会发生",
         "en": f"Future births are a scenario assumption (here: {se}); the band within a "
               f"scenario is not the chance of another scenario", "link": "60_scenario_explorer.html"},
    ]


CITED = ("promised_places", "additional_places_needed", "surplus", "prob_shortfall",
         "idle_at_horizon_promise", "capacity_shortage", "prob_shortage", "shortage_at_peak",
         "shortage_peak_year")


def cited(table: pd.DataFrame, row: dict) -> list[dict]:
    """The numbers of the verdicts table the decision box prints for one promise (each with
    its key, label and statistic): the target year's need and delivery, the worst later year,
    and the capacity view of every level of the promise (levels never netted)."""
    if table is None or table.empty:
        return []
    t = table[table["promise"] == row["promise"]]
    t = t[t["quantity"].isin(CITED)]
    keep = ["key", "view", "level", "quantity", "year", "text", "label_zh", "label_en",
            "statistic_zh", "statistic_en", "words_zh", "words_en", "colour"]
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
            for r in t[keep].to_dict("records")]
