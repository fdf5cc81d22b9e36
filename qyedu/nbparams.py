"""A notebook's parameters checked inside its kernel, right after papermill's injected cell:
a name the notebook's ``parameters`` cell does not declare (``papermill -p scenaro low``, a
typo papermill itself only warns about) stops the run with the accepted names, instead of
silently running the defaults; an unknown ``county`` is refused here too (every
notebook, also those that never build a Workbench). Pages that are city-wide say so when a county was asked for.

Each pipeline notebook calls, first thing after its ``parameters`` cell::

    from qyedu.nbparams import check_parameters
    check_parameters()                # or check_parameters(city_wide=True)

Outside papermill (a cell run by hand in JupyterLab) there is no injected cell and nothing
is checked.
"""

from __future__ import annotations

import ast

from .errors import QyeduError

INJECTED_MARK = "# Parameters"  # papermill's injected cell starts with this comment
CITY = "全市"


def assigned_names(source: str) -> list[str]:
    """Names assigned at the top level of a cell (``name = value``), in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def unknown_parameters(history: list[str]) -> tuple[list[str], list[str]]:
    """``(unknown, declared)`` for a kernel's input history (IPython's ``In``): the names of
    the last injected-parameters cell that the cell executed just before it (the notebook's
    ``parameters`` cell) does not declare."""
    cells = [c for c in history if c and c.strip()]
    for k in range(len(cells) - 1, 0, -1):
        if cells[k].lstrip().startswith(INJECTED_MARK):
            declared = assigned_names(cells[k - 1])
            return [n for n in assigned_names(cells[k]) if n not in declared], declared
    return [], []


def _namespace() -> dict:
    from IPython import get_ipython

    ip = get_ipython()
    return ip.user_ns if ip is not None else {}


def check_parameters(city_wide: bool = False, namespace: dict | None = None) -> None:
    """Stop with the accepted names if papermill injected a parameter this notebook does not
    declare; with ``city_wide``, print (on the page) that the page is for the whole city when
    ``county`` names a county."""
    ns = _namespace() if namespace is None else namespace
    unknown, declared = unknown_parameters(list(ns.get("In", [])))
    if unknown:
        raise QyeduError(f"unknown notebook parameter(s) {', '.join(map(repr, unknown))}; this "
                         f"notebook accepts: {', '.join(declared)} (other settings: "
                         "params_file or `qyedu refresh --set SECTION.KEY=VALUE`)")
    county = ns.get("county", CITY)
    from .observed.names import county_problem

    if county not in ("", None) and (bad := county_problem(county)):
        raise QyeduError(bad)
    if city_wide and county not in ("", CITY):
        print(f"本页为全市口径：所选县（市、区）{county} 不适用于本页的数字，以下均为全市。"
              f" | This page is city-wide: the county chosen ({county}) does not apply to its "
              "numbers; everything below is for the whole city.")
