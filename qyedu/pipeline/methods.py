"""The methods-and-sources appendix (``reports/methods.html`` and its PDF), readable without
the repository: every ``data/raw`` source with what it holds, its citations (URL), its rows
by reliability class and the known weak points (the one Qingyuan enrolment cross-section is a
newspaper repost; the 2023–25 building plan is a draft); every assumption (a parameter whose
source starts with ``assumption:``) with its value in this run and its range; the calibrated
probability words; a glossary. It is the one published page that names files and parameter
keys, for researchers; the reviewer pages do not."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pandas as pd

from .. import paths
from ..io import write_bytes_atomic
from .style import page_css

METHODS_FILE = "methods.html"
RELIABILITY_WORDS = {
    "official": ("官方网站", "official government site"),
    "mirror": ("官方页面的镜像", "copy of a government page on another host"),
    "3rd-party": ("转载（新闻或汇编）", "news repost or aggregator quoting the source"),
    "plan": ("规划文本", "the plan itself"),
    "derived": ("推算", "derived from other rows (formula in the note)"),
    "data dump": ("数据导出", "data dump"),
}
WEAK_POINTS = [
    ("enrollment.csv", "清远 2022–23 学年在校生（全市唯一的在校生横截面）来自一篇转载的《清远日报》文章"
     "（第三方转载，非官方发布）：所有在校生预测都以它为起点。",
     "Qingyuan's 2022–23 enrolment (the city's only enrolment cross-section) comes from a "
     "reposted 清远日报 news article (3rd-party repost, not an official release): every "
     "enrolment projection starts from it."),
    ("places.csv", "2023–25 年新增学位来自《攻坚计划》的征求意见稿（草案），经同一篇新闻转载得知；"
     "本项目未找到最终版本，中小学学位在义务教育与高中之间的划分也未公布。已交付的 2021 年学位来自"
     "省教育厅网站“地市动态”的镜像页面。",
     "The 2023–25 new places come from a draft for comment (征求意见稿) of the places plan "
     "(攻坚计划), known through the same news repost; no final version was found, and the split "
     "of its school places between compulsory and senior is not published. The 2021 "
     "deliveries come from a mirror of the provincial portal's 地市动态 page."),
]
GLOSSARY = [
    ("缺口概率 P(shortfall)", "在模型的各次抽样中，学位少于需求的抽样所占比例（均值），不是中位数。",
     "the share of the model's draws in which places fall short of need (a mean over 0/1 "
     "draws, never a median)"),
    ("p05–p95 区间", "各抽样的第 5 至第 95 百分位：模型认为 90 % 的可能落在其中（只反映模型内的不确定性）。",
     "the 5th to 95th percentile of the draws: a 90 % band of the model's own uncertainty"),
    ("中位数 median", "各抽样排序后居中的值；“各抽样峰值的中位数”是先取每次抽样的峰值再取中位数，"
     "与“某年的中位数”不同。",
     "the middle of the draws; 'the median of each draw's peak' takes each draw's peak first "
     "and differs from 'the median in a year'"),
    ("大班额 oversized classes", "超过国家标准班额（小学 45 人、初中 50 人）的班级；基线容量扣除其超出部分。",
     "classes above the national size standard (45 primary, 50 junior); baseline capacity "
     "leaves out their excess pupils"),
    ("毛入学率 GER", "在校生数除以对应年龄人口；可超过 100 %（超龄、外来学生）。",
     "gross enrolment ratio: pupils over the population of the official age; may exceed "
     "100 % (over-age and incoming pupils)"),
    ("不抵消 no netting", "一个县或一个学段的富余不抵消另一个的缺口；义务教育缺口是小学与初中缺口之和。",
     "one county's or level's surplus never offsets another's shortage; compulsory shortage "
     "is the sum of the primary and junior shortages"),
]


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def _descriptions(readme: Path) -> dict[str, str]:
    """file name → the 'what' column of data/raw/README.md's tables."""
    out = {}
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|", line)
        if m:
            out[m.group(1)] = re.sub(r"[`*]", "", m.group(2))
    return out


