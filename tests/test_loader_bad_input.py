"""Malformed catalogs, glossaries and page text: every message, line and column exactly.

Each case edits a valid catalog and asserts the one message a maintainer would read, the
exit status 2, and that no traceback is printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zofdocs.cli import main
from zofdocs.markdown import yaml_string

# A small valid errors.yml; the cases below edit it. Line numbers in the expected
# messages refer to this text.
MINIMAL = """\
doc_base_url: https://docs.example/
response_shape:
  summary: The error object.
  fields:
    - {name: error.code, type: string, required: true, description: The code.}
  example: {code: bad_thing, message: It went wrong., param: name}
statuses:
  - status: 400
    title: Bad Request
    meaning: The request is wrong.
    retry: {policy: after_change, change: request}
codes:
  - code: bad_thing
    status: 400
    title: Bad thing
    description: Something is bad.
    example: {message: It went wrong., param: name}
    params: [name]
    causes: [A cause.]
    fixes: [A fix.]
    labels: [Admin Center]
    added: "2024-01-01"
common_issues:
  - id: bad-thing-happens
    title: Bad thing happens
    summary: Fix it.
    symptom: A symptom.
    cause: A cause.
    fix: [Do this.]
    statuses: [400]
    codes: [bad_thing]
    labels: [Admin Center]
