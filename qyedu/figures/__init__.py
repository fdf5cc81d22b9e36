"""Figures shown by the notebooks and published by the refresh, one module per question
(plan, births, enrollment, places, teachers, scorecard). Each function takes tidy tables from
the library and returns a matplotlib Figure in the house style (qyedu.plotting), with
bilingual titles and axis labels. ``publish`` saves a figure only when a folder is given
(the refresh passes its staging folder; an interactive or test run saves nothing)."""

from __future__ import annotations

from pathlib import Path


def publish(fig, name: str, figures_dir: str | Path | None):
    """Save ``fig`` as PNG + SVG into ``figures_dir`` when it is non-empty; return ``fig``
    (so a notebook cell can end with ``publish(...)`` and display it). The figure's title is
    saved in the files (PNG/SVG ``Title``): the refresh uses it as the image's alt text and
    points the page's image at ``reports/figures/<name>.png``."""
    if figures_dir:
        from ..plotting import save_figure

        save_figure(fig, name, figures_dir)
    return fig
