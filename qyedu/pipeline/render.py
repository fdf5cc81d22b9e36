"""HTML pages of a refresh, two editions of every executed notebook (nbconvert):

- ``NN_name.html``, the **reviewer edition** (default): no code, no prompts, no parameters,
  injected-parameters or checks cells, no warnings; it opens with its own key points (the
  stdout of the cell tagged ``summary`` and the run's scenario and draws);
- ``NN_name.code.html``, the **with code** edition for researchers (everything, prompts too).

Both link figures from ``reports/figures/`` (alt text from the figure's title), use the
project's own CJK font (subset into ``reports/fonts/``), print on A4 (print CSS) and contain no
absolute path of the machine that ran them. The index page is in ``qyedu.pipeline.index``.
"""

from __future__ import annotations

import copy
import re
from html import escape
from pathlib import Path

from ..io import write_bytes_atomic
from .index import TITLE_EN, TITLE_ZH, index_html, refresh_banner, status_script, write_index  # noqa: F401
from .style import page_css

REVIEWER_DROP_TAGS = {"parameters", "injected-parameters", "checks", "summary"}
CODE_SUFFIX = ".code.html"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # live controls: JupyterLab only
EXTERNAL_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', re.S)
FIGURE_NAME = re.compile(r"""["'](\d{2}_[\w-]+)["']""")


def edition_names(stem: str) -> dict[str, str]:
    """File names of the editions of one page: reviewer, code, pdf."""
    return {"reviewer": f"{stem}.html", "code": f"{stem}{CODE_SUFFIX}", "pdf": f"{stem}.pdf"}


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def summary_lines(nb) -> list[str]:
    """Every non-empty stdout line of the cell tagged ``summary``, each ``zh | en`` line split
    into its Chinese and English halves."""
    out: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "summary" in _tags(cell):
            for o in cell.get("outputs", []):
                if o.get("output_type") == "stream" and o.get("name") == "stdout":
                    for line in o.get("text", "").splitlines():
                        out += [p.strip() for p in line.split(" | ") if p.strip()]
    return out


def run_line(nb) -> str:
    """Scenario, draws, base year and area of the run (from papermill's parameters)."""
    from ..labels import scenario_label
    from ..views.format import count

    p = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    if not p:
        return ""
    bits = []
    if "scenario" in p:
        bits.append(f"情景 {scenario_label(str(p['scenario']))} scenario")
    if "draws" in p:
        bits.append(f"{count(p['draws'])} 次抽样 draws")
    if "seed" in p:
        bits.append(f"随机种子 seed {p['seed']}")
    if "base_year" in p:
        bits.append(f"基年 base year {p['base_year']}")
    if "county" in p:
        bits.append(f"地区 area {p['county']}")
    return "本页参数 Run: " + " · ".join(bits)


def key_points_html(nb) -> str:
    lines = summary_lines(nb)
    extra = run_line(nb)
    if not lines and not extra:
        return ""
    items = "".join(f"<li>{escape(ln)}</li>" for ln in lines)
    if extra:
        items += f'<li class="qy-run">{escape(extra)}</li>'
    return (f'<section class="qy-keypoints" aria-label="要点 Key points"><h2>要点 Key points</h2>'
            f"<ul>{items}</ul></section>")


def _is_checks_note(nb, i: int) -> bool:
    """A markdown cell that only introduces the following checks cell."""
    cell = nb.cells[i]
    nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
    return (cell.cell_type == "markdown" and cell.source.strip().lower().startswith("checks")
            and nxt is not None and "checks" in _tags(nxt))


def reviewer_notebook(nb):
    """The notebook without code-only cells, warnings and errors (a copy)."""
    nb = copy.deepcopy(nb)
    keep = []
    for i, cell in enumerate(nb.cells):
        if _tags(cell) & REVIEWER_DROP_TAGS or _is_checks_note(nb, i):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                            and o.get("output_type") != "error"
                            and WIDGET_VIEW not in o.get("data", {})]
            if not cell.outputs:
                continue
        keep.append(cell)
    nb.cells = keep
    return nb


