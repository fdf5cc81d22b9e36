"""The pip and conda dependency lists agree; the README commands and CI are wired as documented."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_pyproject_and_environment_list_the_same_packages():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in py["dependencies"]}
    pip_names |= {_name(r) for r in py["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            conda_names |= {_name(r) for r in dep.get("pip", [])}
        elif _name(dep) not in {"python", "pip"}:
            conda_names.add(_name(dep))
    assert pip_names == conda_names, (
        f"only in pyproject: {sorted(pip_names - conda_names)}; "
        f"only in environment.yml: {sorted(conda_names - pip_names)}"
    )


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 dev.py test" in readme
    assert "python3 dev.py run" in readme
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert commands[-1].strip() == "python3 dev.py test"


def test_raw_data_files_each_listed_with_a_source():
    raw = ROOT / "data" / "raw"
    listing = (raw / "README.md").read_text(encoding="utf-8")
    for f in raw.rglob("*"):
        if f.is_file() and f.name != "README.md" and f.parent == raw:
            assert f.name in listing, f"{f.name} is not listed in data/raw/README.md"
