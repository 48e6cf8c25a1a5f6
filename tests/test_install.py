"""Installing: the lock pins every dependency the project declares, and a plain `pip install`
with the pip a new venv comes with gives an archive that reads HTML."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", re.M)


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]
    ]


def _pins() -> dict[str, str]:
    return {canonicalize_name(n): v for n, v in _PIN.findall(LOCK.read_text())}


def test_the_lock_pins_every_declared_dependency_within_its_range():
    pins = _pins()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement.specifier}: "
            "run make lock"
        )


def test_every_pin_in_the_lock_carries_a_hash():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text())
    pinned = [e for e in entries if _PIN.match(e)]
    assert len(pinned) == len(_pins())
    for entry in pinned:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_a_plain_pip_install_in_a_new_venv_adds_an_html_page(tmp_path):
    """No lock and no upgraded pip: what `python3 -m venv` gives a user, then `pip install .`"""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    stock = subprocess.run([*pip, "--version"], capture_output=True, text=True, check=True)
    assert stock.stdout.startswith("pip ")
    installed = subprocess.run(
        [*pip, "install", "--quiet", str(ROOT)], capture_output=True, text=True, timeout=900
    )
    assert installed.returncode == 0, installed.stderr[-3000:]

    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Flood barriers hold in the river town</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
        "<h1>Flood barriers hold in the river town</h1>"
        + "".join(
            f"<p>Paragraph {i}: volunteers stacked sandbags along the embankment through the "
            "night while the river rose, and by morning the new barriers had held.</p>"
            for i in range(8)
        )
        + "</article></body></html>",
        encoding="utf-8",
    )
    archive = venv / "bin" / "archive"
    result = subprocess.run(
        [str(archive), "--data-dir", str(tmp_path / "data"), "ingest", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{page}: added " in result.stdout
