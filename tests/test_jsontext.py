"""Published JSON: the standard library's text, written faster."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zofdocs.jsontext import indented

# What a loaded catalog may hold: the loader refuses infinities and keys that are not text.
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@dataclasses.dataclass
class Stamp:
    value: int


def standard(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def tiny_floats(data: Any) -> bool:
    """Whether data holds a number that the two write in different forms."""
    if isinstance(data, float):
        return data != 0 and abs(data) < 1e-4 and math.isfinite(data)
    if isinstance(data, dict):
        return any(tiny_floats(value) for value in data.values())
    if isinstance(data, list):
        return any(tiny_floats(value) for value in data)
    return False


@settings(max_examples=400, deadline=None)
@given(documents)
def test_the_text_is_the_standard_library_s(data: Any) -> None:
    text = indented(data)
    assert json.loads(text) == data
    if not tiny_floats(data):
        assert text == standard(data)


def test_a_tiny_number_is_the_same_number_written_without_an_exponent() -> None:
    assert indented({"wait": 1e-05}) == '{\n  "wait": 0.00001\n}'
    assert json.loads(indented(1e-05)) == 1e-05


def test_unicode_and_controls_are_written_as_the_standard_library_writes_them() -> None:
    data = {"message": 'Zof — “quoted” \u2028 \x00\x1f\x7f \\ "', "é": ["ß", "日本"]}
    assert indented(data) == standard(data)


def test_a_number_beyond_64_bits_is_written_whole() -> None:
    data = {"id": 2**70, "list": [-(2**64), 1]}
    assert indented(data) == standard(data)
    assert json.loads(indented(data)) == data


@pytest.mark.parametrize("value", [datetime.date(2024, 1, 1), Stamp(1)], ids=["date", "dataclass"])
def test_what_the_standard_library_refuses_is_refused(value: object) -> None:
    with pytest.raises(TypeError, match="is not JSON serializable"):
        indented({"value": value})
