# JupyterLab for qyedu researchers: `.venv/bin/jupyter lab --config=jupyter_server_config.py`
# Every save (autosave included) of a pipeline notebook (notebooks/NN_name.ipynb) is stored
# without outputs, so committed notebooks stay clean and tests/test_notebook_hygiene.py passes;
# the outputs stay visible in the open browser tab until it is reloaded.
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.FileContentsManager.pre_save_hook = "qyedu.nbhygiene.pre_save_hook"
