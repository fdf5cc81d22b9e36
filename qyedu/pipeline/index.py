"""reports/index.html: conclusions first. A decision box (one verdict per places promise with
its probability of a shortfall and timing, the three caveats), then the pages (reviewer
edition, with code, PDF), the Excel workbook, the figures and the run. Built from
manifest.json plus ``decision.json`` (written by ``assemble`` from the processed tables) and,
when present, the refresh's ``status.json`` (a banner when the last refresh failed)."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from urllib.parse import quote

from ..io import write_bytes_atomic
from .style import page_css

TITLE_ZH = "清远市教育事业发展“十四五”规划 · 分析报告"
TITLE_EN = "Qingyuan 14th Five-Year Education Plan · analysis reports"
DECISION_FILE = "decision.json"
STATUS_FILE = "status.json"
WORKBOOK = "qyedu_tables.xlsx"
BANNER_START, BANNER_END = "<!--qy-status-->", "<!--/qy-status-->"
# nbconvert's ids (percent-encoded) of page 20's headings "## 方法准确度 Accuracy on the
# validation panel" and "## 回测 Back-test"
ACCURACY_LINK = ("20_enrollment_forecast.html#" + quote("方法准确度")
                 + "-Accuracy-on-the-validation-panel")
BACKTEST_LINK = "20_enrollment_forecast.html#" + quote("回测") + "-Back-test"
# the notebooks' run parameters (manifest "notebook") as a reviewer reads them
PARAMETER_LABELS = {"scenario": "出生情景 births scenario", "draws": "抽样次数 draws",
                    "seed": "随机种子 seed", "base_year": "基年 base year",
                    "horizon": "展望末年 horizon", "county": "地区 area"}
_LEVEL_ZH = {"ok": "够用", "risk": "有风险", "short": "可能不足"}
_LEVEL_EN = {"ok": "enough", "risk": "at risk", "short": "likely short"}


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def banner_html(status: dict | None, manifest: dict | None = None) -> str:
    """'Last refresh failed at …; these pages are from …' when the latest run failed."""
    if not isinstance(status, dict):
        return ""
    last = status.get("last_run") if isinstance(status.get("last_run"), dict) else status
    state = str(last.get("status", "")).lower()
    if state not in {"failed", "error"}:
        return ""
    live = status.get("live") if isinstance(status.get("live"), dict) else {}
    when = last.get("finished") or last.get("started") or "?"
    pages = live.get("published") or (manifest or {}).get("started") or "?"
    run = live.get("run_id") or (manifest or {}).get("run_id") or "?"
    err = str(last.get("error") or "").strip().splitlines()
    why = f"<br><small>{escape(err[0][:300])}</small>" if err else ""
    return (f'<div class="qy-banner" role="alert"><strong>最近一次刷新失败</strong>（{escape(str(when))}）'
            f"：以下页面来自 {escape(str(pages))} 的运行 {escape(str(run))}。"
            f"<br><strong>The last refresh failed</strong> at {escape(str(when))}; these pages "
            f"are from the run {escape(str(run))} of {escape(str(pages))}.{why}</div>")


STALE_DAYS = 400  # a notice when the live edition is older than this (about one school year)


def status_script() -> str:
    """On every page: a notice when the refresh after this edition failed, or when the
    edition is older than STALE_DAYS (status.js from disk, status.json over HTTP; both are
    rewritten after every run, so pages that are never rewritten still show it)."""
    return ("""<div id="qy-status-notice"></div><script src="status.js"></script>
