"""Every YAML syntax error comes with a hint that says what usually causes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from zofdocs.cli import main

# (id, the start of errors.yml, the problem's location and hint)
CASES = [
    ("key-indented-less", "codes:\n  - code: a\n    title: x\n   status: 3\n",
     "4:4:", "check the indentation: the keys of a list item line up"),
    ("item-indented-less", "codes:\n  - code: a\n - code: b\n",
     "3:2:", "check the indentation of this line against the one above"),
    ("key-indented-more", "a:\n  b: 1\n    c: 2\n",
     "3:6:", "quote a value that contains ': ', or fix the indentation"),
    ("unquoted-colon", "title: Error: bad thing\n",
     "1:13:", "quote a value that contains ': '"),
    ("hash-in-a-list", "labels: [a, #b]\n",
     "2:1:", "quote a value that starts with '#'"),
    ("tab", "a:\n\tb: 1\n", "2:1:", "indent with spaces; YAML does not allow tabs"),
    ("at-sign", "a: @foo\n", "1:4:", "quote a value that starts with '@'"),
    ("unclosed-double-quote", 'title: "abc\nnext: 1\n',
     "3:1:", "close the quote or bracket that is still open"),
    ("unclosed-single-quote", "title: 'abc\nnext: 1\n",
     "3:1:", "close the quote or bracket that is still open"),
    ("unclosed-bracket", "labels: [a, b\nnext: 1\n",
     "2:5:", "close the '[' list"),
    ("unclosed-brace", "retry: {policy: never\nnext: 1\n",
     "2:5:", "close the '{' mapping"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "where", "hint"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_syntax_error_has_a_hint(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], text: str, where: str, hint: str
) -> None:
    (catalog_dir / "errors.yml").write_text(text)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"catalog/errors.yml:{where} YAML syntax error: "), err
    assert f"(hint: {hint}" in err, err
    assert "Traceback" not in err
