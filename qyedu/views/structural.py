"""The verdict that names what it rests on: when the promise's verdict differs between the
structural choices of structural_choices.csv, say so in words ("depends on whether …; with
A p = …, with B p = …"), Chinese first with an English gloss."""

from __future__ import annotations

import pandas as pd

from .format import count, pct
from .words import band

PROMISE_ZH = {"compulsory_new_places": ("新增义务教育学位", "new compulsory places"),
              "preschool_new_public_places": ("新增公办幼儿园学位", "new public preschool places"),
              "senior_new_public_places": ("新增公办普通高中学位", "new public general senior places")}
ORDER = ("none", "combined", "panel", "china_recent")


def verdict_class(p: float) -> str:
    """The calibrated word for P(shortfall) (views.words): the verdict the pages print."""
    return band(p).key


def structural_sentence(table: pd.DataFrame, promise: str) -> tuple[str, str] | None:
    """(Chinese, English) sentence for ``promise`` when its verdict class differs between
    the choices, else None (the verdict does not rest on the choice)."""
    t = table[table["promise"] == promise].copy()
    if t.empty:
        return None
    t["order"] = t["choice"].map({c: i for i, c in enumerate(ORDER)})
    t = t.sort_values("order")
    if t["prob_shortfall"].map(verdict_class).nunique() < 2:
        return None
    what_zh, what_en = PROMISE_ZH.get(promise, (promise, promise))
    first = t.iloc[0]
    promised = count(first["promised"])
    zh = (f"{what_zh}（承诺 {promised} 个）是否够用，取决于 {int(first['target_year'])} 年前"
          "入学、巩固和升学比率是否继续漂移：" + "；".join(
              f"若{r.choice_zh}，缺口概率 p = {pct(r.prob_shortfall)}（需新增 {count(r.need_p50)}，"
              f"区间 {count(r.need_p05)}–{count(r.need_p95)}）" for r in t.itertuples()) + "。")
    en = (f"Whether the {promised} {what_en} suffice depends on whether the entry, retention "
          f"and transition ratios keep drifting to {int(first['target_year'])}: " + "; ".join(
              f"with {r.choice_en} p = {pct(r.prob_shortfall)} (need {count(r.need_p50)}, "
              f"{count(r.need_p05)} to {count(r.need_p95)})" for r in t.itertuples()) + ".")
    return zh, en


SHORT = {"none": ("不漂移", "no drift"), "combined": ("半面板漂移", "half panel drift"),
         "panel": ("面板漂移", "panel drift"),
         "china_recent": ("全国近年漂移", "China 2021–24")}


def short_line(table: pd.DataFrame, promise: str) -> tuple[str, str]:
    """One line for the decision box: P(shortfall) under each choice, e.g.
    ('不漂移 8 % · 面板漂移 23 % · 全国近年漂移 13 %', 'no drift 8 % · …')."""
    t = table[table["promise"] == promise]
    t = t.assign(o=t["choice"].map({c: i for i, c in enumerate(ORDER)})).sort_values("o")
    parts = [(SHORT.get(r.choice, (r.choice, r.choice)), pct(r.prob_shortfall))
             for r in t.itertuples()]
    return (" · ".join(f"{zh} {p}" for (zh, _), p in parts),
            " · ".join(f"{en} {p}" for (_, en), p in parts))


def structural_sentences(table: pd.DataFrame) -> pd.DataFrame:
    """Every promise whose verdict rests on the choice: promise, zh, en (the sentence) and
    short_zh, short_en (one line of P(shortfall) under each choice)."""
    rows = []
    for promise in dict.fromkeys(table["promise"]):
        s = structural_sentence(table, promise)
        if s:
            sz, se = short_line(table, promise)
            rows.append({"promise": promise, "zh": s[0], "en": s[1], "short_zh": sz,
                         "short_en": se})
    return pd.DataFrame(rows, columns=["promise", "zh", "en", "short_zh", "short_en"])


NUMBER_ZH = {2: "两", 3: "三", 4: "四", 5: "五"}
NUMBER_EN = {2: "two", 3: "three", 4: "four", 5: "five"}


def structural_text(table: pd.DataFrame) -> str:
    """What notebook 30 prints: for each promise, its P(shortfall) under each choice and,
    where the verdict differs between them, the sentence that says so."""
    lines = []
    for promise in dict.fromkeys(table["promise"]):
        t = table[table["promise"] == promise]
        t = t.assign(o=t["choice"].map({c: i for i, c in enumerate(ORDER)})).sort_values("o")
        zh, en = PROMISE_ZH.get(promise, (promise, promise))
        s = structural_sentence(table, promise)
        if s:
            lines += [s[0], s[1], ""]
        else:
            ps = "、".join(f"{r.choice_zh} p = {pct(r.prob_shortfall)}" for r in t.itertuples())
            k = len(t)
            lines += [f"{zh}：{NUMBER_ZH.get(k, k)}种假设下结论相同（{ps}）。",
                      f"{en}: the same verdict under all {NUMBER_EN.get(k, k)} choices.", ""]
    return "\n".join(lines).rstrip()
