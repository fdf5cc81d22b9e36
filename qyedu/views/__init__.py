"""Tables shaped for display in the notebooks (bilingual column names), one module per question."""

from .format import install_ipython as _install_ipython

# inside IPython (a kernel: JupyterLab, papermill) every DataFrame, Series and Styler is shown
# through qyedu.views.format: thousands separators, % for probabilities, bilingual labels,
# escaped strings, wide tables split; outside IPython this does nothing
_install_ipython()
