"""Complete the staged reports/ and figures/ of a run: pages (reviewer and with-code editions),
titles and summaries, figures in one flat folder and copied into reports/figures/, the page
font, the decision box data, the Excel workbook and a PDF of each reviewer page; no machine
path in any of them. With ``--only`` merged with what is published."""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import paths
from ..io import write_bytes_atomic
from . import manifest as mf
from .errors import RefreshFailed
from .index import DECISION_FILE, WORKBOOK, edition_html, figure_alt
from .publish import collect_figures, copy_previous
from .render import edition_names, render_editions
from .scrub import replacements, scrub_file

GENERATED = {"index.html", "manifest.json", DECISION_FILE, WORKBOOK, "figures", "fonts",
             "verdicts.csv", "changes.csv", "methods.html", "methods.pdf"}


def _processed_dir(stage: Path) -> Path:
    staged = stage / "data_processed"
    return staged if staged.is_dir() else paths.data_processed()


def write_decision(processed: Path, reports: Path, run: str = "") -> Path:
    """verdicts.csv (the one table of verdicts, ``qyedu.views.verdicts``) and decision.json
    for the index: per promise the verdict read from that table, its capacity view per
    level, and the caveats."""
    import pandas as pd

    from ..views import decision as dv
    from ..views import verdicts as vv
    from ..views.places import plan_sentences
    from ..views.structural import structural_sentences
    from .index import ACCURACY_LINK, BACKTEST_LINK

    def read(name):
        f = processed / name
        return pd.read_csv(f) if f.exists() else None

    promises, backtest = read("places_promises.csv"), read("backtest.csv")
    accuracy = read("honest_accuracy.csv")  # the published method, honest in time
    table = vv.verdict_table(promises, read("places_answers.csv"))
    write_bytes_atomic(table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
                       reports / vv.VERDICTS_FILE)
    _headline_chart(table, reports)
    rows = dv.decision_rows(promises) if promises is not None else []
    choices = read("structural_choices.csv")
    rests = (structural_sentences(choices).set_index("promise") if choices is not None
             else None)
    for r in rows:
        r["cited"] = dv.cited(table, r)
        if rests is not None and r.get("promise") in rests.index:  # what the verdict rests on
            r["rests_zh"], r["rests_en"], r["rests_short_zh"], r["rests_short_en"] = \
                rests.loc[r["promise"], ["zh", "en", "short_zh", "short_en"]]
    link = ACCURACY_LINK if dv.panel_accuracy(accuracy) is not None else BACKTEST_LINK
    data = {"promises": rows, "caveats": dv.caveats(rows, backtest, link, accuracy), "run": run}
    plan = read("place_plan.csv")
    if plan is not None and not plan.empty:  # the place plan in words (page 30 says the same)
        zh, _, en = plan_sentences(plan).partition(" | ")
        data["place_plan"] = {"zh": zh, "en": en}
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    return write_bytes_atomic(text.encode("utf-8"), reports / DECISION_FILE)


HEADLINE_FIGURE = "index_headline"


def _headline_chart(table, reports: Path) -> None:
    """reports/figures/index_headline.png (+ .svg): the index's chart, from the verdicts."""
    from .. import plotting
    from ..figures.headline import headline_chart

    fig = headline_chart(table)
    if fig is not None:
        (reports / "figures").mkdir(parents=True, exist_ok=True)
        plotting.save_figure(fig, HEADLINE_FIGURE, reports / "figures")


def _write_methods(processed: Path, reports: Path, run_id: str, results) -> None:
    """The methods-and-sources appendix, with this run's parameter values."""
    import nbformat

    from .. import params
    from .methods import write_methods

    try:
        rec = json.loads((processed / "run_params.json").read_text(encoding="utf-8"))
        rp = params.from_dict(rec["params"], where="run_params.json")
    except (OSError, ValueError, KeyError):
        rp = params.load()
    vintage = None
    for res in results:
        if res.executed and Path(res.executed).exists():
            nb = nbformat.read(res.executed, as_version=4)
            vintage = (nb.metadata.get("papermill", {}).get("parameters") or {}).get("base_year")
            break
    write_methods(reports, rp, run_id, vintage if vintage is not None else rp.forecast.base_year)