def raw_sources(raw: Path | None = None) -> list[dict]:
    """One record per data/raw file: name, description, rows, rows by reliability class,
    distinct source URLs."""
    raw = raw or paths.data_raw()
    desc = _descriptions(raw / "README.md")
    out = []
    for f in sorted(p for p in raw.rglob("*") if p.is_file() and p.suffix in {".csv", ".txt"}):
        rel = f.relative_to(raw).as_posix()
        rec = {"file": rel, "what": desc.get(rel, desc.get(f.name, "")), "rows": None,
               "classes": {}, "urls": []}
        t = _read(f) if f.suffix == ".csv" else None
        if t is not None:
            rec["rows"] = len(t)
            cls = next((c for c in ("reliability", "label") if c in t), None)
            if cls:
                rec["classes"] = (t[cls].replace("", "unstated").str.split(" (", regex=False)
                                  .str[0].value_counts().to_dict())
            for c in ("source_url", "source"):
                if c in t:
                    urls = t[c].str.extract(r"(https?://[^\s;,)]+)")[0].dropna().unique()
                    rec["urls"] = sorted(urls)[:12] + ([f"… {len(urls) - 12} more"]
                                                      if len(urls) > 12 else [])
                    if not len(urls):
                        rec["urls"] = sorted(t[c].unique())[:6]
                    break
        elif f.suffix == ".txt":
            rec["classes"] = {"plan": 1}
        out.append(rec)
    return out


def assumptions(rp) -> pd.DataFrame:
    """Every parameter whose source is an assumption, with this run's value and its range."""
    from ..params import RunParams
    from ..params.base import describe

    t = describe(RunParams)
    t = t[t["source"].astype(str).str.startswith("assumption")]
    flat = {}
    for sec, model in rp:
        for k, v in model:
            flat[f"{sec}.{k}"] = v
    return t.assign(value=t["name"].map(lambda k: flat.get(k, "")))


def class_text(classes: dict) -> str:
    """Rows by reliability class: ``官方网站 official: 21；转载（新闻或汇编） 3rd-party: 5``; a class
    without Chinese words is named once (``official-ish: 2``, not ``official-ish official-ish``)."""
    def name(k):
        return f"{RELIABILITY_WORDS[k][0]} {k}" if k in RELIABILITY_WORDS else str(k)

    return "；".join(f"{name(k)}: {n}" for k, n in classes.items())


def methods_html(rp, run_id: str = "", vintage=None) -> str:
    from ..views.format import range_words, unset_words, value_text
    from ..views.words import scale_rows
    from .index import edition_html

    weak = {f: (zh, en) for f, zh, en in WEAK_POINTS}
    src = []
    for r in raw_sources():
        cls = class_text(r["classes"])
        urls = "<br>".join(f'<a href="{escape(u)}">{escape(u)}</a>' if u.startswith("http")
                           else escape(u) for u in r["urls"])
        w = weak.get(r["file"])
        warn = (f'<p class="qy-weak"><b>注意 Caution:</b> {escape(w[0])}<br><span class="qy-en">'
                f"{escape(w[1])}</span></p>") if w else ""
        src.append(f"<tr><td><code>{escape(r['file'])}</code></td><td>{escape(r['what'])}{warn}"
                   f"</td><td>{escape(str(r['rows'] if r['rows'] is not None else '–'))}</td>"
                   f"<td>{escape(cls)}</td><td class=\"qy-urls\">{urls}</td></tr>")
    a = assumptions(rp)
    arows = "".join(
        f"<tr><td><code>{escape(str(x['name']))}</code></td><td>{escape(unset_words(x['description']))}</td>"
        f"<td>{escape(value_text(x['value']))}</td><td>{escape(str(x.get('unit', '')))}</td>"
        f"<td>{escape(str(range_words(x.get('range', ''))))}</td><td>{escape(str(x['source']))}</td></tr>"
        for x in a.to_dict("records"))
    words = "".join(f'<tr><td><span class="qy-badge" style="background:{w["colour"]}">'
                    f"{escape(w['zh'])}</span> {escape(w['en'])}</td><td>{escape(w['range'])}</td></tr>"
                    for w in scale_rows())
    gl = "".join(f"<dt>{escape(t)}</dt><dd>{escape(zh)}<br><span class=\"qy-en\">{escape(en)}</span></dd>"
                 for t, zh, en in GLOSSARY)
    rel = "".join(f"<li>{escape(k)}：{escape(zh)} <span class=\"qy-en\">{escape(en)}</span></li>"
                  for k, (zh, en) in RELIABILITY_WORDS.items())
    edition = edition_html(run_id, vintage)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>方法与来源 Methods and sources</title>
