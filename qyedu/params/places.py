"""Parameters of the school-places model. ``None`` means: use the published standard in
data/raw/standards.csv (the value and its source are then reported with the result)."""

from __future__ import annotations

from .base import ParamModel, param


class PlacesParams(ParamModel):
    class_size_primary: float | None = param(
        None, "Pupils per class, primary (None → standards.csv: 45)", "pupils per class",
        "data/raw/standards.csv: school building standard class size", gt=0, le=80,
    )
    class_size_junior: float | None = param(
        None, "Pupils per class, junior secondary (None → standards.csv: 50)", "pupils per class",
        "data/raw/standards.csv: school building standard class size", gt=0, le=80,
    )
    class_size_senior: float | None = param(
        None, "Pupils per class, general senior secondary (None → standards.csv: 50)",
        "pupils per class", "data/raw/standards.csv: school building standard class size",
        gt=0, le=80,
    )
    public_share_preschool: float = param(
        0.50, "Share of preschool children to be served by public kindergartens (plan floor 50%)",
        "fraction", "plan: 公办园在园幼儿占比达到50%以上 (table 1, 2025)", ge=0, le=1,
    )
    public_share_compulsory: float | None = param(
        None,
        "Share of compulsory pupils in public schools. No published figure for Qingyuan: None "
        "→ the share of public compulsory schools in the plan (公办义务教育学校数 / 义务教育学校数, 2020)",
        "fraction", "assumption: proxied by the plan's 2020 school counts (468/494)", ge=0, le=1,
    )
    public_share_senior: float | None = param(
        None,
        "Share of general senior pupils in public schools. No published figure: None → 1.0 "
        "(all general senior capacity counted as public)",
        "fraction", "assumption: no published split", ge=0, le=1,
    )