"""

E = "catalog/errors.yml"

# (id, old text, new text, expected message)
ERRORS_CASES = [
    # Found by tests/test_property_catalogs.py: the exports describe the error object
    # from its fields, and list every code under error.code (a KeyError without it).
    (
        "shape-without-code-field",
        "    - {name: error.code, type: string, required: true, description: The code.}\n",
        "    - {name: error.kind, type: string, required: true, description: The code.}\n",
        f"{E}:5:5: the response shape has no field 'error.code', which every error carries "
        "(hint: add a field with 'name: error.code', 'type: string' and 'required: true')",
    ),
    (
        "shape-field-twice",
        "    - {name: error.code, type: string, required: true, description: The code.}\n",
        "    - {name: error.code, type: string, required: true, description: The code.}\n"
        "    - {name: error.code, type: string, required: true, description: The code.}\n",
        f"{E}:6:14: duplicate field 'error.code' (first at line 5, column 14) "
        "(hint: each field must appear once; merge the two entries)",
    ),
    (
        "shape-code-not-text",
        "    - {name: error.code, type: string, required: true, description: The code.}\n",
        "    - {name: error.code, type: integer, required: true, description: The code.}\n",
        f"{E}:5:32: error.code is 'integer', but every error code is text "
        "(hint: write 'type: string')",
    ),
    (
        "syntax",
        "    title: Bad Request\n",
        "    title: Bad: Request\n",
        f"{E}:9:15: YAML syntax error: mapping values are not allowed in this context "
        "(hint: quote a value that contains ': ', or fix the indentation)",
    ),
    (
        "tab",
        "    title: Bad Request\n",
        "\ttitle: Bad Request\n",
        f"{E}:9:1: YAML syntax error: while scanning a plain scalar found a tab character "
        "that violates indentation (hint: indent with spaces; YAML does not allow tabs)",
    ),
    (
        "duplicate-key",
        "    title: Bad Request\n",
        "    title: Bad Request\n    title: Bad\n",
        f"{E}:10:5: duplicate key 'title' (first at line 9, column 5) "
        "(hint: YAML would silently keep only the last one; remove or rename one)",
    ),
    (
        "unknown-key",
        "    retry: {policy",
        "    retyr: {policy",
        f"{E}:11:5: unknown key 'retyr' in 'statuses[0]' (hint: did you mean 'retry'?)",
    ),
    (
        "missing-key",
        "    meaning: The request is wrong.\n",
        "",
        f"{E}:8:5: 'statuses[0]' is missing the required key 'meaning' (hint: add 'meaning:' "
        "(One line of inline Markdown; raw HTML is shown as text.))",
    ),
    (
        "wrong-type",
        "  - status: 400\n",
        "  - status: four hundred\n",
        f"{E}:8:13: 'statuses[0].status' must be an integer, not a string "
        "(hint: error statuses run from 400 to 599)",
    ),
    (
        "out-of-range",
        "  - status: 400\n",
        "  - status: 700\n",
        f"{E}:8:13: 'statuses[0].status' is 700, outside 400 to 599 "
        "(hint: error statuses run from 400 to 599)",
    ),
    (
        "norway",
        "    title: Bad thing\n",
        "    title: no\n",
        f"{E}:15:12: 'codes[0].title' must be a string, not true/false (hint: put the value "
        "in quotes; unquoted yes, no, on, off, numbers and an empty value are not text in YAML)",
    ),
    (
        "unquoted-colon",
        "    causes: [A cause.]\n",
        "    causes:\n      - Send Accept: json\n",
        f"{E}:20:9: 'codes[0].causes[0]' must be a string, not a mapping "
        "(hint: put text that contains ': ' in quotes)",
    ),
    (
        "code-pattern",
        "  - code: bad_thing\n",
        "  - code: bad__thing\n",
        f"{E}:13:11: 'codes[0].code' is 'bad__thing', which does not match "
        "^[A-Za-z0-9]+([_.-][A-Za-z0-9]+)*$ (hint: use letters and digits, with single '_', "
        "'.' or '-' between them, such as 'invalid_request')",
    ),
    (
        "date-format",
        '    added: "2024-01-01"\n',
        '    added: "2024/01/01"\n',
        f"{E}:22:12: 'codes[0].added' is '2024/01/01', which does not match "
        "^\\d{4}-\\d{2}-\\d{2}$ (hint: write the date as YYYY-MM-DD)",
    ),
    (
        "enum",
        "{policy: after_change, change: request}",
        "{policy: after_chnage, change: request}",
        f"{E}:11:21: 'statuses[0].retry.policy' must be one of: never, after_change, "
        "retry_after, backoff; not 'after_chnage' (hint: did you mean 'after_change'?)",
    ),
    (
        "retry-needs-change",
        "{policy: after_change, change: request}",
        "{policy: after_change}",
        f"{E}:11:12: the retry policy 'after_change' needs 'change' (hint: add 'change:')",
    ),
    (
        "retry-field-not-applicable",
        "{policy: after_change, change: request}",
        "{policy: after_change, change: request, methods: [GET]}",
        f"{E}:11:52: 'methods' does not apply to the retry policy 'after_change' "
        "(hint: remove it, or change the policy)",
    ),
    (
        "unknown-status",
        "    status: 400\n",
        "    status: 418\n",
        [
            f"{E}:8:13: status 400 has no error code "
            "(hint: add a code with 'status: 400', or remove the status)",
            f"{E}:14:13: unknown status 418 for code 'bad_thing' (hint: statuses defined: 400)",
        ],
    ),
    (
        "duplicate-code",
        "common_issues:\n",
        "  - code: bad_thing\n    status: 400\n    title: Again\n    description: Again.\n"
        "    example: {message: Again.}\n    causes: [C.]\n    fixes: [F.]\n    labels: []\n"
        '    added: "2024-01-02"\ncommon_issues:\n',
        f"{E}:23:11: duplicate code 'bad_thing' (first at line 13, column 11) "
        "(hint: each must appear once; merge the two entries)",
    ),
    (
        "label-wrong-spelling",
        "    labels: [Admin Center]\n    added",
        "    labels: [Admin Centre]\n    added",
        f"{E}:21:14: unknown Console label 'Admin Centre' "
        "(hint: write 'Admin Center'; 'Admin Centre' is a known wrong spelling)",
    ),
    (
        "label-typo",
        "    labels: [Admin Center]\n    added",
        "    labels: [Admin Cnter]\n    added",
        f"{E}:21:14: unknown Console label 'Admin Cnter' (hint: did you mean 'Admin Center'?)",
    ),
    (
        "param-not-in-params",
        "    example: {message: It went wrong., param: name}\n",
        "    example: {message: It went wrong., param: nmae}\n",
        f"{E}:17:47: param 'nmae' is not among the params of 'bad_thing' "
        "(hint: add it to the 'params' of 'bad_thing' (name))",
    ),
    (
        "replaced-by-unknown",
        '    added: "2024-01-01"\n',
        '    added: "2024-01-01"\n    deprecated: "2025-01-01"\n    replaced_by: good_thing\n',
        f"{E}:24:18: code 'bad_thing' is replaced by 'good_thing', not a code "
        "(hint: name another code)",
    ),
    (
        "replaced-by-not-deprecated",
        '    added: "2024-01-01"\n',
        '    added: "2024-01-01"\n    replaced_by: bad_thing\n',
        [
            f"{E}:23:18: code 'bad_thing' has 'replaced_by' but is not deprecated "
            "(hint: add 'deprecated: YYYY-MM-DD', or remove 'replaced_by')",
            f"{E}:23:18: code 'bad_thing' is replaced by itself (hint: name another code)",
        ],
    ),
    (
        "shape-example-unknown-code",
        "  example: {code: bad_thing,",
        "  example: {code: bad_thing2,",
        f"{E}:6:19: unknown error code 'bad_thing2' in the response shape example "
        "(hint: did you mean 'bad_thing'?)",
    ),
    (
        "issue-unknown-code",
        "    codes: [bad_thing]\n",
        "    codes: [bad_thnig]\n",
        f"{E}:31:13: unknown error code 'bad_thnig' in common issue 'bad-thing-happens' "
        "(hint: did you mean 'bad_thing'?)",
    ),
    (
        "issue-unknown-status",
        "    statuses: [400]\n",
        "    statuses: [404]\n",
        f"{E}:30:16: unknown status 404 in common issue 'bad-thing-happens' "
        "(hint: statuses defined: 400)",
    ),
    (
        "status-without-code",
        "codes:\n",
        "  - status: 404\n    title: Not Found\n    meaning: Gone.\n"
        "    retry: {policy: never}\ncodes:\n",
        f"{E}:12:13: status 404 has no error code "
        "(hint: add a code with 'status: 404', or remove the status)",
    ),
    (
        "python-tag",
        "    title: Bad thing\n",
        "    title: !!python/object:os.system ls\n",
        f"{E}:15:12: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system' "
        "(hint: only plain text, numbers, true/false and null are allowed; remove the tag)",
    ),
    (
        "not-a-number",
        "    retry: {policy: after_change, change: request}\n",
        "    retry: {policy: backoff, initial_delay_seconds: .nan}\n",
        f"{E}:11:53: '.nan' is not a number JSON can hold "
        "(hint: write a finite number, or quote it to keep it as text)",
    ),
    (
        "infinity",
        "  - status: 400\n    title: Bad Request\n",
        "  - status: -.inf\n    title: Bad Request\n",
        f"{E}:8:13: '-.inf' is not a number JSON can hold "
        "(hint: write a finite number, or quote it to keep it as text)",
    ),
    (
        "tag its text does not fit",
        "  - status: 400\n    title: Bad Request\n",
        "  - status: !!int four hundred\n    title: Bad Request\n",
        f"{E}:8:13: 'four hundred' is not a whole number, as its tag !!int says "
        "(hint: remove the tag, or write a value of that kind)",
    ),
    (
        "alias",
        "    causes: [A cause.]\n    fixes: [A fix.]\n",
        "    causes: &c [A cause.]\n    fixes: *c\n",
        f"{E}:20:12: anchors and aliases are not supported (hint: write the value out)",
    ),
    (
        "merge-key",
        "    retry: {policy: after_change, change: request}\n",
        "    retry: {<<: {policy: never}}\n",
        f"{E}:11:13: merge keys ('<<') are not supported (hint: write the keys out)",
    ),
    (
        "unknown-top-level-key",
        "doc_base_url:",
        "doc_url:",
        [
            f"{E}:1:1: the document is missing the required key 'doc_base_url' (hint: add "
            "'doc_base_url:' (Base URL of the published site; a code's doc_url is this plus "
            "errors/codes/CODE/.))",
            f"{E}:1:1: unknown key 'doc_url' in the document (hint: did you mean 'doc_base_url'?)",
        ],
    ),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def write_minimal(catalog: Path, errors: str) -> None:
    """Put a minimal errors.yml in the fixture catalog.

    Its one common issue is not the one the fixture's pages.yml lists the runbooks' CI
    secrets under, so that declaration goes, as a maintainer would remove it.
    """
    (catalog / "errors.yml").write_text(errors)
    pages = catalog / "pages.yml"
    lines = pages.read_text().splitlines(keepends=True)
    pages.write_text("".join(line for line in lines if "secrets_issue:" not in line))


def run(capsys: pytest.CaptureFixture[str], catalog: Path) -> tuple[int, str]:
    """Validate, then generate over an existing output folder; both must agree.

    A failed generate must leave every file of the output folder as it was.
    """
    name = str(catalog.relative_to(Path.cwd()))
    status = main(["validate", "--catalog", name])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    out = catalog.parent / "out"
    out.mkdir(exist_ok=True)
    (out / "index.md").write_text("the page as it was\n")
    (out / "errors").mkdir(exist_ok=True)
    (out / "errors" / "index.md").write_text("the reference as it was\n")
    before = snapshot(out)
    generated = main(["generate", "--catalog", name, "--no-runbooks", "--out", str(out)])
    again = capsys.readouterr()
    assert "Traceback" not in again.err
    if status:
        assert (generated, again.err) == (status, captured.err)
        assert snapshot(out) == before, "a failed run changed the output folder"
    return status, captured.err


def test_minimal_catalog_is_valid(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_minimal(catalog_dir, MINIMAL)
    status, err = run(capsys, catalog_dir)
    assert (status, err) == (0, "")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [pytest.param(old, new, expected, id=name) for name, old, new, expected in ERRORS_CASES],
)
def test_malformed_errors_file(
    catalog_dir: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    expected: str | list[str],
) -> None:
    assert old in MINIMAL
    write_minimal(catalog_dir, MINIMAL.replace(old, new, 1))
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == (expected if isinstance(expected, list) else [expected])


def test_every_problem_is_reported_at_once(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINIMAL.replace("  - status: 400\n", "  - status: 700\n").replace(
        "    title: Bad thing\n", "    titel: Bad thing\n"
    )
    (catalog_dir / "errors.yml").write_text(text)
    (catalog_dir / "glossary.yml").write_text("areas: {}\nlabels: x\n")
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [
        f"{E}:8:13: 'statuses[0].status' is 700, outside 400 to 599 "
        "(hint: error statuses run from 400 to 599)",
        f"{E}:13:5: 'codes[0]' is missing the required key 'title' "
        "(hint: add 'title:' (A short title in sentence case.))",
        f"{E}:15:5: unknown key 'titel' in 'codes[0]' (hint: did you mean 'title'?)",
        "catalog/glossary.yml:1:8: 'areas' must be a list, not a mapping",
        "catalog/glossary.yml:2:9: 'labels' must be a list, not a string",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "catalog/errors.yml: file is empty "
                     "(hint: see the schema named on line 1)", id="empty"),
        pytest.param(b"- a\n- b\n", "catalog/errors.yml:1:1: the document must be a mapping, "
                     "not a list", id="top-level-list"),
        pytest.param(b"doc_base_url: caf\xe9\n", "catalog/errors.yml:1:18: invalid UTF-8 "
                     "byte 0xe9 (hint: save the file as UTF-8)", id="invalid-utf8"),
        pytest.param(b"a: [1, 2\n", "catalog/errors.yml:2:1: YAML syntax error: while parsing "
                     "a flow sequence did not find expected ',' or ']' (hint: close the '[' "
                     "list, and quote an item that holds ',' or ']')", id="unclosed"),
    ],
)  # fmt: skip
def test_malformed_file_as_a_whole(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    (catalog_dir / "errors.yml").write_bytes(content)
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [expected]


def test_byte_order_mark_is_accepted(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_minimal(catalog_dir, MINIMAL)
    (catalog_dir / "errors.yml").write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert run(capsys, catalog_dir) == (0, "")


def test_missing_file(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (catalog_dir / "pages.yml").unlink()
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [
        "catalog/pages.yml: file not found (hint: create it, or point --catalog at it)"
    ]


def test_billion_laughs_is_refused_quickly(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (catalog_dir / "errors.yml").write_text("\n".join(lines) + "\n")
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines()[0] == (
        f"{E}:2:10: anchors and aliases are not supported (hint: write the value out)"
    )


G = "catalog/glossary.yml"
LABEL = """\
  - label: Widget
    kind: page
    area: Home
    path: Home → Widget
    definition: A widget.
