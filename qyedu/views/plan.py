"""The plan's indicator registry and audit flags for display: statements by source, flags by
rule and severity, the flags worth reading, and the targets the plan states with different
values in different places. Inputs are ``plan_indicators.csv`` and ``plan_flags.csv``
(``qyedu.plan.tables``); nothing is re-parsed."""

from __future__ import annotations

import re

import pandas as pd

from .scorecard import BOUND_SIGNS

MISSING_NAME = "–"
SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误 Error", "warning": "警告 Warning", "info": "提示 Info"}
# Short bilingual names of the audit rules (qyedu.plan.audit, qyedu.plan.audit_tables).
RULE_LABELS = {
    "growth_mismatch": "增幅与数值不符 Growth mismatch",
    "growth_basis_mixed": "增幅口径混用 Growth in pp vs %",
    "growth_format": "增幅格式 Growth format",
    "target_conflict": "目标值冲突 Conflicting targets",
    "target_below_baseline": "目标低于基期 Target below baseline",
    "actual_conflict": "实际值不一致 Conflicting outturns",
    "definition_change": "口径变化 Definition change",
    "editorial_note": "编辑批注 Editorial note",
    "benchmark_wording": "表述不一 Benchmark wording",
    "column_kind": "列含义 Column kind",
    "duplicate_row": "重复行 Duplicate row",
    "merged_row": "合并行 Merged row",
    "missing_cell": "空单元格 Missing cell",
    "split_cell": "拆分单元格 Split cell",
    "empty_row": "空行 Empty row",
    "unextracted_number": "未读取数字 Unread number",
}
KEY_RULES = ("growth_mismatch", "target_conflict", "target_below_baseline", "definition_change",
             "growth_basis_mixed", "actual_conflict", "editorial_note", "benchmark_wording")


def rule_of(flag_id: str) -> str:
    """Rule name of a flag id, e.g. ``"target_conflict-006"`` → ``"target_conflict"``."""
    return flag_id.rsplit("-", 1)[0]


def rule_label(rule: str) -> str:
    """Bilingual rule name; noise-removal rules are grouped as 导出噪声 Export noise."""
    if rule.startswith("noise_"):
        return "导出噪声 Export noise"
    return RULE_LABELS.get(rule, rule)


def source_group(source: str) -> str:
    """Where a statement is printed: one of the three tables, the prose, or a 专栏 box."""
    if source.startswith("table"):
        return f"表格 {source}"
    return "专栏 Boxes" if source.startswith("专栏") else "正文 Prose sections"


def targets_by_source(indicators: pd.DataFrame) -> pd.DataFrame:
    """Statements (rows of the registry) by source group and kind, with distinct indicators.

    Columns: targets, outturns (actual), all statements, distinct indicators; a last row
    合计 Total counts each indicator once."""
    df = indicators.assign(group=indicators["source"].map(source_group))
    out = pd.crosstab(df["group"], df["kind"]).reindex(columns=["target", "actual"], fill_value=0)
    out["statements"] = out.sum(axis=1)
    out["indicators"] = df.groupby("group")["indicator_id"].nunique()
    total = [*(out[c].sum() for c in ("target", "actual", "statements")),
             df["indicator_id"].nunique()]
    out.loc["合计 Total"] = total
    out.columns = ["目标 Targets", "实际 Outturns", "条目 Statements", "指标 Indicators"]
    out.index.name = "出处 Source"
    return out.astype("int64")


def severity_counts(flags: pd.DataFrame) -> pd.Series:
    """Number of flags per severity (error, warning, info), zeros included."""
    return flags["severity"].value_counts().reindex(list(SEVERITIES), fill_value=0)


