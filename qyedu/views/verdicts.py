"""The one table of verdicts: per places promise and level, the three views of "how many
places?" (need, delivery, capacity), each number under its own label, and the calibrated
words (``qyedu.views.words``) for each probability. The decision box, the index, the
explanatory notes (``qyedu explain``), the workbook and any page read this table; none
re-derives a verdict.

Inputs are the processed tables ``places_promises.csv`` (need and delivery: the promise
against the added need) and ``places_answers.csv`` (capacity: the sum of county shortages
per level). Levels are never netted: compulsory capacity rows are the sum of the level
shortages, as the places table gives them (a level's surplus never offsets another's
shortage). Each row names its statistic: "median in 2025" (the median over draws of a
year's value), "median of each draw's peak" (the median over draws of each draw's maximum),
"mean of the 0/1 draws" (a probability).

Keys are stable text ids (``promise.level.quantity.year``) so that a page prints a number by
key (``cite``) and a test can check one label carries one value everywhere."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from ..labels import LEVEL_LABELS, PROMISE_LABELS
from ..projection.result import CITY
from .format import count, is_missing, pct, year
from .words import band, shortfall_words

PLAN_END = 2025  # every places promise of the plan is "by 2025" (the plan's last year)
VERDICTS_FILE = "verdicts.csv"

# quantity → (view, zh label, en label, statistic kind, formatter, source table)
# statistic kinds: year_median, peak_median (median of each draw's peak), probability (mean
# of 0/1 draws), peak_year (median of each draw's peak year), fixed (a number of the plan)
QUANTITIES: dict[str, tuple[str, str, str, str, str, str]] = {
    "promised_places": ("delivery", "承诺新增学位", "places promised", "fixed", "count",
                        "places_promises.csv"),
    "additional_places_needed": ("need", "比基年新增的学位需求", "places needed above the base year",
                                 "year_median", "count", "places_promises.csv"),
    "level_additional_places_needed": ("need", "本学段比基年新增的学位需求",
                                       "places of this level needed above the base year",
                                       "year_median", "signed", "places_promises.csv"),
    "surplus": ("delivery", "承诺学位减新增需求（负数为缺口）",
                "promised minus needed places (negative = shortfall)", "year_median", "signed",
                "places_promises.csv"),
    "prob_shortfall": ("delivery", "承诺学位不足的概率", "P(promised places fall short)",
                       "probability", "pct", "places_promises.csv"),
    "idle_at_horizon_promise": ("delivery", "承诺学位中到展望末年闲置的部分",
                                "promised places idle by the horizon", "median", "count",
                                "places_promises.csv"),
    "peak_year_mode": ("need", "需求峰值年份（各抽样中最常见）",
                       "year of peak demand (most common over draws)", "fixed", "year",
                       "places_promises.csv"),
    "capacity_shortage": ("capacity", "各县学位缺口之和（不抵消）",
                          "sum of county shortages (no netting)", "year_median", "count",
                          "places_answers.csv"),
    "prob_shortage": ("capacity", "至少一个县缺学位的概率", "P(some county is short of places)",
                      "probability", "pct", "places_answers.csv"),
    "shortage_at_peak": ("capacity", "缺口峰值", "shortage at its peak", "peak_median", "count",
                         "places_answers.csv"),
    "shortage_peak_year": ("capacity", "缺口峰值年份", "year of the largest shortage",
                           "peak_year", "year", "places_answers.csv"),
    "needed_until_peak_only": ("capacity", "只在峰值前需要的学位",
                               "places needed only until the peak", "peak_median", "count",
                               "places_answers.csv"),
}
STATISTIC = {
    "year_median": ("{y} 年各抽样的中位数", "the median over draws in {y}"),
    "median": ("各抽样的中位数", "the median over draws"),
    "peak_median": ("各抽样峰值的中位数", "the median of each draw's peak"),
    "peak_year": ("各抽样峰值年份的中位数", "the median of each draw's peak year"),
    "probability": ("{y} 年缺口抽样所占比例（均值）", "the share of draws short in {y} (mean)"),
    "fixed": ("", ""),
}
VIEW_LABELS = {"need": ("需求", "need"), "delivery": ("承诺兑现", "delivery"),
               "capacity": ("容量", "capacity")}
COLUMNS = ["key", "promise", "level", "view", "quantity", "year", "statistic", "value", "p05",
           "p95", "text", "label_zh", "label_en", "statistic_zh", "statistic_en", "words_zh",
           "words_en", "words_key", "colour", "source"]


def _fmt(kind: str, v) -> str:
    if is_missing(v):
        return "–"
    return {"count": count, "pct": pct, "year": year}.get(
        kind, lambda x: ("+" if round(float(x)) > 0 else "") + count(x))(v)


def _row(promise, level, quantity, yr, value, p05=np.nan, p95=np.nan) -> dict:
    view, zh, en, stat, kind, src = QUANTITIES[quantity]
    y = "" if is_missing(yr) else str(int(float(yr)))
    sz, se = STATISTIC[stat]
    key = ".".join(p for p in (promise, level, quantity, y) if p)
    words_zh = words_en = words_key = colour = ""
    if stat == "probability":
        b = band(value)
        words_zh, words_en = shortfall_words(value)
        words_key, colour = b.key, b.colour
    return {"key": key, "promise": promise, "level": level, "view": view,
            "quantity": quantity, "year": int(y) if y else np.nan, "statistic": stat,
            "value": value, "p05": p05, "p95": p95, "text": _fmt(kind, value),
            "label_zh": zh, "label_en": en, "statistic_zh": sz.format(y=y),
            "statistic_en": se.format(y=y), "words_zh": words_zh, "words_en": words_en,
            "words_key": words_key, "colour": colour, "source": src}


def _num(v):
    return np.nan if is_missing(v) else float(v)


def verdict_table(promises: pd.DataFrame | None, answers: pd.DataFrame | None = None,
                  target_year: int = PLAN_END) -> pd.DataFrame:
    """verdicts.csv: one row per (promise, level, quantity, year) shown anywhere, with its
    label, statistic, value, formatted text and (for probabilities) the calibrated words.
    Years kept: the target year (the plan's end, or the last year in the table if earlier)
    and, for probabilities, the year in which they are highest."""
    out: list[dict] = []
    promises, answers = _city(promises), _city(answers)
    if promises is not None and not promises.empty and {"promise", "quantity"} <= set(promises):
        p = promises.assign(year=pd.to_numeric(promises.get("year"), errors="coerce"))
        if "level" not in p:
            p = p.assign(level="")
        for pid in _ordered(p["promise"]):
            t = p[p["promise"] == pid]
            main = t[t["quantity"] == "surplus"]
            level = str(main["level"].iloc[0]) if len(main) else str(t["level"].iloc[0])
            years = t["year"].dropna()
            ty = int(min(target_year, years.max())) if len(years) else target_year
            for q, col in (("promised_places", "p50"), ("additional_places_needed", "p50"),
                           ("surplus", "p50"), ("prob_shortfall", "mean")):
                r = t[(t["quantity"] == q) & (t["year"] == ty) & (t["level"] == level)]
                if len(r):
                    out.append(_row(pid, level, q, ty, _num(r[col].iloc[0]),
                                    _num(r["p05"].iloc[0]), _num(r["p95"].iloc[0])))
            per_level = t[(t["quantity"] == "level_additional_places_needed") & (t["year"] == ty)]
            for _, r in per_level.iterrows():  # each level's own need, never netted
                out.append(_row(pid, str(r["level"]), "level_additional_places_needed", ty,
                                _num(r["p50"]), _num(r["p05"]), _num(r["p95"])))
            t = t[t["level"] == level]
            probs = t[t["quantity"] == "prob_shortfall"].dropna(subset=["year"])
            if len(probs):
                worst = probs.loc[probs["mean"].astype(float).idxmax()]
                if int(worst["year"]) != ty:
                    out.append(_row(pid, level, "prob_shortfall", worst["year"],
                                    _num(worst["mean"])))
            mode = t[t["quantity"] == "peak_year_mode"]
            if len(mode):
                out.append(_row(pid, level, "peak_year_mode", np.nan, _num(mode["p50"].iloc[0])))
            idle = t[t["quantity"] == "idle_at_horizon"]
            if len(idle):
                out.append(_row(pid, level, "idle_at_horizon_promise", np.nan,
                                _num(idle["p50"].iloc[0]), _num(idle["p05"].iloc[0]),
                                _num(idle["p95"].iloc[0])))
    if answers is not None and not answers.empty and {"promise", "quantity"} <= set(answers):
        a = answers.assign(year=pd.to_numeric(answers.get("year"), errors="coerce"))
        for (pid, level), t in a.groupby(["promise", "level"], sort=False):
            years = t.loc[t["quantity"] == "capacity_shortage", "year"].dropna()
            ty = int(min(target_year, years.max())) if len(years) else target_year
            for q in ("capacity_shortage", "prob_shortage"):
                r = t[(t["quantity"] == q) & (t["year"] == ty)]
                col = "mean" if q == "prob_shortage" else "p50"
                if len(r):
                    out.append(_row(pid, level, q, ty, _num(r[col].iloc[0]),
                                    _num(r["p05"].iloc[0]), _num(r["p95"].iloc[0])))
            for q in ("shortage_peak_year", "shortage_at_peak", "needed_until_peak_only"):
                r = t[t["quantity"] == q]
                if len(r):
                    out.append(_row(pid, level, q, np.nan, _num(r["p50"].iloc[0]),
                                    _num(r["p05"].iloc[0]), _num(r["p95"].iloc[0])))
    t = pd.DataFrame(out, columns=COLUMNS)
    return t.drop_duplicates("key", keep="first").reset_index(drop=True)


def _city(t: pd.DataFrame | None) -> pd.DataFrame | None:
    """The city-wide rows (county rows, where a table has them, are for the county pages)."""
    if t is None or "county" not in t:
        return t
    return t[t["county"].astype(str) == CITY]


def _ordered(promises: pd.Series) -> list[str]:
    seen = set(promises.dropna().astype(str))
    known = [p for p in PROMISE_LABELS if p in seen]
    return known + sorted(seen - set(known))


def lookup(table: pd.DataFrame, promise: str, quantity: str, year=None,
           level: str | None = None) -> pd.Series | None:
    """The one row of ``table`` for a promise and quantity (and year / level when given)."""
    if table is None or table.empty:
        return None
    m = (table["promise"] == promise) & (table["quantity"] == quantity)
    if year is not None:
        m &= pd.to_numeric(table["year"], errors="coerce") == year
    if level is not None:
        m &= table["level"] == level
    r = table[m]
    return r.iloc[0] if len(r) else None


def cite(row: pd.Series | dict | None, with_label: bool = False) -> str:
    """HTML of one number of the table, marked with its key (``data-qy-key``) so a test can
    check that a label carries one value on every page."""
    if row is None:
        return "–"
    text = escape(str(row["text"]))
    label = ""
    if with_label:
        stat = f"（{row['statistic_zh']}）" if row.get("statistic_zh") else ""
        label = f"{escape(row['label_zh'])}{escape(stat)}："
    return f'{label}<span class="qy-num" data-qy-key="{escape(row["key"])}">{text}</span>'


def level_name(level: str) -> tuple[str, str]:
    return LEVEL_LABELS.get(level, (level, level))


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The verdicts table for reading (bilingual headers, no code names): promise, level,
    what is counted, which statistic, the value and band, the words."""
    if table is None or table.empty:
        return pd.DataFrame({"说明 note": ["本次运行没有学位表 no places tables in this run"]})
    pl = table["promise"].map(lambda p: " ".join(PROMISE_LABELS.get(p, (p, "")))).str.strip()
    lv = table["level"].map(lambda x: " ".join(level_name(x)))
    band_txt = [("–" if is_missing(a) or r == "probability" else
                 f"{_fmt(k, a)} … {_fmt(k, b)}")
                for a, b, r, k in zip(table["p05"], table["p95"], table["statistic"],
                                      table["quantity"].map(lambda q: QUANTITIES[q][4]),
                                      strict=True)]
    return pd.DataFrame({
        "承诺 promise": pl, "学段 level": lv,
        "视角 view": table["view"].map(lambda v: " ".join(VIEW_LABELS.get(v, (v, v)))),
        "数量 quantity": table["label_zh"] + " " + table["label_en"],
        "统计量 statistic": (table["statistic_zh"] + " " + table["statistic_en"]).str.strip(),
        "数值 value": table["text"], "5–95 % 区间 band": band_txt,
        "表述 words": (table["words_zh"] + " " + table["words_en"]).str.strip(),
    })


# how each view is computed, in words (the decision box's "how this was computed" note)
HOW = {
    "need": ("需求：各抽样中目标年的学位需求减去基年（2020 年）的需求；学前和普高按公办学位计，义务教育按全部学位计",
             "need: in each draw, places needed in the target year minus those of the base year "
             "(2020); public places for preschool and general senior, all places for compulsory"),
    "delivery": ("承诺兑现：承诺的新增学位减去新增需求；缺口概率为余量小于 0 的抽样所占比例",
                 "delivery: promised places minus the added need; P(shortfall) is the share of "
                 "draws in which this is below 0"),
    "capacity": ("容量：各县“需求 − 容量”中的正值相加（容量 = 扣除大班额的基线 + 已交付 + 规划学位），"
                 "县与县、学段与学段不相抵消",
                 "capacity: the positive parts of need − capacity summed over counties (capacity "
                 "= baseline less oversized classes + delivered + planned places); no county or "
                 "level offsets another"),
}


def promise_words(table: pd.DataFrame, target_year: int = PLAN_END) -> pd.DataFrame:
    """Per promise: P(shortfall) in the target year and its calibrated words and colour — the
    one verdict a scorecard or any other page should print for a places promise."""
    cols = ["promise", "level", "year", "p_shortfall", "words_zh", "words_en", "colour", "key"]
    if table is None or table.empty:
        return pd.DataFrame(columns=cols)
    t = table[(table["quantity"] == "prob_shortfall")]
    t = t[pd.to_numeric(t["year"], errors="coerce") == target_year]
    return t.rename(columns={"value": "p_shortfall"})[cols].reset_index(drop=True)
