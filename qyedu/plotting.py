"""House style for every figure: Chinese text that renders (Noto Sans CJK SC from the
``noto-cjk-sans-otc`` wheel, no system font needed), one palette per level and per scenario,
bilingual labels, uncertainty fan charts, and one deterministic way to save a figure.

Plot functions elsewhere return the figure; ``save_figure`` writes it (PNG + SVG).
``seaborn.set_theme()`` resets fonts: call ``apply_style()`` after it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import matplotlib
from cycler import cycler
from matplotlib import font_manager

from .errors import QyeduError

CJK_FAMILY = "Noto Sans CJK SC"
FONT_PACKAGE = "noto-cjk-sans-otc"
FONT_FILE = "NotoSansCJK-Regular.ttc"
PNG_DPI = 150
SVG_HASHSALT = "qyedu"

# Okabe–Ito colour-blind-safe colours; keys are qyedu.projection.result.LEVELS and SCENARIOS.
LEVEL_COLORS = {
    "preschool": "#E69F00",
    "primary": "#0072B2",
    "junior_secondary": "#009E73",
    "senior_general": "#CC79A7",
    "senior_vocational": "#D55E00",
}
SCENARIO_COLORS = {"low": "#56B4E9", "medium": "#0072B2", "high": "#D55E00"}
OBSERVED_COLOR = "#222222"


class FontNotFoundError(QyeduError):
    """The CJK font file is missing: Chinese text would be drawn as empty boxes."""


def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK collection shipped inside the ``noto-cjk-sans-otc`` wheel."""
    try:
        files = metadata.files(FONT_PACKAGE) or []
    except metadata.PackageNotFoundError:
        files = []
    for f in files:
        if f.name == FONT_FILE:
            path = Path(f.locate())
            if path.is_file():
                return path
    raise FontNotFoundError(
        f"Chinese font {FONT_FILE} not found: the Python package '{FONT_PACKAGE}' is not "
        f"installed (or incomplete) in this environment. Install it with "
        f"`pip install {FONT_PACKAGE}` (it is a dependency in pyproject.toml; "
        f"`python3 dev.py install` does it)."
    )


def register_cjk_font() -> Path:
    """Add the CJK collection to matplotlib's font manager once per process."""
    path = cjk_font_path()
    known = {f.name for f in font_manager.fontManager.ttflist}
    if CJK_FAMILY not in known:
        font_manager.fontManager.addfont(str(path))
    return path


def style_rc() -> dict:
    """The rcParams of the house style (fonts, sizes, grid, palette, deterministic SVG)."""
    return {
        "font.family": [CJK_FAMILY, "DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK face has no U+2212 in every weight
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "grid.linestyle": "-",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(LEVEL_COLORS.values())),
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",  # glyphs as outlines: SVGs show Chinese without the font
    }


def apply_style() -> None:
    """Register the CJK font and set the house rcParams (idempotent)."""
    register_cjk_font()
    matplotlib.rcParams.update(style_rc())


def bilingual(zh: str, en: str) -> str:
    """A Chinese + English label, e.g. ``bilingual("小学", "Primary")`` → ``"小学 Primary"``."""
    return f"{zh} {en}".strip()


def fan_chart(ax, years, p05, p50, p95, label: str, color: str, observed=None):
    """Draw a median line with a shaded 5–95 % band; ``observed`` (a Series indexed by year,
    or a ``(years, values)`` pair) is overlaid as points. Returns ``ax``."""
    ax.fill_between(years, p05, p95, color=color, alpha=0.2, linewidth=0)
    ax.plot(years, p50, color=color, label=label, linewidth=1.8)
    if observed is not None:
        if hasattr(observed, "to_numpy"):
            obs_x, obs_y = list(observed.index), list(observed.to_numpy())
        else:
            obs_x, obs_y = observed
        ax.plot(obs_x, obs_y, "o", color=OBSERVED_COLOR, markersize=3.5,
                label=bilingual("观测", "Observed"))
    return ax


def figure_title(fig) -> str:
    """The figure's title (suptitle, else the axes titles joined): its alt text on pages."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        return " ".join(sup.get_text().split())
    titles = [" ".join(ax.get_title().split()) for ax in fig.axes if ax.get_title().strip()]
    return " · ".join(dict.fromkeys(titles))


def _figure_bytes(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    title = figure_title(fig)
    meta = {"Date": None} if fmt == "svg" else {"Software": None}
    if title:
        meta["Title"] = title  # the alt text of the figure on the published pages
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=meta, bbox_inches="tight")
    return buf.getvalue()


def save_figure(fig, name: str, figures_dir: str | Path | None = None,
                formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Write ``fig`` as ``<name>.png`` and ``<name>.svg`` (fixed dpi, no dates, fixed SVG
    ids: same figure → same bytes) into ``figures_dir`` (``None`` or ``""``, a notebook's
    default parameter: ``paths.figures_dir()`` while it is a plain folder; once published it
    is a generation's and refused), each atomically. Returns the written paths."""
    from . import paths
    from .io import write_bytes_atomic

    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"figure name must be a plain file stem, got {name!r}")
    out = Path(figures_dir) if figures_dir else paths.figures_dir()
    if not figures_dir and out.is_symlink():  # the published set: only a refresh writes it
        from .errors import QyeduError

        raise QyeduError(f"{out} is the published figures folder (written only by a refresh); "
                         f"pass figures_dir to save figure {name!r} elsewhere")
    return [write_bytes_atomic(_figure_bytes(fig, fmt), out / f"{name}.{fmt}")
            for fmt in formats]


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None, **subplots_kw):
    """A house-style Figure, already closed in pyplot (shown only when returned to a
    notebook cell), and its axes array (2-D)."""
    from matplotlib import pyplot as plt

    apply_style()
    fig = plt.figure(figsize=figsize or matplotlib.rcParams["figure.figsize"], layout="constrained")
    plt.close(fig)
    return fig, fig.subplots(nrows, ncols, squeeze=False, **subplots_kw)


def year_axis(ax) -> None:
    """Whole years on the x axis (no 2022.5 ticks)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
