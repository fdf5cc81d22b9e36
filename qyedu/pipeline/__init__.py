"""The refresh pipeline: data/processed → executed notebooks → HTML reports, figures and
manifest in a staging folder → atomic publish to reports/, figures/, data/processed/.

Small modules: ``notebooks`` (discovery, parameter contract), ``kernel`` (which Python runs
them), ``execute`` (papermill), ``render`` (HTML pages, index), ``manifest``, ``publish``
(atomic swap, failed runs), ``runner`` (the orchestration: ``refresh``). See docs/REFRESH.md.
"""

from .errors import LockBusy, NotebookFailed, NotebookParamError, RefreshFailed
from .execute import NotebookResult
from .notebooks import NOTEBOOK_PARAMETERS, OPTIONAL_PARAMETERS
from .runner import RefreshReport, refresh

__all__ = [
    "NOTEBOOK_PARAMETERS", "OPTIONAL_PARAMETERS", "LockBusy", "NotebookFailed", "NotebookParamError", "NotebookResult",
    "RefreshFailed", "RefreshReport", "refresh",
]
