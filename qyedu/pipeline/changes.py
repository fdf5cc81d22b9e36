"""What changed since the previous edition: each headline number of the verdicts table
(``verdicts.csv``) old → new, with the reason (input files changed, parameters changed, code
version), as a revisions table (``changes.csv``) and a section of the index. Compared with
the edition published before this refresh; "no number changed" is said when true."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd

from ..io import write_bytes_atomic

CHANGES_FILE = "changes.csv"
COLUMNS = ["key", "label_zh", "label_en", "statistic_zh", "statistic_en", "old", "new",
           "reason_zh", "reason_en", "inputs_changed", "parameters_changed", "code_changed",
           "previous_run", "run"]


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _flat(d, prefix="") -> dict:
    out = {}
    for k, v in (d or {}).items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def reasons(old: dict, new: dict) -> dict:
    """Input files, parameters and code that differ between two manifests."""
    ro, rn = old.get("raw_data") or {}, new.get("raw_data") or {}
    files = sorted(k.rsplit("/", 1)[-1] for k in set(ro) | set(rn) if ro.get(k) != rn.get(k))
    po = _flat((old.get("parameters") or {}).get("run"))
    pn = _flat((new.get("parameters") or {}).get("run"))
    keys = sorted(k for k in set(po) | set(pn) if po.get(k) != pn.get(k))
    code = old.get("git_commit") != new.get("git_commit")
    return {"files": files, "params": keys, "code": code,
            "code_text": f"{str(old.get('git_commit'))[:10]} → {str(new.get('git_commit'))[:10]}"}


def _reason_text(r: dict) -> tuple[str, str]:
    zh, en = [], []
    if r["files"]:
        zh.append("输入文件变化：" + "、".join(r["files"]))
        en.append("input files changed: " + ", ".join(r["files"]))
    if r["params"]:
        zh.append(f"参数变化 {len(r['params'])} 项")
        en.append(f"{len(r['params'])} parameter(s) changed")
    if r["code"]:
        zh.append(f"代码版本变化 {r['code_text']}")
        en.append(f"code version changed {r['code_text']}")
    return ("；".join(zh) or "输入、参数和代码均未变化（随机抽样相同）",
            "; ".join(en) or "no input, parameter or code changed")


def compare(previous: Path | None, reports: Path, manifest: dict) -> pd.DataFrame:
    """changes.csv rows: every key of the new verdicts table whose text differs from the
    previous edition's (added and removed keys included). Empty without a previous edition."""
    new_t = _read(reports / "verdicts.csv")
    old_t = _read(previous / "verdicts.csv") if previous is not None else None
    if new_t is None or old_t is None:
        return pd.DataFrame(columns=COLUMNS)
    old_m = _read_json(previous / "manifest.json")
    r = reasons(old_m, manifest)
    rz, re_ = _reason_text(r)
    o = old_t.set_index("key")["text"].astype(str)
    n = new_t.set_index("key")
    rows = []
    for key in list(n.index) + [k for k in o.index if k not in n.index]:
        new = str(n.at[key, "text"]) if key in n.index else "–"
        old = o.get(key, "–")
        if old == new:
            continue
        src = n.loc[key] if key in n.index else old_t.set_index("key").loc[key]
        rows.append({"key": key, "label_zh": src["label_zh"], "label_en": src["label_en"],
                     "statistic_zh": src["statistic_zh"], "statistic_en": src["statistic_en"],
                     "old": old, "new": new, "reason_zh": rz, "reason_en": re_,
                     "inputs_changed": ";".join(r["files"]),
                     "parameters_changed": ";".join(r["params"]), "code_changed": r["code"],
                     "previous_run": old_m.get("run_id"), "run": manifest.get("run_id")})
    return pd.DataFrame(rows, columns=COLUMNS)


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, dtype={"text": str}, keep_default_na=False)
    except (OSError, ValueError):
        return None


def write_changes(previous: Path | None, reports: Path, manifest: dict) -> dict:
    """Write ``changes.csv`` into ``reports``; return what the index says about it."""
    t = compare(previous, reports, manifest)
    write_bytes_atomic(t.to_csv(index=False, lineterminator="\n").encode("utf-8"),
                       reports / CHANGES_FILE)
    first = previous is None or not (previous / "verdicts.csv").exists()
    prev_run = _read_json(previous / "manifest.json").get("run_id") if previous else None
    return {"first": first, "rows": t.to_dict("records"), "previous_run": prev_run}


def changes_html(info: dict | None) -> str:
    """The index section "what changed since the previous edition"."""
    head = '<section id="changes"><h2>自上一版以来的变化 What changed since the previous edition</h2>'
    if not info:
        return ""
    if info.get("first"):
        return (head + "<p>这是第一版，没有可比较的上一版。<br><span class=\"qy-en\">This is the "
                "first edition: there is no previous edition to compare with.</span></p></section>")
    prev = escape(str(info.get("previous_run") or "?"))
    if not info["rows"]:
        return (head + f"<p>与上一版（运行 {prev}）相比，没有数字变化。<br><span class=\"qy-en\">"
                f"No number changed since the previous edition (run {prev}).</span></p></section>")
    r0 = info["rows"][0]
    rows = "".join(
        f"<tr><td>{escape(r['label_zh'])}（{escape(r['statistic_zh'])}）<br><span class=\"qy-en\">"
        f"{escape(r['label_en'])} ({escape(r['statistic_en'])})</span></td>"
        f"<td class=\"num\">{escape(str(r['old']))}</td><td class=\"num\">{escape(str(r['new']))}</td>"
        "</tr>" for r in info["rows"])
    return (head + f"<p>与上一版（运行 {prev}）相比，{len(info['rows'])} 个数字变化。原因："
            f"{escape(r0['reason_zh'])}。<br><span class=\"qy-en\">{len(info['rows'])} number(s) "
            f"changed since the previous edition (run {prev}). Reason: {escape(r0['reason_en'])}."
            "</span> 明细见 <a href=\"changes.csv\">changes.csv</a>。</p>"
            '<table class="qy-table"><thead><tr><th>数量 Quantity</th><th>上一版 Old</th>'
            f"<th>本版 New</th></tr></thead><tbody>{rows}</tbody></table></section>")
