# Convenience aliases; the README's two commands are `python3 dev.py run` and `python3 dev.py test`.
.PHONY: help run test install lint bench strip lab
help:        ## list targets
	@grep -E '^[a-z]+:.*##' Makefile | sed 's/:.*##/ —/'
run:         ## install what is missing, refresh data/processed, notebooks, reports and figures
	python3 dev.py run
test:        ## install what is missing, run the whole test suite (pytest + nbval)
	python3 dev.py test
install:     ## only create/update the local .venv
	python3 dev.py install
lint:        ## ruff over the library, tests and notebooks
	python3 dev.py lint
bench:       ## projection benchmark (not a test)
	python3 dev.py bench
strip:       ## remove outputs from notebooks/*.ipynb (JupyterLab via `make lab` does it on save)
	python3 dev.py strip
lab:         ## JupyterLab whose saves strip notebook outputs (as root: make lab ARGS=--allow-root)
	python3 dev.py lab $(ARGS)
