"""Hostile input beyond the malformed catalogs: size, depth, file system trouble, and
fuzzing. Each asserts the message, the exit status, no traceback, and that existing
output is unchanged."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CATALOG
from zofdocs.catalog import load_sources
from zofdocs.cli import main
from zofdocs.errors import CatalogError
from zofdocs.yamlsource import load_yaml

E = "catalog/errors.yml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.err


@pytest.fixture
def out(catalog_dir: Path) -> Path:
    folder = catalog_dir.parent / "out"
    folder.mkdir()
    (folder / "index.md").write_text("as it was\n")
    return folder


def test_fifty_megabyte_file(
    catalog_dir: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (catalog_dir / "errors.yml").open("w") as handle:
        handle.write("# " + "x" * (50 * 1024 * 1024) + "\n")
    assert run(capsys, "generate", "--out", str(out)) == (
        2,
        f"{E}: file is 52,428,803 bytes, more than the 33,554,432 that ZOFDOCS_MAX_FILE_MB "
        "allows (hint: check that this is the file you meant; if it is, set "
        "ZOFDOCS_MAX_FILE_MB=51 or more)\n",
    )
    assert (out / "index.md").read_text() == "as it was\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_endless_file_is_refused_without_being_read_whole(
    catalog_dir: Path, out: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    # A device says it holds 0 bytes and never ends: only a byte past the limit is read.
    (catalog_dir / "errors.yml").unlink()
    (catalog_dir / "errors.yml").symlink_to("/dev/zero")
    assert run(capsys, "generate", "--out", str(out), "--jobs", jobs) == (
        2,
        f"{E}: file holds more than the 33,554,432 that ZOFDOCS_MAX_FILE_MB allows (hint: "
        "check that this is the file you meant; if it is, set ZOFDOCS_MAX_FILE_MB=33 or "
        "more)\n",
    )
    assert (out / "index.md").read_text() == "as it was\n"


def test_the_size_limit_is_a_setting(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    errors = catalog_dir / "errors.yml"
    errors.write_text(errors.read_text() + "# " + "x" * (2 * 1024 * 1024) + "\n")
    assert run(capsys, "validate")[0] == 0
    monkeypatch.setenv("ZOFDOCS_MAX_FILE_MB", "1")
    status, err = run(capsys, "validate")
    assert status == 2
    assert "more than the 1,048,576 that ZOFDOCS_MAX_FILE_MB allows" in err
    monkeypatch.setenv("ZOFDOCS_MAX_FILE_MB", "lots")
    assert run(capsys, "validate") == (
        2,
        "ZOFDOCS_MAX_FILE_MB: the setting is 'lots', which is not a whole number of "
        "megabytes (hint: set it to a number such as 64, or unset it for 32)\n",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "a: " + "[" * 5000 + "]" * 5000 + "\n",
            f"{E}:1:1003: YAML syntax error: while increasing flow level exceeded maximum "
            "nesting depth",
            id="flow",
        ),
        pytest.param(
            "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "end\n",
            f"{E}:34:67: nesting deeper than 32 levels (hint: flatten the document)",
            id="block",
        ),
        pytest.param(
            "a: " + "[" * 40 + "]" * 40 + "\n",
            f"{E}:1:36: nesting deeper than 32 levels (hint: flatten the document)",
            id="flow-shallow",
        ),
    ],
)
def test_deep_nesting(
    catalog_dir: Path, out: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (catalog_dir / "errors.yml").write_text(text)
    status, err = run(capsys, "generate", "--out", str(out))
    assert (status, err.splitlines()) == (2, [expected])
    assert (out / "index.md").read_text() == "as it was\n"


def test_folder_where_a_file_should_be(
    catalog_dir: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalog_dir / "errors.yml").unlink()
    (catalog_dir / "errors.yml").mkdir()
    assert run(capsys, "generate", "--out", str(out)) == (
        2,
        f"{E}: cannot read file: Is a directory\n",
    )


def test_output_path_is_a_file(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = catalog_dir.parent / "out"
    target.write_text("a file, not a folder\n")
    status, err = run(capsys, "generate", "--no-runbooks", "--out", str(target))
    assert status == 2
    assert err.startswith(f"{target.resolve()}/errors/codes/index.md: cannot write: ")
    assert target.read_text() == "a file, not a folder\n"


def test_read_only_output_folder(
    catalog_dir: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Root, which runs CI, may write anywhere; the refusal a read-only folder gives
    # (EACCES from creating the temporary file) is raised where the OS would raise it.
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if Path(path).name.startswith("."):  # A temporary file beside its target.
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", refuse)
    status, err = run(capsys, "generate", "--no-runbooks", "--out", str(out))
    assert status == 2
    assert err == f"{out.resolve()}/errors/codes/index.md: cannot write: Permission denied\n"
    assert [p.name for p in out.iterdir()] == ["index.md"]
    assert (out / "index.md").read_text() == "as it was\n"


def test_markdown_and_html_in_values_stay_text(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = catalog_dir / "errors.yml"
    old = "    title: State conflict\n"
    assert old in errors.read_text()
    errors.write_text(
        errors.read_text().replace(old, '    title: "<img src=x onerror=alert(1)> | **x** #"\n')
    )
    out = catalog_dir.parent / "out"
    assert run(capsys, "generate", "--no-runbooks", "--out", str(out))[0] == 0
    index = (out / "errors" / "codes" / "index.md").read_text()
    assert "| &lt;img src=x onerror=alert(1)&gt; \\| **x** \\# |" in index
    assert "<img" not in index


def test_crlf_line_endings_are_read(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    errors = catalog_dir / "errors.yml"
    errors.write_bytes(errors.read_bytes().replace(b"\n", b"\r\n"))
    assert run(capsys, "validate")[0] == 0


# -- fuzzing -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400))
def test_fuzz_yaml_text_gives_data_or_a_clean_error(tmp_path_factory: pytest.TempPathFactory,
                                                    text: str) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("fuzz") / "errors.yml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    problems = []
    try:
        load_yaml(path)
    except CatalogError as exc:
        problems = exc.problems
        assert problems
    assert all(p.path.endswith("errors.yml") for p in problems)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_catalog_structure_gives_sources_or_a_clean_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("fuzz-catalog")
    for name in ("glossary.yml", "pages.yml"):
        (folder / name).write_text((CATALOG / name).read_text())
    shipped = yaml.safe_load((CATALOG / "errors.yml").read_text())
    key = data.draw(st.sampled_from(sorted(shipped)))
    shipped[key] = data.draw(yaml_values)
    (folder / "errors.yml").write_text(yaml.safe_dump(shipped, allow_unicode=True))
    problems = None
    try:
        load_sources(folder)
    except CatalogError as exc:
        problems = exc.problems
    assert problems is None or len(problems) > 0


def test_output_page_path_is_a_folder(
    catalog_dir: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (out / "onboarding.md" / "x").mkdir(parents=True)
    status, err = run(capsys, "generate", "--no-runbooks", "--out", str(out))
    assert status == 2
    assert err == (
        f"{(out / 'onboarding.md').resolve()}: is a folder; not written (hint: move it away)\n"
    )
    assert (out / "index.md").read_text() == "as it was\n"
    assert not [p for p in out.rglob(".*") if p.is_file()]
