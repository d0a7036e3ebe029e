"""The built wheel answers on its own: installed in a fresh venv, run from an empty folder.

The sdist is built first and the wheel from it (``python -m build``), so the sdist is shown to
hold what a build needs. No network: the build backend is a dev dependency, and the fresh venv
sees this venv's installed dependencies as a plain path entry, which does not read its ``.pth``
files, so the editable install of this checkout stays out of reach.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from bot.terminal import to_terminal

REPO = Path(__file__).resolve().parents[1]
QUESTION = "AE vs AM?"

pytestmark = pytest.mark.slow


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)]
    result = subprocess.run(build, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    [found] = dist.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install"]
    subprocess.run(
        [*install, "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Only after the install, so pip does not take this venv's editable install for this one.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "_project_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    return root


def _run(venv: Path, cwd: Path, *args: str, env: dict[str, str] | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ROLEBOT_"))}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        env={**clean, "PYTHONNOUSERSITE": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def empty(tmp_path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_wheel_holds_the_knowledge_and_the_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert any(n.startswith("bot/_data/knowledge/roles/") and n.endswith(".yaml") for n in names)
    for folder in ("knowledge", "responses"):
        prefix = f"bot/_data/{folder}/"
        assert {n.removeprefix(prefix) for n in names if n.startswith(prefix)} == _files(
            REPO / folder
        )
    assert "bot/_data/responses/compare.j2" in names
    assert not any(n.startswith(("tests/", "bench/", "knowledge/", "responses/")) for n in names)


def test_the_sdist_holds_what_a_build_needs(dist):
    [sdist] = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "bot/__init__.py", "responses/compare.j2"} <= names
    assert {f"knowledge/{n}" for n in _files(REPO / "knowledge")} <= names
    assert not any(n.startswith((".venv/", ".git/")) for n in names)


def test_the_installed_package_is_the_wheel_not_the_checkout(venv, empty):
    show = "import bot.paths as p; print(p.__file__, p.KNOWLEDGE_DIR, p.RESPONSES_DIR, sep='\\n')"
    result = _run(venv, empty, "python", "-c", show)
    assert result.returncode == 0, result.stderr
    module, knowledge, responses = (Path(line) for line in result.stdout.splitlines())
    site = module.parent.parent
    assert site.is_relative_to(venv)
    assert knowledge == site / "bot" / "_data" / "knowledge"
    assert responses == site / "bot" / "_data" / "responses"


def test_the_installed_rolebot_answers_as_the_checkout_does(venv, empty):
    result = _run(venv, empty, "rolebot", "ask", "--json", QUESTION)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["intent"] == "compare"
    assert answer["roles"] == ["account_executive", "account_manager"]
    assert "AE" in answer["text"]
    assert "AM" in answer["text"]
    checkout = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", QUESTION],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert answer == json.loads(checkout.stdout)

    text = _run(venv, empty, "rolebot", "ask", QUESTION)
    assert text.returncode == 0, text.stderr
    assert text.stdout == to_terminal(answer["blocks"]) + "\n"


def test_the_installed_rolebot_validates_its_own_copy(venv, empty):
    result = _run(venv, empty, "rolebot", "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(venv))
    assert "/bot/_data/knowledge: OK" in result.stdout


def test_the_environment_overrides_the_packaged_copy(venv, empty):
    env = {"ROLEBOT_KNOWLEDGE_DIR": str(REPO / "knowledge")}
    result = _run(venv, empty, "rolebot", "validate", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{REPO / 'knowledge'}: OK")


def test_the_installed_rolebot_eval_asks_for_its_data(venv, empty):
    result = _run(venv, empty, "rolebot", "eval")
    assert result.returncode == 2
    assert "pass --data DIR" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(empty.iterdir())
