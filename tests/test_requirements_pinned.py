"""Every dependency is pinned to one exact version, and the environment running the tests has those versions.

An unpinned or ranged line (``fastapi``, ``fastapi>=0.100``, ``torch==2.*``) would let a fresh machine
install something nobody tested: for torch, a multi-gigabyte CUDA build instead of the CPU one.
Transitive dependencies are pinned by their parents only; docs/reliability.md says what that risks.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = sorted((ROOT / "requirements").glob("*.txt"))
# name, optional extras, ==, one exact version (no wildcard), optional environment marker.
PINNED = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[A-Za-z0-9._,-]+\])?==(?P<version>[0-9][A-Za-z0-9.+!-]*)(?:\s*;\s*.+)?$"
)
# The files installed into the environment of each Python (see the Makefile's setup targets).
ENVIRONMENT_FILES = {(3, 11): ("api.txt", "dev.txt"), (3, 10): ("rasa.txt",)}


def requirement_lines(path: Path) -> list[tuple[int, str]]:
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            lines.append((number, line))
    return lines


def unpinned(lines: list[tuple[int, str]]) -> list[str]:
    return [f"line {number}: {line}" for number, line in lines if not PINNED.match(line)]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_there_are_requirement_files() -> None:
    assert {p.name for p in REQUIREMENTS} >= {"api.txt", "dev.txt", "rasa.txt"}


@pytest.mark.parametrize("path", REQUIREMENTS, ids=lambda p: p.name)
def test_every_line_is_pinned_exactly(path: Path) -> None:
    lines = requirement_lines(path)
    assert lines, f"{path.name} is empty"
    assert not unpinned(lines), f"{path.name}: pin these with ==x.y.z: {unpinned(lines)}"
    names = [canonical(PINNED.match(line).group("name")) for _, line in lines]  # type: ignore[union-attr]
    assert len(names) == len(set(names)), f"{path.name} names a package twice"


@pytest.mark.parametrize(
    "line",
    [
        "fastapi",
        "fastapi>=0.100",
        "fastapi~=0.163",
        "torch==2.*",
        "torch!=2.12",
        "-e .",
        "git+https://github.com/org/pkg",
        "https://example.com/pkg.whl",
        "--index-url https://example.com",
        "pkg==",
        "pkg == 1.0",
    ],
)
def test_the_check_refuses_loose_lines(line: str) -> None:
    assert unpinned([(1, line)])


@pytest.mark.parametrize(
    "line", ["psycopg[binary]==3.3.9", "types-PyYAML==6.0.12.20261113", "pkg==1.0; python_version<'3.11'"]
)
def test_the_check_accepts_exact_pins(line: str) -> None:
    assert not unpinned([(1, line)])


def test_one_environment_pins_a_package_once() -> None:
    for files in ENVIRONMENT_FILES.values():
        pins: dict[str, tuple[str, str]] = {}
        for name in files:
            for _, line in requirement_lines(ROOT / "requirements" / name):
                match = PINNED.match(line)
                assert match is not None
                package, version = canonical(match.group("name")), match.group("version")
                assert pins.get(package, (name, version))[1] == version, f"{package}: {pins[package]} vs {name}"
                pins[package] = (name, version)


def test_this_environment_has_the_pinned_versions() -> None:
    files = ENVIRONMENT_FILES.get(sys.version_info[:2])
    if files is None or not all((ROOT / "requirements" / f).exists() for f in files):
        pytest.skip(f"no requirement files for Python {sys.version_info[:2]}")
    wrong = []
    for name in files:
        for _, line in requirement_lines(ROOT / "requirements" / name):
            match = PINNED.match(line)
            assert match is not None
            try:
                installed = metadata.version(match.group("name"))
            except metadata.PackageNotFoundError:
                wrong.append(f"{line}: not installed")
                continue
            # A local build label (torch 2.13.0+cpu) is the pinned version built for this platform.
            if installed.split("+")[0] != match.group("version"):
                wrong.append(f"{line}: {installed} installed")
    assert not wrong, f"rebuild the environment (`make setup`): {wrong}"