"""

# (id, extra label text appended to the glossary, expected message, line offset)
GLOSSARY_CASES = [
    (
        "duplicate-label",
        LABEL.replace("Widget", "Admin Center"),
        "duplicate label 'Admin Center' (first at line {first}, column 12) "
        "(hint: each must appear once; merge the two entries)",
        (1, 12),
    ),
    (
        "unknown-area",
        LABEL.replace("area: Home", "area: Hoem"),
        "unknown area 'Hoem' for label 'Widget' (hint: did you mean 'Home'?)",
        (3, 11),
    ),
    (
        "path-step-not-a-label",
        LABEL.replace("Home → Widget", "Home → Widgets"),
        "path step 'Widgets' of label 'Widget' is not a label (hint: did you mean 'Widget'?)",
        (4, 11),
    ),
    (
        "path-wrong-separator",
        LABEL.replace("Home → Widget", "Home > Widget"),
        "path 'Home > Widget' of label 'Widget' uses a wrong separator "
        "(hint: join labels with ' → ' (a space, the arrow, a space))",
        (4, 11),
    ),
    (
        "wrong-spelling-is-a-label",
        LABEL + "    wrong_spellings: [Home]\n",
        "'Home' is listed as a wrong spelling of 'Widget', but it is a label itself "
        "(hint: remove it from wrong_spellings)",
        (6, 23),
    ),
    (
        "unknown-kind",
        LABEL.replace("kind: page", "kind: pgae"),
        "'labels[31].kind' must be one of: area, page, view, tile, feature, setting, role, "
        "permission, environment, identifier, concept; not 'pgae' (hint: did you mean 'page'?)",
        (2, 11),
    ),
]


@pytest.mark.parametrize(
    ("extra", "expected", "offset"),
    [pytest.param(extra, exp, off, id=name) for name, extra, exp, off in GLOSSARY_CASES],
)
def test_malformed_glossary(
    catalog_dir: Path,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    expected: str,
    offset: tuple[int, int],
) -> None:
    path = catalog_dir / "glossary.yml"
    text = path.read_text()
    path.write_text(text + extra)
    first = next(
        i + 1 for i, line in enumerate(text.splitlines()) if line == "  - label: Admin Center"
    )
    line = text.count("\n") + offset[0]
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [f"{G}:{line}:{offset[1]}: " + expected.format(first=first)]


def test_a_message_quoting_a_value_stays_on_its_line(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by tests/test_property_catalogs.py: a hint lists the areas as they are, and
    # an area's name may hold a line break, or a terminal's escape sequence.
    path = catalog_dir / "glossary.yml"
    area = '  - name: "Two\\nlines \\e[2J"\n    description: An area.\n'
    text = path.read_text().replace("areas:\n", "areas:\n" + area, 1)
    path.write_text(text + LABEL.replace("area: Home", "area: Nowhere at all"))
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [
        f"{G}:{text.count(chr(10)) + 3}:11: unknown area 'Nowhere at all' for label 'Widget' "
        "(hint: areas: Admin Center, Environments and IDs, Home, Operate, Quality areas, "
        "Two\\nlines \\x1b[2J)"
    ]


def test_unknown_label_in_page_text(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = catalog_dir / "pages.yml"
    text = path.read_text()
    assert "labels: [RBAC, SSO, audit]" in text
    path.write_text(text.replace("labels: [RBAC, SSO, audit]", "labels: [RBAC, Sso, audit]"))
    line = next(i + 1 for i, s in enumerate(text.splitlines()) if "[RBAC, SSO, audit]" in s)
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [
        f"catalog/pages.yml:{line}:24: unknown Console label 'Sso' "
        "(hint: write 'SSO'; 'Sso' is a known wrong spelling)"
    ]


def test_a_replacement_cycle_and_an_impossible_date_are_refused(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalog_dir / "errors.yml"
    text = path.read_text()
    old = '    added: "2024-03-01"\n\n  - code: rate_limited\n'
    assert old in text
    text = text.replace(
        old,
        '    added: "2024-02-30"\n    deprecated: "2026-01-01"\n    replaced_by: rate_limited\n'
        '\n  - code: rate_limited\n    deprecated: "2026-01-01"\n    replaced_by: state_conflict\n',
    )
    path.write_text(text)
    lines = text.splitlines()
    added = lines.index('    added: "2024-02-30"') + 1
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [
        f"catalog/errors.yml:{added}:12: 'codes[5].added' is '2024-02-30', which is not a date "
        "(day is out of range for month) (hint: write a date of the calendar as YYYY-MM-DD)",
        f"catalog/errors.yml:{added + 2}:18: 'replaced_by' runs in a circle: 'state_conflict' "
        "→ 'rate_limited' → 'state_conflict' (hint: let the last code of the chain be current: "
        "remove its 'deprecated' and 'replaced_by')",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("index", "'index' would replace the index page above it (hint: choose another name)"),
        ("Index", "'Index' would replace the index page above it (hint: choose another name)"),
        ("nul", "'nul' cannot be a file name on Windows (hint: choose another name)"),
        ("COM1.x", "'COM1.x' cannot be a file name on Windows (hint: choose another name)"),
        (
            "Rate_Limited",
            "'Rate_Limited' and 'rate_limited' differ only in case, so their pages would be one "
            "file on macOS and Windows (hint: choose names that differ in more than case)",
        ),
    ],
)
def test_a_code_whose_page_would_clash_is_refused(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    path = catalog_dir / "errors.yml"
    text = path.read_text()
    old = "  - code: internal_error\n"
    assert old in text
    # A second code of status 500, so that only the name is wrong.
    entry = f"  - code: {name}\n    status: 500\n    title: Clashing name\n\n"
    path.write_text(text.replace(old, entry + old))
    line = path.read_text().splitlines().index(f"  - code: {name}") + 1
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.splitlines() == [f"catalog/errors.yml:{line}:11: {message}"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "http://github.com/zof-example/docs/issues/new",
        "https://github.com/zof-example/docs/issues/new?template=x",
        "https://github.com/zof-example/docs/issues/new)",
        'https://github.com/zof-example/"docs"/issues/new',
        "https://github.com/zof example/docs",
    ],
)
def test_a_feedback_address_that_is_not_a_plain_https_address_is_refused(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    path = catalog_dir / "pages.yml"
    text = path.read_text()
    old = "    url: https://github.com/zof-example/docs/issues/new\n"
    assert old in text
    path.write_text(text.replace(old, f"    url: {yaml_string(url)}\n"))
    line = next(i + 1 for i, s in enumerate(text.splitlines(keepends=True)) if s == old)
    status, err = run(capsys, catalog_dir)
    assert status == 2
    assert err.startswith(f"catalog/pages.yml:{line}:10: ")
    assert "(hint: write an https address without a query or fragment" in err
