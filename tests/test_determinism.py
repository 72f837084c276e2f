"""The same inputs give byte-identical output, whatever the hash seed or the run."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CATALOG, RUNBOOKS


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_generations_are_byte_identical(tmp_path: Path) -> None:
    results = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "zofdocs",
                "generate",
                "--catalog",
                str(CATALOG),
                "--runbooks",
                str(RUNBOOKS),
                "--out",
                str(out),
            ],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
        )
        results.append(digest(out))
    assert results[0] == results[1]
    # 24 pages (3 runbooks, 3 team onboarding pages), 12 exported files, and the list of
    # what was written.
    assert len(results[0]) == 37
