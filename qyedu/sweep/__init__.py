"""Sweeps and global sensitivity analysis: many parameter sets (a grid, a Morris screening or
a Sobol design over dotted RunParams keys) each run through the Workbench, on Dask (a
LocalCluster by default, or an existing cluster), stored resumably, then summarised as
sensitivity indices, tornado swings and the parameter combinations that flip a verdict.

Modules: ``design`` (YAML design, SALib samples), ``task`` (what a run evaluates), ``chain``
(the Workbench task with projection reuse), ``outputs`` (named answers), ``store`` (part
files, resume), ``execute`` (serial / Dask), ``analyze`` (indices, swings, verdicts),
``run`` (the one call), ``testfunctions`` (Ishigami)."""

from .design import Design, design_from_dict, load_design
from .outputs import OUTPUTS
from .run import SweepResult, finished_or_tiny, load_sweep, run_sweep
from .store import sweep_dir

__all__ = ["OUTPUTS", "Design", "SweepResult", "design_from_dict", "finished_or_tiny", "load_design", "load_sweep",
           "run_sweep", "sweep_dir"]