def _run_text(results) -> str:
    """'情景 … · N 次抽样 draws …' of the run, from an executed notebook's parameters."""
    import nbformat

    from .render import run_line

    for res in results:
        if res.executed and Path(res.executed).exists():
            line = run_line(nbformat.read(res.executed, as_version=4))
            if line:
                return line.replace("本页参数 Run: ", "参数 Run: ")
    return ""


def assemble(stage: Path, results: list, partial: bool, progress, report=None) -> dict | None:
    """Fill ``stage/reports`` and ``stage/figures``; return the previously published manifest
    when ``partial`` (its entries for the other notebooks are kept), else None."""
    import nbformat

    from .notebooks import summary_of, title_of
    from .pdf import chromium, print_pages

    reports, figures = stage / "reports", stage / "figures"
    stems = {r.name for r in results}
    old = mf.read_published(paths.reports_dir() / "manifest.json") if partial else None
    owners = {f: e["name"] for e in (old or {}).get("notebooks", []) for f in e["figures"]}
    if partial:
        drop = set(GENERATED)
        for s in stems:
            drop |= set(edition_names(s).values()) | {f"notebooks/{s}.ipynb"}
        copy_previous(paths.reports_dir(), reports, drop)
        copy_previous(paths.figures_dir(), figures, {f for f, o in owners.items() if o in stems})
        owners = {f: o for f, o in owners.items() if o not in stems}
    made = collect_figures({r.name: stage / "nb_figures" / r.name for r in results},
                           figures, owners)
    pairs = replacements(paths.root(), stage)
    browser = chromium()
    order = sorted(p.stem for p in paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
    run_id = getattr(report, "run_id", None) or stage.name
    for res in results:
        t = time.perf_counter()
        nb = nbformat.read(res.executed, as_version=4)
        res.title, res.summary, res.figures = title_of(nb, res.name), summary_of(nb), made[res.name]
        alts = {Path(f).stem: figure_alt(figures / f) for f in made[res.name] if f.endswith(".png")}
        vintage = (nb.metadata.get("papermill", {}).get("parameters") or {}).get("base_year")
        page = order.index(res.name) + 1 if res.name in order else None
        stamp = edition_html(run_id, vintage, page, len(order))
        try:
            render_editions(res.executed, reports, res.name, res.title, alts,
                            pdf=browser is not None, scrub_pairs=pairs, stamp=stamp)
        except Exception as err:
            raise RefreshFailed(f"rendering {res.source.name} to HTML failed: "
                                f"{type(err).__name__}: {err}; nothing was published",
                                report) from err
        _publishable_notebook(res.executed, pairs)
        progress(f"[refresh] html {res.name}.html + {res.name}.code.html … ok "
                 f"({time.perf_counter() - t:.1f} s)")
    t = time.perf_counter()
    shutil.copytree(figures, reports / "figures", dirs_exist_ok=True)
    processed = _processed_dir(stage)
    write_decision(processed, reports, _run_text(results))
    _write_methods(processed, reports, run_id, results)
    _write_font(reports)
    with ThreadPoolExecutor(max_workers=1) as side:
        pending = side.submit(_workbook, processed, reports / WORKBOOK)
        pages = [reports / edition_names(r.name)["reviewer"] for r in results]
        if (reports / "methods.html").exists():
            pages.append(reports / "methods.html")
        try:
            print_pages(pages, progress)
        except Exception as err:
            raise RefreshFailed(f"printing the pages to PDF failed: {type(err).__name__}: "
                                f"{err}; nothing was published", report) from err
        pending.result()
    progress(f"[refresh] figures, font, decision box, Excel, PDF … ok "
             f"({time.perf_counter() - t:.1f} s)")
    return old


def _publishable_notebook(executed: Path, pairs) -> None:
    """The executed notebook as published: injected parameters as literals, no machine paths."""
    import nbformat

    from .render import tidy_injected

    nb = nbformat.read(executed, as_version=4)
    tidy_injected(nb)
    nbformat.write(nb, executed)
    scrub_file(executed, pairs)


def _write_font(reports: Path) -> None:
    from . import index
    from .fonts import write_page_font

    extra = reports / ".index-chars.txt"
    extra.write_text(Path(index.__file__).read_text(encoding="utf-8")
                     + (reports / DECISION_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    try:
        write_page_font(reports, [*sorted(reports.glob("*.html")), extra])
    finally:
        extra.unlink()


def _workbook(processed: Path, path: Path) -> None:
    from .workbook import write_workbook

    write_workbook(processed, path, extra=[path.parent / "verdicts.csv"])
