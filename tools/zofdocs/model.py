"""The typed model of the sources of truth: catalog, glossary and page text.

These classes mirror the JSON Schemas field for field (a test keeps them in step); the
loader in `zofdocs.catalog` builds them only from data the schemas accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from zofdocs.layout import area_anchor, code_page, code_url, issue_page, label_anchor, status_anchor
from zofdocs.pagetext import PageText

__all__ = [
    "Area",
    "Catalog",
    "CommonIssue",
    "ErrorCode",
    "Example",
    "Glossary",
    "Label",
    "ResponseField",
    "ResponseShape",
    "RetryKind",
    "RetryPolicy",
    "Severity",
    "Sources",
    "Status",
]

RetryKind = Literal["never", "after_change", "retry_after", "backoff"]
"""How a client may retry: never, after changing something, after `Retry-After`, backoff."""
Severity = Literal["error", "warning", "success"]
"""How an imported catalog grades a code (Twilio's log level, PostgreSQL's E/W/S)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Whether and when a client may retry a failed request.

    Attributes:
        policy: `never`, `after_change`, `retry_after` or `backoff`.
        change: With `after_change`, what must change first.
        methods: With `backoff`, the HTTP methods that may be retried.
        max_attempts: Attempts in all, the first included, when retrying is allowed.
        initial_delay_seconds: With `backoff`, the first wait, doubled after each attempt.
    """

    policy: RetryKind
    change: str | None = None
    methods: tuple[str, ...] = ()
    max_attempts: int | None = None
    initial_delay_seconds: float | None = None


@dataclass(frozen=True)
class Status:
    """An HTTP status the API returns.

    Attributes:
        status: The number, such as 429.
        title: The reason phrase, such as `Too Many Requests`.
        meaning: What it means for a Zof client.
        retry: Its retry policy, which codes inherit unless they set their own; None
            when the catalog gives none.
    """

    status: int
    title: str
    meaning: str
    retry: RetryPolicy | None = None

    @property
    def anchor(self) -> str:
        """The stable anchor of the status on the Errors reference."""
        return status_anchor(self.status)


@dataclass(frozen=True)
class Example:
    """The message and param of an example error response.

    Attributes:
        message: The human-readable message.
        param: The parameter at fault, if any.
    """

    message: str
    param: str | None = None


@dataclass(frozen=True)
class ErrorCode:
    """A machine error code, as `error.code` carries it.

    Zof's own codes fill every field but the imported ones (`group` to `details`, and
    `updated`); a catalog imported from elsewhere may hold little more than code and
    title, and every page and export says only what the catalog holds.

    Attributes:
        code: The code, such as `invalid_request`, or `20404` in an imported catalog.
        title: A short title.
        status: Its HTTP status, if the catalog has HTTP statuses.
        description: What it means: Markdown paragraphs and lists.
        example: An example message and param.
        params: Parameters `error.param` can name for this code.
        causes: Likely causes.
        fixes: Fixes, in the order to try them.
        retry: Its own retry policy, or its status's; None when the catalog gives none.
        labels: Console labels involved.
        added: When it was introduced (YYYY-MM-DD).
        updated: When its source last changed it.
        deprecated: When it was deprecated, if it was.
        replaced_by: The code to use instead, if deprecated.
        group: The product, section or class it belongs to.
        severity: `error`, `warning` or `success`, where the source says.
        aliases: Other names of the code, such as a condition name.
        details: Longer Markdown from the source's own documentation.
    """

    code: str
    title: str
    status: Status | None = None
    description: str | None = None
    example: Example | None = None
    params: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    retry: RetryPolicy | None = None
    labels: tuple[Label, ...] = ()
    added: str | None = None
    updated: str | None = None
    deprecated: str | None = None
    replaced_by: str | None = None
    group: str | None = None
    severity: Severity | None = None
    aliases: tuple[str, ...] = ()
    details: str | None = None

    @property
    def page(self) -> str:
        """The page's path in the docs; its URL never changes."""
        return code_page(self.code)

    @property
    def url_path(self) -> str:
        """The page's URL path below the site root, as a `doc_url` carries it."""
        return code_url(self.code)

    def response(self) -> dict[str, Any] | None:
        """The example error response as JSON data.

        Returns:
            `{"error": {"code": ..., "message": ..., "param": ...}}`, param when set;
            None when the code has no example.
        """
        if self.example is None:
            return None
        error: dict[str, Any] = {"code": self.code, "message": self.example.message}
        if self.example.param is not None:
            error["param"] = self.example.param
        return {"error": error}


