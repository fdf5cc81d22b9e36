"""HTML output of a refresh: one page per executed notebook (nbconvert) and reports/index.html
(generated from manifest.json alone, so a partial ``--only`` refresh can rebuild it)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..io import write_bytes_atomic

TITLE_ZH = "清远市教育事业发展“十四五”规划 · 分析报告"
TITLE_EN = "Qingyuan 14th Five-Year Education Plan · analysis reports"


def render_notebook(executed: Path, html_path: Path, title: str) -> Path:
    """Export an executed notebook to a self-contained HTML page (images embedded)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    body, _ = HTMLExporter(embed_images=True).from_notebook_node(
        nb, resources={"metadata": {"name": title}})
    return write_bytes_atomic(body.encode("utf-8"), html_path)


def _rows(pairs) -> str:
    return "\n".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
                     for k, v in pairs)


def index_html(manifest: dict) -> str:
    """The bilingual index page: pages with summaries, figures, run time, parameters, commit."""
    pages = []
    for nb in manifest["notebooks"]:
        summary = f" — {escape(nb['summary'])}" if nb.get("summary") else ""
        pages.append(
            f'<li><a href="{escape(nb["html"])}">{escape(nb["title"])}</a>{summary} '
            f'<small>({escape(nb["name"])}: {escape(nb["status"])}, {nb["seconds"]:.1f} s, '
            f'run {escape(nb["run_id"])})</small></li>')
    figures = [f'<li><a href="../figures/{escape(f)}">{escape(f)}</a></li>'
               for f in manifest["figures"]]
    params = manifest["parameters"]
    run = [("run id", manifest["run_id"]), ("started (UTC)", manifest["started"]),
           ("total time", f"{manifest['total_seconds']:.1f} s"),
           ("git commit", manifest["git_commit"]),
           ("parameter file", f"{params['file']} (sha256 {params['file_sha256'][:12]}…)"),
           ("notebooks run", ", ".join(manifest["only"]) if manifest.get("only") else "all")]
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{TITLE_ZH} — {TITLE_EN}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60em;
margin:2em auto;padding:0 1em}} th{{text-align:left;padding-right:1em}} small{{color:#666}}</style>
</head>
<body>
<h1>{TITLE_ZH}<br><small>{TITLE_EN}</small></h1>
<h2>报告 Reports</h2>
<ul>
{chr(10).join(pages)}
</ul>
<h2>图表 Figures</h2>
<ul>
{chr(10).join(figures) or "<li>(none)</li>"}
</ul>
<h2>运行信息 Run</h2>
<table>
{_rows(run)}
</table>
<h2>参数 Parameters</h2>
<table>
{_rows(sorted(params["notebook"].items()))}
</table>
<p><small>Details: <a href="manifest.json">manifest.json</a> (input hashes, package versions,
timings).</small></p>
</body>
</html>
"""


def write_index(manifest: dict, reports_dir: Path) -> Path:
    return write_bytes_atomic(index_html(manifest).encode("utf-8"), reports_dir / "index.html")
