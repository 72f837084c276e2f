"""A page's description: its first paragraph of prose, as escaped plain text."""

from __future__ import annotations

import pytest

from zofdocs.describe import LIMIT, describe


def test_the_first_paragraph_of_prose_is_the_description() -> None:
    markdown = (
        "# Title\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
        "- a list item\n\n"
        "```\ncode\n```\n\n"
        '!!! note "A note"\n\n    Not this.\n\n'
        "{: .lead }\n\n"
        "The **first** paragraph, with `code` and [a link](x.md)\nacross lines.\n\n"
        "The second.\n"
    )
    assert describe(markdown) == "The first paragraph, with code and a link across lines."


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('Say <b onclick="x()">hi</b> & "bye"', "Say hi &amp; &quot;bye&quot;"),
        ("`<script>alert(1)</script>`", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("It's ![an image](i.png) here.", "It&#x27;s  here.".replace("  ", " ")),
        ("# Only a heading\n", ""),
        ("", ""),
    ],
)
def test_markup_goes_and_what_is_left_is_escaped(markdown: str, expected: str) -> None:
    assert describe(markdown) == expected


def test_a_long_paragraph_is_cut_at_a_word() -> None:
    words = " ".join(f"word{n}" for n in range(100))
    description = describe(words)
    assert len(description) <= LIMIT
    assert description.endswith("…")
    assert description.removesuffix("…") in words
    assert words.startswith(description.removesuffix("…") + " ")