@dataclass(frozen=True)
class CommonIssue:
    """A troubleshooting entry: symptom, cause and fix.

    Attributes:
        id: The page's file name.
        title: The symptom as a reader would say it.
        summary: The fix in one line.
        symptom: What the reader sees.
        cause: Why it happens.
        fix: The steps that fix it.
        statuses: The statuses involved.
        codes: The codes involved.
        labels: The Console labels involved.
    """

    id: str
    title: str
    summary: str
    symptom: str
    cause: str
    fix: tuple[str, ...]
    statuses: tuple[Status, ...]
    codes: tuple[ErrorCode, ...]
    labels: tuple[Label, ...]

    @property
    def page(self) -> str:
        """The page's path in the docs."""
        return issue_page(self.id)


@dataclass(frozen=True)
class ResponseField:
    """A field of the error object.

    Attributes:
        name: A dotted path such as `error.code`.
        type: Its JSON type.
        required: Whether every error carries it.
        description: What it holds.
    """

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class ResponseShape:
    """The JSON error object every error response carries.

    Attributes:
        summary: One paragraph on the shape.
        fields: Its fields.
        example: The example error object.
    """

    summary: str
    fields: tuple[ResponseField, ...]
    example: dict[str, Any]


@dataclass(frozen=True)
class Area:
    """A part of the Console, under which the glossary groups labels.

    Attributes:
        name: The area's name.
        description: What lives there.
    """

    name: str
    description: str

    @property
    def anchor(self) -> str:
        """The area's anchor on the glossary page."""
        return area_anchor(self.name)


@dataclass(frozen=True)
class Label:
    """A Console label, spelled as the Console shows it.

    Attributes:
        label: The exact spelling.
        kind: What sort of thing it names.
        area: The area of the Console it lives in.
        path: The Console navigation path to it, if it has one.
        definition: One line on what it is.
        expansion: What an abbreviation stands for.
        wrong_spellings: Spellings to reject in favour of this one.
    """

    label: str
    kind: str
    area: str
    path: str | None
    definition: str
    expansion: str | None = None
    wrong_spellings: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The label's stable anchor on the glossary page."""
        return label_anchor(self.label)


@dataclass(frozen=True)
class Glossary:
    """The Console label glossary.

    Attributes:
        areas: The areas, in display order.
        labels: Every label, in file order.
    """

    areas: tuple[Area, ...]
    labels: tuple[Label, ...]
    by_label: dict[str, Label] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_label", {label.label: label for label in self.labels})

    def in_area(self, area: str) -> list[Label]:
        """The labels of one area, sorted case-insensitively.

        Args:
            area: An area's name.

        Returns:
            Its labels.
        """
        return sorted(
            (label for label in self.labels if label.area == area),
            key=lambda label: (label.label.casefold(), label.label),
        )


@dataclass(frozen=True)
class Catalog:
    """The error catalog.

    Attributes:
        doc_base_url: Base URL of the published site.
        response_shape: The error object's shape, if the catalog describes it.
        statuses: Every HTTP status, in catalog order.
        codes: Every error code, in catalog order.
        common_issues: Every common issue, in catalog order.
    """

    doc_base_url: str
    response_shape: ResponseShape | None
    statuses: tuple[Status, ...]
    codes: tuple[ErrorCode, ...]
    common_issues: tuple[CommonIssue, ...]

    def groups(self) -> list[tuple[str, list[ErrorCode]]]:
        """The codes that have a group, by group, in order of first appearance.

        Returns:
            Each group's name with its codes, in catalog order.
        """
        groups: dict[str, list[ErrorCode]] = {}
        for code in self.codes:
            if code.group is not None:
                groups.setdefault(code.group, []).append(code)
        return list(groups.items())

    def ungrouped(self) -> list[ErrorCode]:
        """The codes that have neither a status nor a group, in catalog order.

        Returns:
            The codes.
        """
        return [code for code in self.codes if code.status is None and code.group is None]

    def codes_for(self, status: Status) -> list[ErrorCode]:
        """The codes of one status, in catalog order.

        Args:
            status: A status of this catalog.

        Returns:
            Its codes.
        """
        return [code for code in self.codes if code.status == status]

    def issues_for(self, code: ErrorCode) -> list[CommonIssue]:
        """The common issues that involve a code.

        Args:
            code: A code of this catalog.

        Returns:
            The issues, in catalog order.
        """
        return [issue for issue in self.common_issues if code in issue.codes]

    def doc_url(self, code: ErrorCode) -> str:
        """The absolute URL of a code's page, as an error response can carry it.

        Args:
            code: A code of this catalog.

        Returns:
            The URL.
        """
        return self.doc_base_url + code.url_path


@dataclass(frozen=True)
class Sources:
    """Everything the generator reads: catalog, glossary and page text.

    Attributes:
        catalog: The error catalog.
        glossary: The Console label glossary.
        pages: The text of generated pages that is not per code or label.
        files: The files the sources were read from, for `mkdocs serve` to watch.
    """

    catalog: Catalog
    glossary: Glossary
    pages: PageText
    files: tuple[str, ...] = ()
