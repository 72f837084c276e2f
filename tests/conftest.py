"""Shared fixtures: the repository's paths, and catalogs built in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped catalog in `tmp_path/catalog`, with `tmp_path` as cwd."""
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG, target)
    monkeypatch.chdir(tmp_path)
    return target