def link_figures(nb, figures: dict[str, str]) -> None:
    """Point each image of a cell that publishes figure ``NAME`` at ``figures/NAME.png``
    (nbconvert's ``filenames`` metadata), instead of embedding it again."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        names = [n for n in FIGURE_NAME.findall(cell.source) if n in figures]
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        for name, out in zip(names, images, strict=False):
            out.setdefault("metadata", {}).setdefault("filenames", {})["image/png"] = \
                f"figures/{name}.png"


def tidy_injected(nb) -> None:
    """The injected-parameters cell as Python literals (全市, not "\\u5168\\u5e02")."""
    params = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    for cell in nb.cells:
        if "injected-parameters" in _tags(cell) and params:
            cell.source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in params.items())


_IMG = re.compile(r"<img\b[^>]*>", re.S)
_ALT = re.compile(r'\salt="[^"]*"')
_SRC = re.compile(r'src="figures/([^"/]+)\.png"')
NBCONVERT_NO_ALT = "No description has been provided for this image"


def add_alt(html: str, alts: dict[str, str]) -> str:
    """Alt text on every image: the figure's title, else a generic 图 Figure (replacing
    nbconvert's placeholder; an alt text someone wrote is kept)."""
    def one(m: re.Match) -> str:
        tag = m.group(0)
        alt = _ALT.search(tag)
        if alt and NBCONVERT_NO_ALT not in alt.group(0) and alt.group(0) != ' alt=""':
            return tag
        src = _SRC.search(tag)
        text = alts.get(src.group(1), "") if src else ""
        tag = _ALT.sub("", tag)
        return f'<img alt="{escape(text or "图 Figure")}"' + tag[len("<img"):]

    return _IMG.sub(one, html)


def nav_html(stem: str, edition: str, pdf: bool) -> str:
    names = edition_names(stem)
    links = ['<a href="index.html">← 索引 Index</a>']
    if edition == "reviewer":
        links.append(f'<a href="{names["code"]}">含代码版 With code</a>')
    else:
        links.append(f'<a href="{names["reviewer"]}">审阅版 Reviewer edition</a>')
    if pdf:
        links.append(f'<a href="{names["pdf"]}">PDF</a>')
    return f'<nav class="qy-nav">{" · ".join(links)}</nav>'


def _finish(html: str, *, stem: str, edition: str, pdf: bool, points: str,
            alts: dict[str, str], scrub_pairs, stamp: str = "") -> str:
    from .scrub import scrub

    html = html.replace("</head>", f"<style>{page_css()}</style>\n</head>", 1)
    top = nav_html(stem, edition, pdf) + stamp + status_script()
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, html, count=1)
    end_h1 = html.find("</h1>")
    if points and end_h1 >= 0:
        html = html[:end_h1 + 5] + points + html[end_h1 + 5:]
    elif points:
        html = re.sub(r"(</nav>)", lambda m: m.group(1) + points, html, count=1)
    html = add_alt(html, alts)
    html = EXTERNAL_SCRIPT.sub("", html)  # the folder works offline: no CDN scripts
    return scrub(html, scrub_pairs)


def render_editions(executed: Path, reports: Path, stem: str, title: str,
                    figures: dict[str, str] | None = None, pdf: bool = False,
                    scrub_pairs=(), stamp: str = "") -> dict[str, Path]:
    """Write the reviewer and with-code editions of an executed notebook into ``reports``.
    ``figures`` maps the notebook's published figure names to their alt text; ``stamp`` is
    the edition line (``index.edition_html``: date, run id, data vintage, page number)."""
    import nbformat
    from nbconvert import HTMLExporter

    figures = figures or {}
    nb = nbformat.read(executed, as_version=4)
    nb.metadata.pop("widgets", None)  # widget state needs a CDN script and a kernel to be live
    tidy_injected(nb)
    link_figures(nb, figures)
    points = key_points_html(nb)
    names = edition_names(stem)
    out = {}
    for edition, book, hide in (("reviewer", reviewer_notebook(nb), True), ("code", nb, False)):
        exporter = HTMLExporter(template_name="lab", exclude_input=hide,
                                exclude_input_prompt=hide, exclude_output_prompt=hide,
                                embed_images=True)
        body, _ = exporter.from_notebook_node(book, resources={"metadata": {"name": title}})
        body = _finish(body, stem=stem, edition=edition, pdf=pdf, points=points, alts=figures,
                       scrub_pairs=scrub_pairs, stamp=stamp)
        out[edition] = write_bytes_atomic(body.encode("utf-8"), reports / names[edition])
    return out


def render_notebook(executed: Path, html_path: Path, title: str) -> Path:
    """The reviewer edition only (and the with-code one beside it); kept for callers of the
    one-page API. Returns the reviewer page."""
    html_path = Path(html_path)
    return render_editions(executed, html_path.parent, html_path.stem, title)["reviewer"]
