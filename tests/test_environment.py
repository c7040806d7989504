"""environment.yml and pyproject.toml list the same dependencies; the set-up files are wired together."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(s): s.replace(" ", "") for s in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda = {}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+.*)$", line)
        if m and not re.match(r"(?:python|pip)(?:[<>=!~ :]|$)", m.group(1)):
            conda[_name(m.group(1))] = m.group(1).replace(" ", "")
    assert conda == wanted


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash run.sh test" in ci
    first_block = readme.split("```")[1]
    assert "bash run.sh report" in first_block and "bash run.sh test" in first_block