def flags_by_rule(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags per rule (rows, bilingual) and severity (columns), most severe rules first."""
    df = flags.assign(rule=flags["flag_id"].map(rule_of).map(rule_label))
    out = pd.crosstab(df["rule"], df["severity"]).reindex(columns=list(SEVERITIES), fill_value=0)
    out = out.sort_values(list(SEVERITIES), ascending=False, kind="stable")
    out["合计 Total"] = out.sum(axis=1)
    out.columns = [SEVERITY_LABELS.get(c, c) for c in out.columns]
    out.index.name = "规则 Rule"
    out.columns.name = None
    return out


_NUM = r"(\d+(?:\.\d+)?)"
_BOUND = "(" + "|".join(BOUND_SIGNS) + ")"  # the registry's bounds, signed as on page 50
_VALUE_BOUND = re.compile(_NUM + " " + _BOUND + r" in (\d{4})\b")
_BOUND_VALUE = re.compile(r"\b" + _BOUND + " " + _NUM + r"(?![\d.])")


def _num(text: str) -> str:
    """A number of the plan as people read it: separators from 10,000 up (25,000), the
    printed decimals kept (101.28)."""
    return f"{int(text):,}" if text.isdigit() and int(text) >= 10_000 else text


def bounds_in_words(message: str) -> str:
    """An audit message with the registry's bound codes as signs: ``eq 25000`` → ``= 25,000``,
    ``98 ge in 2022`` → ``≥ 98 in 2022``, ``ge 3 & le 5`` → ``≥ 3 & ≤ 5``."""
    message = _VALUE_BOUND.sub(
        lambda m: f"{BOUND_SIGNS[m.group(2)]} {_num(m.group(1))} in {m.group(3)}", message)
    return _BOUND_VALUE.sub(lambda m: f"{BOUND_SIGNS[m.group(1)]} {_num(m.group(2))}", message)


def key_flags(flags: pd.DataFrame, indicators: pd.DataFrame | None = None,
              rules=KEY_RULES) -> pd.DataFrame:
    """The errors and warnings of the substantive rules (growth, conflicts, baselines,
    definitions), in ``rules`` order, with the plan line and the audit's message (bound codes
    as signs); severities in words and, given the registry, each indicator's printed name
    beside its id."""
    df = flags.assign(rule=flags["flag_id"].map(rule_of))
    df = df[df["rule"].isin(rules) & (df["severity"] != "info")]
    order = {r: i for i, r in enumerate(rules)}
    df = df.assign(o=df["rule"].map(order)).sort_values(["o", "flag_id"], kind="stable")
    zh = df["rule"].map(lambda r: rule_label(r).split(" ")[0])
    # Chinese first, then the audit's words
    df = df.assign(message=zh + "：" + df["message"].astype(str).map(bounds_in_words),
                   severity=df["severity"].map(SEVERITY_LABELS).fillna(df["severity"]))
    cols = ["flag_id", "severity", "indicator_id", "line", "message"]
    names = ["严重度 Severity", "指标编号 Indicator ID", "行 Line", "说明 Message"]
    if indicators is not None:
        first = indicators.drop_duplicates("indicator_id").set_index("indicator_id")["name_zh"]
        df = df.assign(name=df["indicator_id"].map(first).fillna(MISSING_NAME))
        cols.insert(3, "name")
        names.insert(2, "名称 Name")
    out = df[cols].set_index("flag_id")
    out.columns = names
    out.index.name = "标记编号 Flag ID"
    return out


def conflicting_targets(indicators: pd.DataFrame) -> pd.DataFrame:
    """Targets stated with different values for the same indicator and year (e.g. a table
    says 75 % and the prose 83 %): one row per indicator and year, every statement listed as
    ``printed text [source line n]``."""
    tg = indicators[indicators["kind"] == "target"]
    rows = []
    for (iid, year), grp in tg.groupby(["indicator_id", "year"], sort=True):
        stmts = grp.groupby(["source", "line", "text"], sort=True)["value"].apply(frozenset)
        if stmts.nunique() < 2:
            continue
        where = "; ".join(f"{text} [{src} line {line}]" for (src, line, text) in stmts.index)
        rows.append({"指标 Indicator": iid, "名称 Name": grp["name_zh"].iloc[0],
                     "年份 Year": int(year), "单位 Unit": grp["unit"].iloc[0],
                     "数值 Values": ", ".join(f"{v:g}" for v in sorted(set(grp["value"]))),
                     "出处 Statements": where})
    return pd.DataFrame(rows, columns=["指标 Indicator", "名称 Name", "年份 Year", "单位 Unit",
                                       "数值 Values", "出处 Statements"])


def summary_line(indicators: pd.DataFrame, flags: pd.DataFrame) -> str:
    """One line: indicators and statements in the registry, flags by severity, conflicts."""
    n_ind, n_stmt = indicators["indicator_id"].nunique(), len(indicators)
    n_tgt = int((indicators["kind"] == "target").sum())
    sev = severity_counts(flags)
    n_conf = len(conflicting_targets(indicators))
    return (f"规划指标 {n_ind} 项、{n_stmt} 条陈述（目标 {n_tgt} 条）；审计标记 {len(flags)} 条："
            f"错误 {sev['error']}、警告 {sev['warning']}、提示 {sev['info']}；"
            f"{n_conf} 项目标数值前后不一 | {n_ind} indicators in {n_stmt} statements "
            f"({n_tgt} targets); {len(flags)} audit flags: {sev['error']} error(s), "
            f"{sev['warning']} warnings, {sev['info']} info; {n_conf} targets stated with "
            f"different values")
