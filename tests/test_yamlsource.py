"""The loader's quick path: the same data and places as the full reading, for less."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zofdocs import yamlsource
from zofdocs.errors import CatalogError, display_path
from zofdocs.yamlsource import Source, load_yaml

# Plain scalars that PyYAML resolves to each of its tags, and near misses.
RAW = [
    "1", "-7", "+3", "0x1F", "0o17", "017", "1_000", "1.5", "-0.5e3", "1e3", "6.8523015e+5",
    "190:20:30", ".inf", "-.Inf", ".nan", "true", "False", "yes", "No", "on", "OFF", "y",
    "~", "null", "Null", "2024-01-31", "2001-12-14t21:59:43.10-05:00", "=", "<<", "text",
    "0", "0.", ".5", "1__0", "12:30", "v1.2", "1.2.3", "2024-1-1", "TRUE", "nULL",
]  # fmt: skip
tokens = (
    st.sampled_from(RAW)
    | st.sampled_from(RAW)
    | st.from_regex(r"[a-z0-9.:+-]{1,8}", fullmatch=True)
)


def full(tmp_path: Path, text: str) -> Source:
    """The text read by the full builder, which records places as it goes."""
    path = tmp_path / "t.yml"
    source = Source(path, display_path(path), text=text)
    yamlsource._compose(source, text, marking=True)
    return source


def quick(tmp_path: Path, text: str) -> Source:
    path = tmp_path / "t.yml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def outcome(read: Callable[[Path, str], Source], tmp_path: Path, text: str) -> tuple[Any, ...]:
    """What a reading gives: the data and where its decimals are, or the problems."""
    try:
        source = read(tmp_path, text)
    except CatalogError as exc:
        return ("refused", exc.problems)
    return ("read", source.data, source.floats)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """YAML text of mappings and lists whose leaves are plain scalars of every kind."""
    keys = draw(
        st.lists(st.sampled_from(["a", "1", "true", "on", "~", "x y"]) | tokens, min_size=1,
                 max_size=6, unique=True)
    )  # fmt: skip
    lines = []
    for index, key in enumerate(keys):
        shape = draw(st.sampled_from(["scalar", "list", "flow", "quoted"]))
        if shape == "list":
            lines.append(f"{key}:")
            lines += [f"  - {item}" for item in draw(st.lists(tokens, min_size=1, max_size=3))]
        elif shape == "flow":
            lines.append(f"{key}: {{k: {draw(tokens)}, n: [{draw(tokens)}, {draw(tokens)}]}}")
        elif shape == "quoted":
            lines.append(f"k{index}: '{draw(tokens)}'")  # Quoted: text whatever it says.
        else:
            lines.append(f"{key}: {draw(tokens)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents())
def test_the_quick_path_reads_what_the_full_one_reads(tmp_path: Path, text: str) -> None:
    assert outcome(quick, tmp_path, text) == outcome(full, tmp_path, text)
    if outcome(full, tmp_path, text)[0] == "read":
        found, expected = quick(tmp_path, text), full(tmp_path, text)
        assert (found.marks, found.key_marks) == (expected.marks, expected.key_marks)


@pytest.mark.parametrize("raw", RAW)
@pytest.mark.parametrize(
    "shape", ["{raw}: 1\n", "a: {raw}\n", "a:\n  - {raw}\n", "a: [b, {raw}]\n"]
)
def test_every_kind_of_plain_scalar_reads_the_same(tmp_path: Path, shape: str, raw: str) -> None:
    text = shape.format(raw=raw)
    assert outcome(quick, tmp_path, text) == outcome(full, tmp_path, text)


def test_a_null_is_read_as_none(tmp_path: Path) -> None:
    assert quick(tmp_path, "a: ~\nb: [null]\n").data == {"a": None, "b": [None]}


@given(st.lists(tokens, min_size=1, max_size=8))
def test_each_plain_scalar_gets_the_tag_pyyaml_gives_it(values: list[str]) -> None:
    # Each value twice, so that the second is answered from the loader's memo.
    text = "".join(f"- {value}\n- {value}\n- '{value}'\n" for value in values)
    try:
        theirs = yaml.compose(text, Loader=yaml.SafeLoader)  # The pure-Python resolver.
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            yamlsource._Loader(text).get_single_node()
        return
    ours = yamlsource._Loader(text).get_single_node()
    assert ours is not None
    assert theirs is not None
    assert [n.tag for n in ours.value] == [n.tag for n in theirs.value]


@pytest.mark.parametrize(
    ("text", "data"),
    [
        pytest.param("1: a\n2: b\n", {1: "a", 2: "b"}, id="number keys"),
        pytest.param("on: a\nnull: b\n", {"on": "a", "null": "b"}, id="keys YAML reads as others"),
        pytest.param("a: !!str 12\n", {"a": "12"}, id="explicit text tag"),
        pytest.param("a: !!int '12'\n", {"a": 12}, id="explicit number tag"),
        pytest.param("a: 2024-01-31\n", {"a": "2024-01-31"}, id="date stays text"),
    ],
)
def test_documents_the_quick_path_leaves_alone_read_the_same(
    tmp_path: Path, text: str, data: Any
) -> None:
    assert quick(tmp_path, text).data == data == full(tmp_path, text).data


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("a: 1\nb: 2\na: 3\n", (3, 1), id="duplicate key"),
        pytest.param("a: &x [1]\nb: *x\n", (2, 4), id="alias"),
        pytest.param("a: 1\nb: !!binary aGk=\n", (2, 4), id="tag"),
        pytest.param("a: 1\nb: .nan\n", (2, 4), id="not a JSON number"),
        pytest.param("a: 1\n<<: {b: 2}\n", (2, 1), id="merge key"),
        pytest.param("a: 1\nb: !!str {c: 1}\n", (2, 4), id="text tag on a mapping"),
        pytest.param("a: 1\nb: !!map c\n", (2, 4), id="mapping tag on a scalar"),
        pytest.param("a: " + "[" * 40 + "]" * 40 + "\n", (1, 36), id="too deep"),
        pytest.param("a: 1\nb: !!int abc\n", (2, 4), id="a tag its text does not fit"),
        pytest.param("a: 1\n!!bool maybe: 2\n", (2, 1), id="a key its tag does not fit"),
    ],
)
def test_documents_the_quick_path_leaves_alone_are_reported_with_their_place(
    tmp_path: Path, text: str, where: tuple[int, int]
) -> None:
    with pytest.raises(CatalogError) as caught:
        quick(tmp_path, text)
    with pytest.raises(CatalogError) as expected:
        full(tmp_path, text)
    problems = caught.value.problems
    assert problems == expected.value.problems
    assert (problems[0].line, problems[0].column) == where, problems


def test_places_are_read_when_first_asked_for(tmp_path: Path) -> None:
    source = quick(tmp_path, "a: 1\nb:\n  - x\n  - {c: 2.5}\n")
    assert source._places is None  # A load that reports nothing records no place.
    assert source.marks[("b", 1, "c")] == (4, 9)
    assert source.key_marks[("b",)] == (2, 1)
    assert source.floats == [("b", 1, "c")]
    assert source.problem(("b", 0), "bad").line == 3