<script>/* the last run's status: a notice when the refresh after these pages failed */
(window.QYEDU_STATUS?Promise.resolve(window.QYEDU_STATUS):
fetch("status.json",{cache:"no-store"}).then(r=>r.ok?r.json():null)).then(s=>{
 if(!s)return;const l=s.last_run||s;const live=s.live||{};let msg="";
 if(/fail|error/i.test(l.status||"")){
  if(document.querySelector(".qy-banner"))return;
  msg="最近一次刷新失败（"+(l.finished||l.started||"?")+(l.only?"，仅运行 "+l.only.join("、"):"")+
   "）：本页来自较早的运行 "+(live.run_id||"?")+"。The last refresh failed ("+(l.finished||l.started||"?")+
   (l.only?", partial: "+l.only.join(", "):"")+"); this page is from an earlier run ("+(live.run_id||"?")+").";
 }else if(live.published&&(Date.now()-Date.parse(live.published))>"""
            + str(STALE_DAYS) + """*864e5){
  msg="本版发布于 "+live.published+"，已超过 """ + str(STALE_DAYS)
            + """ 天，数据可能已过时。This edition was published on "+live.published+
   ", more than """ + str(STALE_DAYS) + """ days ago: the data may be out of date.";}
 if(!msg)return;const d=document.createElement("div");d.className="qy-banner";
 d.setAttribute("role","alert");d.textContent=msg;
 document.getElementById("qy-status-notice").appendChild(d);}).catch(()=>{});</script>""")


def edition_text(run_id: str, vintage) -> tuple[str, str]:
    """'版次 2026-12-06 · 运行 … · 数据截至 2024 年' / 'Edition 2026-12-06 · run … · data to 2024'
    (the date is the run's start, from its id)."""
    rid = str(run_id or "?")
    date = f"{rid[0:4]}-{rid[4:6]}-{rid[6:8]}" if len(rid) >= 8 and rid[:8].isdigit() else "?"
    v = str(vintage) if vintage not in (None, "") else "?"
    return (f"版次 {date} · 运行编号 {rid} · 数据截至 {v} 年（基年）",
            f"Edition {date} · run {rid} · data vintage: published up to {v} (base year)")


def edition_html(run_id: str, vintage, page: int | None = None, pages: int | None = None) -> str:
    zh, en = edition_text(run_id, vintage)
    num_zh = f" · 第 {page} / {pages} 页" if page else ""
    num_en = f" · page {page} of {pages}" if page else ""
    return (f'<p class="qy-edition" data-edition="{escape(zh + num_zh)} | {escape(en + num_en)}">'
            f"{escape(zh + num_zh)}<br><span class=\"qy-en\">{escape(en + num_en)}</span></p>")


def decision_html(decision: dict | None, chart: bool = False) -> str:
    """The decision box (empty when the places tables were not available); ``chart``: show
    figures/index_headline.png (promised vs needed vs capacity shortage)."""
    if not decision or not decision.get("promises"):
        return ('<section class="qy-decision" id="decision"><h2>结论 Decision summary</h2>'
                "<p>本次运行没有学位承诺表 (places_promises.csv) · no places table in this run</p>"
                "</section>")
    rows = []
    for r in decision["promises"]:
        lv = r.get("level", "no_data")
        cited = {c["key"]: c for c in r.get("cited", [])}
        ty = r.get("target_year")
        prob = next((c for c in cited.values() if c["quantity"] == "prob_shortfall"
                     and c.get("year") == ty), None)
        p_html = (f'<span class="qy-num" data-qy-key="{escape(prob["key"])}">'
                  f'{escape(prob["text"])}</span>' if prob else escape(r["p_shortfall_text"]))
        colour = escape(r.get("colour") or "#777")
        rows.append(
            f'<tr class="qy-{escape(lv)}"><th scope="row">{escape(r["label_zh"])}<br>'
            f'<small>{escape(r["label_en"])}</small></th>'
            f'<td class="qy-verdict"><span class="qy-badge" style="background:{colour}">'
            f'{escape(r.get("words_zh", ""))} · {escape(r.get("words_en", ""))}</span> '
            f'{escape(r["verdict_zh"])}<br>'
            f'<span class="qy-en">{escape(r["verdict_en"][:1].upper() + r["verdict_en"][1:])}.</span>'
            f'{_capacity_html(cited.values())}{_rests_html(r)}</td>'
            f'<td class="qy-prob"><b>{p_html}</b></td>'
            f'<td>{escape(r["timing_zh"])}<br><span class="qy-en">{escape(r["timing_en"])}</span></td>'
            "</tr>")
    cav = []
    for c in decision.get("caveats", [])[:3]:
        link = (f' <a href="{escape(c["link"])}">详见 details</a>' if c.get("link") else "")
        cav.append(f'<li>{escape(c["zh"])}<br><span class="qy-en">{escape(c["en"])}</span>{link}</li>')
    run = escape(decision.get("run", ""))
    target = escape(str(decision["promises"][0].get("target_year", "")))
    chart = ('<p><img src="figures/index_headline.png" style="max-width:760px" alt="承诺、需求与'
             '容量缺口 Promised vs needed vs capacity shortage"></p>' if chart else "")
    return f"""<section class="qy-decision" id="decision" aria-label="结论 Decision summary">
<h2>结论：规划的三项学位承诺 · Decision summary: the plan's school-place promises</h2>
<p class="qy-params">{run}</p>
<table class="qy-table qy-decision-table">
<thead><tr><th>承诺 Promise</th><th>结论 Verdict</th>
<th>{target} 年缺口概率<br>P(shortfall) in {target}</th><th>时间 Timing</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{chart}
{_plan_html(decision.get("place_plan"))}
<h3>最重要的三点说明 Three caveats that matter most</h3>
<ol class="qy-caveats">{"".join(cav)}</ol>
{_how_html()}
<p><small>详细数字见 <a href="30_school_places.html">学位供需 School places</a>
（<a href="30_school_places.pdf">PDF</a>）。</small></p>
</section>"""


def _plan_html(plan: dict | None) -> str:
    """The place plan in words (place_plan.csv: where, when and in what form to add places),
    Chinese first; empty when the run has no plan."""
    if not plan or not plan.get("zh"):
        return ""
    return ('<h3>学位方案：在哪里、何时、以何种方式增加学位 · Place plan: where, when and in what '
            f'form to add places</h3><p class="qy-plan">{escape(plan["zh"])}<br>'
            f'<span class="qy-en">{escape(plan.get("en", ""))}</span></p>')


def _rests_html(r: dict) -> str:
    """What the verdict rests on, when it changes with a structural choice no data settles
    (structural_choices.csv): the sentence under each choice, beside the verdict."""
    if not r.get("rests_zh"):
        return ""
    short_zh = r.get("rests_short_zh") or r["rests_zh"]
    short_en = r.get("rests_short_en") or r["rests_en"]
    return (f'<details class="qy-rests"><summary><b>取决于假设 rests on a choice:</b> '
            f'{escape(short_zh)} <span class="qy-en">({escape(short_en)})</span></summary>'
            f'{escape(r["rests_zh"])}<br><span class="qy-en">{escape(r["rests_en"])}</span>'
            "</details>")


def _capacity_html(cited) -> str:
    """The capacity view of a promise, one line per level (levels never netted): each number
    marked with its key in the verdicts table, its label and statistic."""
    from ..labels import LEVEL_LABELS

    by_level: dict[str, list[dict]] = {}
    for c in cited:
        if c.get("view") == "capacity":
            by_level.setdefault(c["level"], []).append(c)
    lines = []
    for level, cs in by_level.items():
        zh_name, en_name = LEVEL_LABELS.get(level, (level, level))
        bits_zh = "；".join(
            f'{escape(c["label_zh"])}（{escape(c["statistic_zh"])}）<span class="qy-num" '
            f'data-qy-key="{escape(c["key"])}">{escape(c["text"])}</span>' for c in cs)
        bits_en = "; ".join(f'{escape(c["label_en"])} ({escape(c["statistic_en"])}) '
                            f'{escape(c["text"])}' for c in cs)
        lines.append(f"<li>{escape(zh_name)}：{bits_zh}<br><span class=\"qy-en\">"
                     f"{escape(en_name)}: {bits_en}</span></li>")
    if not lines:
        return ""
    return ('<details class="qy-capacity"><summary>按容量看（各县缺口相加，不同学段不抵消）· '
            "capacity view (county shortages summed, levels never netted)</summary><ul>"
            + "".join(lines) + "</ul></details>")


def _how_html() -> str:
    """'How these numbers were computed', from the verdicts module's words."""
    from ..views.verdicts import HOW

    items = "".join(f"<li>{escape(zh)}<br><span class=\"qy-en\">{escape(en)}</span></li>"
                    for zh, en in HOW.values())
    return ('<details class="qy-how"><summary>这些数字如何计算 · How these numbers were computed'
            f"</summary><ul>{items}<li>每个数字的公式、输入、参数和原始数据见方法与来源附录"
            '（<a href="methods.html">methods</a>）和结论表（<a href="verdicts.csv">verdicts.csv'
            '</a>）。<br><span class="qy-en">The formula, inputs, parameters and raw rows of '
            "each number: the methods and sources appendix and the verdicts table (researchers: "
            "qyedu explain KEY).</span></li></ul></details>")


def figure_alt(png: Path) -> str:
    """The title saved in a figure's PNG (``qyedu.plotting.save_figure``), else ''."""
    try:
        from PIL import Image

        with Image.open(png) as im:
            return str(im.text.get("Title", "") or im.text.get("Description", ""))
    except (OSError, ValueError, ImportError):
        return ""


def parameter_rows(notebook_params: dict) -> list[tuple[str, str]]:
    """The run's notebook parameters with bilingual names and values for people (中方案
    Medium, 2,000), in the order a reviewer reads them; an unknown key keeps its name."""
    from ..labels import scenario_label
    from ..views.format import count

    def value(k, v):
        if k == "scenario":
            return scenario_label(str(v))
        if k == "draws":
            return count(v)
        return str(v)

    keys = [k for k in PARAMETER_LABELS if k in notebook_params] + sorted(
        k for k in notebook_params if k not in PARAMETER_LABELS)
    return [(PARAMETER_LABELS.get(k, k), value(k, notebook_params[k])) for k in keys]


def figure_items(manifest: dict, reports_dir: Path | None) -> list[str]:
    """One list item per published figure: its title (saved in the PNG) linked to the PNG,
    then the SVG; the file name only when the figure has no title."""
    names = manifest.get("figures", [])
    figures = [f for f in names if f.endswith(".png")] or names
    items = []
    for f in figures:
        title = figure_alt(reports_dir / "figures" / f) if reports_dir is not None else ""
        svg = f[:-4] + ".svg"
        links = [f'<a href="figures/{escape(f)}">{"PNG" if title else escape(f)}</a>']
        if f.endswith(".png") and svg in names:
            links.append(f'<a href="figures/{escape(svg)}">SVG</a>')
        items.append(f"<li>图 {escape(title)} " + " · ".join(links) + "</li>" if title
                     else "<li>图 " + " · ".join(links) + "</li>")
    return items


def _rows(pairs) -> str:
    return "\n".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
                     for k, v in pairs)


def _exists(reports_dir: Path | None, name: str) -> bool:
    return reports_dir is None or (reports_dir / name).exists()


def index_html(manifest: dict, decision: dict | None = None, status: dict | None = None,
               reports_dir: Path | None = None, changes: dict | None = None) -> str:
    """The bilingual index page. Links only to files present in ``reports_dir`` (when
    given), all relative, all inside reports/."""
    from .render import edition_names

    pages = []
    for nb in manifest["notebooks"]:
        names = edition_names(nb["name"])
        summary = "".join(f'<br><span class="qy-summary">{escape(part.strip())}</span>'
                          for part in str(nb.get("summary") or "").split(" | ") if part.strip())
        extra = []
        if _exists(reports_dir, names["code"]) and reports_dir is not None:
            extra.append(f'<a href="{escape(names["code"])}">含代码 with code</a>')
        if reports_dir is not None and (reports_dir / names["pdf"]).exists():
            extra.append(f'<a href="{escape(names["pdf"])}">PDF</a>')
        more = f' <small>({" · ".join(extra)})</small>' if extra else ""
        state = "" if nb.get("status", "ok") == "ok" else \
            f' <small class="qy-bad">{escape(nb["status"])}</small>'
        pages.append(f'<li><a href="{escape(nb["html"])}">{escape(nb["title"])}</a>{more}'
                     f"{state}{summary}</li>")
    figs = figure_items(manifest, reports_dir)
    downloads = []
    if reports_dir is not None and (reports_dir / WORKBOOK).exists():
        downloads.append(f'<li><a href="{WORKBOOK}">全部数据表 Excel 工作簿 · every processed '
                         f"table in one Excel workbook</a></li>")
    for name, zh, en in (("methods.html", "方法与来源附录（每个数据来源及其可靠性、假设、概率用语、术语表）",
                          "methods and sources appendix (every data source and its reliability, "
                          "the assumptions, a glossary)"),
                         ("verdicts.csv", "结论表", "the one table of verdicts"),
                         ("changes.csv", "与上一版相比的变化", "changes since the previous edition")):
        if reports_dir is not None and (reports_dir / name).exists():
            pdf = name.replace(".html", ".pdf")
            extra = (f' · <a href="{pdf}">PDF</a>' if name.endswith(".html")
                     and (reports_dir / pdf).exists() else "")
            more = (' · <a href="methods.html#glossary">术语表 glossary</a>'
                    if name == "methods.html" else "")
            downloads.append(f'<li><a href="{name}">{zh}</a>{extra}{more} · {en}</li>')
    downloads.append('<li><a href="manifest.json">manifest.json</a> (输入哈希、软件版本、耗时 · '
                     "input hashes, package versions, timings)</li>")
    params = manifest["parameters"]
    run = [("运行编号 run id", manifest["run_id"]), ("开始 started (UTC)", manifest["started"]),
           ("耗时 total time", f"{manifest['total_seconds']:.1f} s"),
           ("代码版本 git commit", manifest["git_commit"]),
           ("参数文件 parameter file",
            f"{Path(str(params['file'])).name} (sha256 {params['file_sha256'][:12]}…)"),
           ("运行的笔记本 notebooks run",
            ", ".join(manifest["only"]) if manifest.get("only") else "全部 all")]
    banner = banner_html(status, manifest)
    from .changes import changes_html

    edition = edition_html(manifest.get("run_id"), params["notebook"].get("base_year"))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TITLE_ZH} — {TITLE_EN}</title>
