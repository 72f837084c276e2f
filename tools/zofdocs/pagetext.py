"""The typed text of `pages.yml`: what generated pages say that is not per code or label.

The classes mirror `schemas/pages.schema.json`; `page_text` builds them from data the
schema accepted. Templates read them as `page_text.errors.overview` and so on: an
optional section or field that the file leaves out is `None` (or an empty tuple for a
list), never a missing key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

__all__ = [
    "ErrorsText",
    "Helpful",
    "HomeStart",
    "HomeText",
    "IntroPage",
    "LabelSection",
    "NewIssue",
    "OnboardingText",
    "PageText",
    "RunbookNeeds",
    "RunbooksText",
    "Step",
    "StepSection",
    "Surface",
    "SurfaceGroup",
    "Tile",
    "View",
    "page_text",
]


@dataclass(frozen=True)
class Step:
    """A numbered step with its sub-steps.

    Attributes:
        title: What the step achieves.
        steps: What to do, in order.
    """

    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class IntroPage:
    """A page introduced by a title, a one-line summary and a paragraph.

    Attributes:
        title: The page's title.
        summary: One line on the page, used as its description.
        intro: The opening paragraph.
    """

    title: str
    summary: str
    intro: str


@dataclass(frozen=True)
class RunbookNeeds:
    """What team runbooks and team onboarding pages name from the catalog.

    `pages.yml` declares it under `runbooks`, and the loader checks each name against
    the glossary and the common issues, so that a catalog that loads always renders its
    runbooks. Every field may be empty: a catalog that declares nothing, such as an
    imported one, still gets runbooks, without the sentences that need the name.

    Attributes:
        projects: The Console label where project and environment IDs are.
        access: The label where members and their roles are checked.
        keys: The label where API keys are checked.
        runs: The label where runs are checked after a fix.
        account: What automation runs as, such as `service account`.
        roles: The roles that let automation do its work.
        permission: The permission those roles grant.
        secrets_issue: The common issue under which a team's CI secrets are listed.
    """

    projects: str | None = None
    access: str | None = None
    keys: str | None = None
    runs: str | None = None
    account: str | None = None
    roles: tuple[str, ...] = ()
    permission: str | None = None
    secrets_issue: str | None = None


@dataclass(frozen=True)
class RunbooksText(IntroPage):
    """The Runbooks index, and what every team runbook names from the catalog.

    Attributes:
        guide: A hand-written page on how teams create and update runbooks, if any.
        needs: The names runbooks take from the catalog.
    """

    guide: str | None = None
    needs: RunbookNeeds = RunbookNeeds()


@dataclass(frozen=True)
class LabelSection:
    """A section that explains Console labels.

    Attributes:
        title: The section's heading.
        intro: Its opening paragraph.
        labels: The labels it explains, each in the glossary.
    """

    title: str
    intro: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class StepSection:
    """A section of numbered steps.

    Attributes:
        title: The section's heading.
        intro: Its opening paragraph.
        steps: The steps.
    """

    title: str
    intro: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ErrorsText:
    """The text of the Errors reference, section by section as the seed page has it.

    Attributes:
        section: The name of the part of the site it belongs to.
        title: The page's title.
        summary: One line on the page.
        overview: The overview paragraph.
        audience: Who should read it.
        when_to_use: When to use the workflow.
        procedure: The step-by-step procedure.
        best_practices: Best practices.
    """

    section: str
    title: str
    summary: str
    overview: str
    audience: tuple[str, ...] = ()
    when_to_use: tuple[str, ...] = ()
    procedure: tuple[Step, ...] = ()
    best_practices: tuple[str, ...] = ()


@dataclass(frozen=True)
class OnboardingText:
    """The text of the onboarding page.

    Attributes:
        title: The page's title.
        summary: One line on the page.
        terms: The Console terms a new member meets first.
        roles: The roles they may hold.
        first_integration: The first integration, step by step.
        when_it_fails: What to do when it fails.
    """

    title: str
    summary: str
    terms: LabelSection
    roles: LabelSection
    first_integration: StepSection
    when_it_fails: StepSection


@dataclass(frozen=True)
class SurfaceGroup:
    """A group of Console labels on the home page's operational surface.

    Attributes:
        title: The group's name.
        labels: Its labels.
        caption: One line on the group.
    """

    title: str
    labels: tuple[str, ...]
    caption: str


@dataclass(frozen=True)
class Tile:
    """A tile of the Console's home view.

    Attributes:
        label: The tile's Console label.
        value: The value it shows.
        detail: What the value means.
        window: The time window it covers, if any.
    """

    label: str
    value: str
    detail: str
    window: str | None = None


@dataclass(frozen=True)
class View:
    """The Console's home view, as the home page pictures it.

    Attributes:
        environment: The environment it shows (a label).
        state: The state it is in.
        path: The Console path to it.
        description: What it shows.
        caption: The caption under it.
        tiles: Its tiles.
    """

    environment: str
    state: str
    path: str
    description: str
    caption: str
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class Surface:
    """The operational surface section of the home page.

    Attributes:
        number: Its section number, as the seed shows it.
        title: Its heading.
        tagline: Its tagline.
        intro: Its opening paragraph.
        groups: The groups of labels.
        view: The Console's home view.
    """

    number: str
    title: str
    tagline: str
    intro: str
    groups: tuple[SurfaceGroup, ...]
    view: View


@dataclass(frozen=True)
class HomeStart:
    """The home page's entry cards: one line for each page they lead to.

    Attributes:
        errors: The Errors reference's card.
        onboarding: The onboarding page's card, if any.
        glossary: The glossary's card, if any.
        issues: The common issues' card, if any.
    """

    errors: str
    onboarding: str | None = None
    glossary: str | None = None
    issues: str | None = None


@dataclass(frozen=True)
class HomeText:
    """The text of the home page.

    Attributes:
        title: The page's title.
        summary: One line on the site.
        start: The entry cards.
        surface: The operational surface section, if any.
    """

    title: str
    summary: str
    start: HomeStart
    surface: Surface | None = None


@dataclass(frozen=True)
class NewIssue:
    """Where a reader opens an issue about a page: the feedback link's target.

    Attributes:
        url: The issue tracker's address for a new issue, such as
            `https://github.com/OWNER/REPO/issues/new`.
        link: The link's text.
    """

    url: str
    link: str

    def url_for(self, title: str, path: str) -> str:
        """The address of a new issue about one page, its title and body filled in.

        GitHub, Gitea and Forgejo read `title` and `body` from the query. The schema
        allows no query, fragment, space, quote or bracket in `url`, and every character
        of the query is percent-encoded, so the address is safe in a Markdown link.

        Args:
            title: The page's title.
            path: The page's path below the site's URL, such as `errors/codes/rate_limited/`.

        Returns:
            The address.
        """
        query = urlencode(
            {
                "title": f"Docs feedback: {title}",
                "body": f"Page: /{path}\n\nWhat was missing or unclear?\n",
            },
            quote_via=quote,
        )
        return f"{self.url}?{query}"


@dataclass(frozen=True)
class Helpful:
    """The "Was this page helpful?" section at the end of pages.

    Attributes:
        question: The question.
        prompt: What to do about it.
        new_issue: Where the section's link opens an issue about the page; without it,
            the section asks its question and gives the prompt alone.
    """

    question: str
    prompt: str
    new_issue: NewIssue | None = None


@dataclass(frozen=True)
class PageText:
    """Everything `pages.yml` says; a page whose section is absent is not generated.

    Attributes:
        errors: The Errors reference.
        codes: The Error codes index.
        home: The home page.
        helpful: The closing question of pages.
        issues: The common issues index.
        runbooks: The runbooks index.
        checks: The checker's rules page.
        glossary: The glossary.
        onboarding: The onboarding page.
    """

    errors: ErrorsText
    codes: IntroPage
    home: HomeText
    helpful: Helpful
    issues: IntroPage | None = None
    runbooks: RunbooksText | None = None
    checks: IntroPage | None = None
    glossary: IntroPage | None = None
    onboarding: OnboardingText | None = None


def _helpful(data: dict[str, Any]) -> Helpful:
    new_issue = data.get("new_issue")
    return Helpful(
        data["question"],
        data["prompt"],
        NewIssue(new_issue["url"], new_issue["link"]) if new_issue else None,
    )


def _steps(items: list[dict[str, Any]]) -> tuple[Step, ...]:
    return tuple(Step(item["title"], tuple(item["steps"])) for item in items)


def _intro(data: dict[str, Any] | None) -> IntroPage | None:
    return IntroPage(data["title"], data["summary"], data["intro"]) if data else None


def _runbooks(data: dict[str, Any] | None) -> RunbooksText | None:
    if data is None:
        return None
    console, automation = data.get("console", {}), data.get("automation", {})
    needs = RunbookNeeds(
        projects=console.get("projects"),
        access=console.get("access"),
        keys=console.get("keys"),
        runs=console.get("runs"),
        account=automation.get("account"),
        roles=tuple(automation.get("roles", ())),
        permission=automation.get("permission"),
        secrets_issue=data.get("secrets_issue"),
    )
    return RunbooksText(data["title"], data["summary"], data["intro"], data.get("guide"), needs)


def _labels(data: dict[str, Any]) -> LabelSection:
    return LabelSection(data["title"], data["intro"], tuple(data["labels"]))


def _step_section(data: dict[str, Any]) -> StepSection:
    return StepSection(data["title"], data["intro"], _steps(data["steps"]))


def _surface(data: dict[str, Any] | None) -> Surface | None:
    if not data:
        return None
    view = data["view"]
    return Surface(
        data["number"],
        data["title"],
        data["tagline"],
        data["intro"],
        tuple(SurfaceGroup(g["title"], tuple(g["labels"]), g["caption"]) for g in data["groups"]),
        View(
            view["environment"],
            view["state"],
            view["path"],
            view["description"],
            view["caption"],
            tuple(
                Tile(t["label"], t["value"], t["detail"], t.get("window")) for t in view["tiles"]
            ),
        ),
    )


def page_text(data: dict[str, Any]) -> PageText:
    """Build the typed page text from `pages.yml` data that the schema accepted.

    Args:
        data: The file's data.

    Returns:
        The page text.
    """
    errors, home = data["errors"], data["home"]
    onboarding = data.get("onboarding")
    codes = _intro(data["codes"])
    assert codes is not None  # Required by the schema.
    return PageText(
        errors=ErrorsText(
            errors["section"],
            errors["title"],
            errors["summary"],
            errors["overview"],
            tuple(errors.get("audience", ())),
            tuple(errors.get("when_to_use", ())),
            _steps(errors.get("procedure", [])),
            tuple(errors.get("best_practices", ())),
        ),
        codes=codes,
        home=HomeText(
            home["title"],
            home["summary"],
            HomeStart(**home["start"]),
            _surface(home.get("surface")),
        ),
        helpful=_helpful(data["helpful"]),
        issues=_intro(data.get("issues")),
        runbooks=_runbooks(data.get("runbooks")),
        checks=_intro(data.get("checks")),
        glossary=_intro(data.get("glossary")),
        onboarding=OnboardingText(
            onboarding["title"],
            onboarding["summary"],
            _labels(onboarding["terms"]),
            _labels(onboarding["roles"]),
            _step_section(onboarding["first_integration"]),
            _step_section(onboarding["when_it_fails"]),
        )
        if onboarding
        else None,
    )
