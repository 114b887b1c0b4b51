"""`pip install .`: the [project] table's dependencies are requirements.txt's, and the wheel carries the
`aftercare` command and the package data the exports need."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from directory.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-"))]


def test_project_dependencies_are_the_pinned_requirements():
    """The [project] dependencies list exactly the pins of requirements.txt, in the same order."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == _requirements()
    assert project["scripts"] == {"aftercare": "directory.__main__:main"}


def test_the_console_script_is_the_same_command_line(capsys):
    """`aftercare` runs `directory.__main__.main`: the same commands as `python -m directory`."""
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for command in ("import", "export", "export-feed", "refresh", "stats"):
        assert command in out


@pytest.mark.slow
def test_the_wheel_holds_the_package_its_data_and_the_command(tmp_path):
    """A wheel built from the tree has directory/, the HSDS schemas and the aftercare entry point."""
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the working tree
    shutil.copytree(ROOT / "directory", source / "directory", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "requirements.txt"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "directory/__main__.py" in names
    assert "directory/render/hsds_schema/service.json" in names
    assert not any(n.startswith(("tests/", "pages/", "data/")) for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "aftercare = directory.__main__:main" in zipfile.ZipFile(wheel).read(entry).decode()
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert [
        line.removeprefix("Requires-Dist: ")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ] == _requirements()
