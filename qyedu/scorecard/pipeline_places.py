"""Places delivered and planned (data/raw/places.csv, via ``qyedu.places.pipeline``) per
places promise and school year, so promises are judged on delivered + planned places when
they are published. The places model's own rules apply (senior share of the primary +
secondary figures, phasing, delays: ``places`` parameters)."""

from __future__ import annotations

from ..params import PlacesParams
from ..places.pipeline import pipeline

PROMISE_LEVELS = {
    "compulsory_new_places": ("primary", "junior_secondary"),
    "preschool_new_public_places": ("preschool",),
    "senior_new_public_places": ("senior_general",),
}


def pipeline_by_promise(pp: PlacesParams | None = None) -> dict[str, dict[int, float]]:
    """promise id → {school year: places opening that year (delivered or planned)}."""
    pipe = pipeline(pp or PlacesParams(), 0.5)  # the primary/junior split cancels out here
    out = {}
    for pid, levels in PROMISE_LEVELS.items():
        g = pipe[pipe["level"].isin(levels)].groupby("year")["places"].sum()
        out[pid] = {int(y): float(v) for y, v in g.items()}
    return out
