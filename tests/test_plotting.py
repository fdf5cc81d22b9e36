"""House style: Chinese text draws with the bundled Noto CJK font (no missing glyphs), and
save_figure writes deterministic PNG + SVG files."""

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from qyedu import plotting  # noqa: E402


@pytest.fixture()
def chinese_figure():
    plotting.apply_style()
    fig, ax = plt.subplots()
    observed = pd.Series([101.0, 99.5], index=[2020, 2021])
    plotting.fan_chart(ax, [2020, 2021, 2022], [95, 96, 94], [100, 101, 99], [105, 106, 104],
                       plotting.bilingual("小学", "Primary"), plotting.LEVEL_COLORS["primary"],
                       observed=observed)
    ax.set_title("清远市小学在校生预测 −5%")
    ax.set_xlabel(plotting.bilingual("年份", "Year"))
    ax.set_ylabel("在校生（千人）")
    ax.legend()
    yield fig, ax
    plt.close(fig)


def test_bilingual_label():
    assert plotting.bilingual("小学", "Primary") == "小学 Primary"


def test_chinese_text_draws_without_missing_glyphs(chinese_figure):
    fig, ax = chinese_figure
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    glyph_warnings = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert glyph_warnings == []
    fonts = font_manager.fontManager._find_fonts_by_props(ax.title.get_fontproperties())
    assert Path(fonts[0]).name == plotting.FONT_FILE
    assert Path(fonts[0]) == plotting.cjk_font_path()


def test_plain_matplotlib_would_miss_glyphs():
    """Guards the test above: without the house style the same title does warn."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("小学")
        with pytest.warns(UserWarning, match="[Gg]lyph .* missing"):
            fig.canvas.draw()
        plt.close(fig)


def test_apply_style_is_idempotent_and_survives_seaborn():
    import seaborn as sns

    sns.set_theme()
    plotting.apply_style()
    plotting.apply_style()
    names = [f.name for f in font_manager.fontManager.ttflist]
    assert names.count(plotting.CJK_FAMILY) == 1
    assert matplotlib.rcParams["font.family"][0] == plotting.CJK_FAMILY
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert set(plotting.SCENARIO_COLORS) == {"low", "medium", "high"}


def test_level_palette_covers_every_level():
    from qyedu.params import scenarios
    from qyedu.projection.result import LEVELS

    assert tuple(plotting.LEVEL_COLORS) == LEVELS
    assert tuple(plotting.SCENARIO_COLORS) == scenarios()


def test_save_figure_writes_png_and_svg_deterministically(chinese_figure, tmp_path):
    fig, _ = chinese_figure
    paths = plotting.save_figure(fig, "enrolment_primary", tmp_path)
    assert [p.name for p in paths] == ["enrolment_primary.png", "enrolment_primary.svg"]
    png, svg = (p.read_bytes() for p in paths)
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
    assert b"<dc:date>" not in svg
    plotting.save_figure(fig, "enrolment_primary", tmp_path)
    assert paths[1].read_bytes() == svg
    assert paths[0].read_bytes() == png


def test_save_figure_defaults_to_project_figures_dir(chinese_figure, tmp_path, monkeypatch):
    monkeypatch.setenv("QYEDU_ROOT", str(tmp_path))
    fig, _ = chinese_figure
    paths = plotting.save_figure(fig, "x") + plotting.save_figure(fig, "y", "")
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "figures/x.png", "figures/x.svg", "figures/y.png", "figures/y.svg"]


def test_save_figure_rejects_paths_as_names(chinese_figure, tmp_path):
    with pytest.raises(ValueError, match="plain file stem"):
        plotting.save_figure(chinese_figure[0], "../x", tmp_path)


def test_missing_font_package_is_a_clear_error(monkeypatch):
    def no_package(name):
        raise plotting.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(plotting.metadata, "files", no_package)
    with pytest.raises(plotting.FontNotFoundError, match="noto-cjk-sans-otc"):
        plotting.apply_style()