<style>{page_css()}
.qy-en{{color:#444;font-size:92%}} .qy-edition{{color:#555;font-size:85%}}
.qy-weak{{background:#fff4e0;border-left:4px solid #e69f00;padding:4px 8px}}
.qy-badge{{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px}}
.qy-urls{{font-size:11px;overflow-wrap:anywhere}} td{{vertical-align:top}}
</style></head>
<body>
<nav class="qy-nav"><a href="index.html">← 索引 Index</a></nav>
{edition}
<h1>方法与来源附录<br><small>Methods and sources appendix</small></h1>
<p>本附录供研究人员核对：列出每个原始数据文件、其出处与可靠性等级、模型的每个假设参数（本次运行的取值与允许范围）、概率用语和术语表。审阅页面不显示文件名和参数名；这里列出它们，以便追溯。<br>
<span class="qy-en">For researchers: every raw data file with its citations and reliability
class, every assumption of the model (its value in this run and its range), the probability
words and a glossary. The reviewer pages show no file or parameter names; this appendix names
them so that each number can be traced (command: qyedu explain KEY).</span></p>
<h2>数据最薄弱之处 The data's weakest points</h2>
<ul>{"".join(f"<li>{escape(zh)}<br><span class='qy-en'>{escape(en)}</span></li>" for _, zh, en in WEAK_POINTS)}</ul>
<h2>原始数据来源 Raw data sources</h2>
<p>可靠性等级 Reliability classes:</p><ul>{rel}</ul>
<table class="qy-table"><thead><tr><th>文件 File</th><th>内容 What</th><th>行数 Rows</th>
<th>按可靠性分的行数 Rows by reliability</th><th>出处 Sources (URL)</th></tr></thead>
<tbody>{"".join(src)}</tbody></table>
<h2>假设参数 Assumptions</h2>
<p>没有公开数据能确定的量，作为带范围的参数：<br><span class="qy-en">Quantities no published
figure pins down, as parameters with ranges:</span></p>
<table class="qy-table"><thead><tr><th>参数 Key</th><th>说明 Description</th><th>本次取值 Value</th>
<th>单位 Unit</th><th>范围 Range</th><th>来源 Source</th></tr></thead><tbody>{arows}</tbody></table>
<h2>概率用语 Probability words</h2>
<p>所有结论使用同一套概率用语（参照 IPCC 的可能性用语），颜色随用语而定：<br>
<span class="qy-en">Every verdict uses one scale of words (after the IPCC likelihood scale),
and the colour follows the word:</span></p>
<table class="qy-table"><thead><tr><th>用语 Words</th><th>缺口概率 P(shortfall)</th></tr></thead>
<tbody>{words}</tbody></table>
<p>目标评估页的预测状态用同一套用语表述达到目标的概率（如“很可能达到（P 93 %）”），颜色对调：很可能达到为绿色。<br>
<span class="qy-en">The scorecard's projected statuses state the probability of meeting a
target in the same words ("very likely met (P 93 %)"), colours mirrored: likely met is green.</span></p>
<h2 id="county-map">县区地图 County tile map</h2>
<p>学位页的县区地图每县一个方块，按县城（区政府驻地）坐标排成网格（0.35° 一格，就近占格），不表示面积，不含边界。坐标来自阿里云 DataV.GeoAtlas 的 441800_full.json（各县 center 点，经 GitHub 镜像 anzhou99/GeoJsons 读取，2026-12-06），边界因无开放许可未随包发布。<br>
<span class="qy-en">The county map on the places page has one tile per county, placed on a
0.35° grid by its seat's coordinates (nearest free cell), not its area; no boundary is drawn.
Coordinates: the county <code>center</code> points of Aliyun DataV.GeoAtlas
441800_full.json (https://geo.datav.aliyun.com/areas_v3/bound/441800_full.json, read from the
GitHub mirror anzhou99/GeoJsons, retrieved 2026-12-06); the boundaries carry no open licence
and are not shipped.</span></p>
<h2 id="glossary">术语 Glossary</h2><dl>{gl}</dl>
<h2>参数扫描 Sensitivity sweeps</h2>
<p>参数扫描是单独的任务：<code>qyedu sweep params/sweeps/example.yaml</code>（Sobol 设计，基础样本不少于 64）。敏感性页面只显示已完成且收敛的扫描。<br>
<span class="qy-en">A sweep is a job of its own: <code>qyedu sweep
params/sweeps/example.yaml</code> (a Sobol design, base sample at least 64). The
sensitivity page shows a finished sweep only when it converged.</span></p>
</body></html>
"""


def write_methods(reports: Path, rp, run_id: str = "", vintage=None) -> Path:
    page = methods_html(rp, run_id, vintage)
    return write_bytes_atomic(page.encode("utf-8"), Path(reports) / METHODS_FILE)