<style>{page_css()}
body{{line-height:1.5}} th{{text-align:left;padding-right:1em}} small{{color:#555}}
.qy-banner{{background:#fde8e8;border:2px solid #c0392b;padding:8px 12px;margin:10px 0}}
.qy-decision{{border:2px solid #0072B2;border-radius:6px;padding:4px 14px 8px;margin:12px 0;
  background:#f7fbfe}}
.qy-decision h2{{font-size:18px;margin:6px 0}} .qy-decision h3{{font-size:14px;margin:8px 0 2px}}
.qy-decision-table{{width:100%}} .qy-decision-table td,.qy-decision-table th{{max-width:none}} .qy-decision-table td.qy-verdict{{width:46%}}
.qy-prob{{font-size:20px;text-align:center;white-space:nowrap}}
.qy-badge{{display:inline-block;border-radius:4px;padding:0 6px;margin-right:4px;color:#fff;
  background:#777;font-size:12px}}
.qy-ok .qy-badge{{background:#2e7d32}} .qy-risk .qy-badge{{background:#e69f00}}
.qy-short .qy-badge{{background:#c0392b}}
.qy-en{{color:#444;font-size:92%}} .qy-edition{{color:#555;font-size:85%;margin:2px 0 8px}} .qy-caveats li{{margin:3px 0}} .qy-summary{{color:#444;font-size:92%}}
h1{{font-size:24px}} h1 small{{font-size:60%}}
</style>
</head>
<body>
<h1>{TITLE_ZH}<br><small>{TITLE_EN}</small></h1>
{edition}
{BANNER_START}{banner}{BANNER_END}
{status_script()}
{decision_html(decision, reports_dir is not None and (reports_dir / "figures/index_headline.png").exists())}
{changes_html(changes)}
<h2>报告 Reports</h2>
<p><small>审阅版无代码；“含代码”版供研究人员核对。Reviewer pages show no code; the “with code”
editions are for researchers.</small></p>
<ul>
{chr(10).join(pages)}
</ul>
<h2>下载 Downloads</h2>
<ul>
{chr(10).join(downloads)}
</ul>
<h2>图表 Figures</h2>
<ul>
{chr(10).join(figs) or "<li>（无 none）</li>"}
</ul>
<h2>运行信息 Run</h2>
<table>
{_rows(run)}
</table>
<h2>参数 Parameters</h2>
<table>
{_rows(parameter_rows(params["notebook"]))}
</table>
</body>
</html>
"""


def write_index(manifest: dict, reports_dir: Path, previous: Path | None = None) -> Path:
    """Write index.html from the manifest, ``decision.json`` and ``status.json`` found in
    ``reports_dir``, and ``changes.csv`` against the previous edition (``previous``: the
    published reports folder this run replaces; None → first edition)."""
    from .changes import write_changes

    reports_dir = Path(reports_dir)
    prev = Path(previous) if previous is not None and Path(previous).is_dir() else None
    changes = write_changes(prev, reports_dir, manifest)
    page = index_html(manifest, _read_json(reports_dir / DECISION_FILE),
                      _read_json(reports_dir / STATUS_FILE), reports_dir, changes)
    return write_bytes_atomic(page.encode("utf-8"), reports_dir / "index.html")


def refresh_banner(reports_dir: Path) -> Path | None:
    """Rewrite only the banner of a published index.html from its ``status.json`` (call after
    writing status.json for a failed run: the pages themselves are not touched)."""
    reports_dir = Path(reports_dir)
    index = reports_dir / "index.html"
    if not index.exists():
        return None
    page = index.read_text(encoding="utf-8")
    banner = banner_html(_read_json(reports_dir / STATUS_FILE),
                         _read_json(reports_dir / "manifest.json"))
    new = re.sub(re.escape(BANNER_START) + ".*?" + re.escape(BANNER_END),
                 lambda m: BANNER_START + banner + BANNER_END, page, count=1, flags=re.S)
    return write_bytes_atomic(new.encode("utf-8"), index) if new != page else index
