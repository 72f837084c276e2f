"""Sentences and word lists that `check_quality` builds its seeded pages from.

Written like the operations docs the checker reads: short imperative sentences, a
few UI names in bold, links to other pages. Every template holds one slot, `{}`,
with words before it, so that a label put there never starts a sentence (a
capitalised label at a sentence start is not a case error). The filler and the
templates name no label of the shipped glossary in a case of their own; for any
other catalog, `check_quality` drops those that name one of its labels in another
case or one of its wrong spellings.
"""

from __future__ import annotations

FILLER: tuple[str, ...] = (
    "Each deploy is tagged with the commit it was built from.",
    "Keep the change small so that a rollback stays cheap.",
    "The on-call engineer owns the first response.",
    "Write the ticket number in the change description.",
    "Most of these steps take less than a minute.",
    "If you are unsure, ask in the team channel before you change anything.",
    "Logs are kept for thirty days and then deleted.",
    "The nightly job finishes before the morning stand-up.",
    "Alerts fire only after the same failure repeats three times.",
    "Record what you changed and why, so the next person can follow it.",
    "The client library retries idempotent calls on its own.",
    "Do not paste secrets into chat or tickets.",
    "A green build does not mean that the release is ready.",
    "Check the timestamps first: the clock on your laptop may be off.",
    "You need permission to change these settings.",
    "Changes made here take effect within five minutes.",
    "Select **Save** when you are done.",
    "Use **Copy** to put the value on your clipboard.",
    "Select **Revoke** to stop a credential from working at once.",
    "After a rotation, update every client that used the old secret.",
    "The old value keeps working for one hour after you rotate it.",
    "If a step fails, stop and open an incident instead of trying again.",
    "Most teams run this check on every pull request.",
    "For a quick look, the summary at the top is enough.",
    "This page is for engineers who operate the integration day to day.",
    "The defaults suit most teams; change them only with a reason.",
    "Every request is traced, and the trace header is in the response.",
    "Rate limits apply per credential, not per user.",
    "When traffic drops, the limits reset on their own.",
    "Nothing here deletes data, so it is safe to try.",
    "Ask a teammate to review the change before it goes out.",
    "The pipeline stops at the first failing step.",
    "Old results stay visible, so you can compare two runs side by side.",
    "Failed tests are retried once before the build is marked red.",
    "The schedule for the nightly regression is set by each team.",
    "Higher risk changes need a second reviewer.",
    "The team reviews open incidents every Monday.",
    "Keep the runbook next to the code it describes.",
    "Use a separate credential for each environment.",
    "Copy the identifier exactly, since it is case-sensitive.",
    "A typo in a header name is the most common cause.",
    "If the response is slow, the service may be warming up.",
    "The request body must be valid JSON.",
    "Send the request again only after you have fixed its body.",
    "We publish a changelog entry for every breaking change.",
    "Read the message, but branch on the code.",
    "Never parse the human-readable message, because its wording may change.",
    "Timeouts are set to thirty seconds by default.",
    "Wait at least a second before the first retry, then double the wait.",
    "The response includes a header that says how long to wait.",
    "Your admin can grant the permission you are missing.",
    "Real customer traffic is never used for load tests.",
    "See [the release notes](../changes.md) for what changed this month.",
    "The [incident checklist](../incidents/checklist.md) lists who to call.",
    "Set `timeout` in the client configuration if calls are slow.",
    "Press **Enter** to confirm, or **Esc** to close the dialog.",
    "Click **New** in the top right corner to start.",
    "Use the search box to filter the list by name.",
    "The list is sorted by the time of the last change.",
    "When in doubt, leave the setting as it is.",
    "A short outage is cheaper than a wrong fix.",
    "Each team decides how often it rotates its credentials.",
    "Everything on this page also works from the command line.",
    "Save a copy of the output before you retry.",
    "The banner at the top says when the data was last refreshed.",
    "Tests that fail twice in a row are flagged as flaky.",
    "Keep one window open on the logs while you work.",
)
"""Sentences with no slot, between the ones that hold a mistake or a correct use."""

HEADINGS: tuple[str, ...] = (
    "Before you begin",
    "Rotate a credential",
    "Troubleshooting",
    "When a request fails",
    "Day-to-day checks",
    "Set up a new project",
    "Hand over to the next shift",
    "What to check first",
    "Clean up",
    "Escalate",
    "Known issues",
    "Reference",
)

ADMONITIONS: tuple[tuple[str, str], ...] = (
    ("note", "Before you start"),
    ("tip", "Saves a round trip"),
    ("warning", "Read this first"),
    ("info", "Why this matters"),
    ("note", "On call"),
    ("danger", "Cannot be undone"),
)
"""Admonition kinds and titles (`!!! note "Before you start"`)."""

LINK_TARGETS: tuple[str, ...] = (
    "../console/overview.md",
    "../guides/access.md",
    "../reference/index.md#console",
    "../errors/index.md",
    "../runbooks/platform.md",
)

UI_TEMPLATES: tuple[str, ...] = (
    "To review the results, open {} in the Console.",
    "You can find the current state on the {} page.",
    "Go to {} and select the project you want to change.",
    "The numbers shown in {} refresh every few minutes.",
    "If nothing appears there, reload {} after a minute.",
    "Members with the right role see {} in the navigation.",
    "Open {} to check what changed since the last release.",
    "When the branch is green, {} shows no warnings.",
    "The link in the alert takes you straight to {} in the Console.",
    "From the sidebar, choose {} and wait for the list to load.",
)
"""Sentences whose slot names a place in the Console: a reader sees the label as UI text."""

ANY_TEMPLATES: tuple[str, ...] = (
    "For more on {}, see the glossary.",
    "The section on {} explains the defaults.",
    "Questions about {} go to the platform team.",
    "This change does not affect {} in any way.",
    "Before you touch {}, read the whole runbook.",
    "Support may ask about {} when you report a problem.",
    "We describe {} in more detail below.",
    "Nothing in this guide changes {} for other teams.",
)
"""Sentences whose slot takes any noun phrase."""

START_TEMPLATES: tuple[str, ...] = (
    "{} is described in the glossary.",
    "{} works the same way in every region.",
    "{} comes up again in the next section.",
)
"""Sentences that start with the slot: for correct uses only, capitalised."""

CELL_TEMPLATES: tuple[str, ...] = (
    "Open {}",
    "Look under {}",
    "Go to {} first",
    "Ask about {} in chat",
    "Check {} again",
)
"""Table cells with a label or a path in them."""

TASKS: tuple[str, ...] = (
    "Rotate a credential",
    "Find a failing check",
    "Add a teammate",
    "Review last night's results",
    "Change a setting",
    "Report a problem",
    "Retry a request",
    "Hand over the shift",
)
"""First cells of the tables: what the row is for."""

PATH_TEMPLATES: tuple[str, ...] = (
    "To get there, go to {} in the Console.",
    "You can change it under {} at any time.",
    "The setting lives at {} and applies to the whole team.",
    "Then open {} and look for the entry you need.",
)

CODE_TEMPLATES: tuple[str, ...] = (
    "If the response carries {}, fix the request before you retry.",
    "A client that receives {} should log the message and stop.",
    "We alert on {} only when it repeats for five minutes.",
    "The SDK raises an exception for {} with the message attached.",
    "Branch on {} rather than on the message text.",
    "The dashboards count every {} separately.",
)

CODE_CELLS: tuple[str, ...] = (
    "Branch on {}",
    "Log {} and stop",
    "Expect {} here",
)

STATUS_TEMPLATES: tuple[str, ...] = (
    "The API answers {} when the credential has expired.",
    "Expect a {} if the project was deleted in the meantime.",
    "A request that fails with {} can be retried after a pause.",
    "Monitoring pages the on-call engineer on every {} it sees.",
    "The gateway logs a {} for each rejected call.",
)

STATUS_CELLS: tuple[str, ...] = (
    "Expect {}",
    "Retry on {} later",
    "Answers {}",
)

PLAIN_IDENTIFIERS: tuple[str, ...] = (
    "request_id",
    "retry_after",
    "max_attempts",
    "created_at",
    "page_size",
    "next_cursor",
    "user_agent",
    "dry_run",
)
"""Ordinary snake_case names a page shows in inline code; they are not error codes."""

SPELLINGS: tuple[tuple[str, str], ...] = (
    ("center", "centre"),
    ("centers", "centres"),
    ("color", "colour"),
    ("colors", "colours"),
    ("behavior", "behaviour"),
    ("favorite", "favourite"),
    ("favorites", "favourites"),
    ("honor", "honour"),
    ("labor", "labour"),
    ("flavor", "flavour"),
    ("catalog", "catalogue"),
    ("catalogs", "catalogues"),
    ("dialog", "dialogue"),
    ("analog", "analogue"),
    ("license", "licence"),
    ("defense", "defence"),
    ("offense", "offence"),
    ("canceled", "cancelled"),
    ("canceling", "cancelling"),
    ("labeled", "labelled"),
    ("labeling", "labelling"),
    ("modeling", "modelling"),
    ("traveled", "travelled"),
    ("gray", "grey"),
    ("fulfill", "fulfil"),
    ("enroll", "enrol"),
    ("enrollment", "enrolment"),
    ("judgment", "judgement"),
    ("aging", "ageing"),
    ("program", "programme"),
    ("meter", "metre"),
    ("theater", "theatre"),
    ("fiber", "fibre"),
)
"""American and British spellings, word for word; `-ize`/`-ise` and kin are derived."""

IZE_EXCEPTIONS: frozenset[str] = frozenset(
    {"size", "seize", "prize", "capsize", "resize", "downsize", "oversize"}
)
"""Words ending in -ize that have no -ise spelling."""

UNCOUNTABLE: frozenset[str] = frozenset(
    {
        "access",
        "audit",
        "billing",
        "coverage",
        "data",
        "home",
        "information",
        "operate",
        "production",
        "security",
        "software",
        "staging",
        "traffic",
    }
)
"""Last words of a label that have no other number a writer would use."""

_COMMON = """
    a able about above accept access account act action active actor actual add admin
    after again against age agent ago agree ahead aid aim air alert alike all allow
    almost alone along also alter always am among an and angle animal answer any apart
    app apply april area areas argue arm army around arrive art as ask at ate attack
    audit august author auto avoid away back bad bag ball ban band bank bar base basic
    basis be bear beat bed been before began begin being below best bet better between
    beyond big bill bin bind bird bit black blame blank block blue board boat body bold
    bond bone book boot born boss both bottom bound box boy brain branch brand bread
    break bring broad brown buck bug build built burn bus busy but buy by cage call came
    camp can cap car card care careful carry case cash cast cat catch cause cell center
    central chain chair chance change chart chat cheap check chief child choice chose
    circle cite city claim class clean clear click client climb clock close cloud club
    coat code cold come common company cone control cook cool cop copy core corn cost
    count country course court cover coverage crash create credit crew cron cross crowd
    cry cup current custom cut cycle dad daily damage dance dark data date day dead deal
    dear debt deep delay deny desk detail die diet dig dim dinner dirt dish do doctor
    does dog done door dot double down draft draw dream dress drink drive drop dry due
    dust duty each ear early earn east easy eat edge edit effect egg eight either else
    end enemy enter entry equal error even event ever every exact exam exit expect eye
    face fact fail fair fall false fan far farm fast fat father fear feed feel fell few
    field fight file fill film final find fine finger fire firm first fish fit five fix
    flag flat flow fly focus fold folk follow food foot for force form forth found four
    free fresh friend from front fruit full fun fund gain game gap gas gate gave gear
    get gift girl give glad go goal god gold gone good got grade grand grant grass gray
    great green grew ground group grow guard guess guest guide gun guy had hair half
    hall hand hang happy hard harm has hat hate have he head hear heart heat heavy held
    help her here hero hide high hill him hint his hit hold hole home hook hope horse
    host hot hour house how huge human hurt ice idea if ill image in inch index inner
    input into iron is issue it item its job join joke joy judge jump just keep key
    keys kid kill kind king kit knee knew know lab lack lady laid lake land lane large
    last late later law lay lead leaf lean learn least leave led left leg less let
    letter level lid lie life lift light like limit line link lip list live load loan
    local lock log long look loose lord lose loss lost lot loud love low luck lunch
    made mail main major make male man many map mark market mass master match matter
    may me meal mean meat meet member men menu mere met middle might mile milk mind mine
    minor miss mix mode model mom money month mood moon more most mother move much must
    my name near neck need net never new news next nice night nine no node none nor
    normal north nose not note now number nurse nut oak object odd of off offer office
    often oil old on once one only open option or order other our out oven over own
    owner pace pack page paid pain pair pan panel paper par park part party pass past
    path pay peak pen people per pet phone pick pie piece pig pin pipe place plan plane
    plant plate play plot plus point pole policy pool poor pop port pose post pot pour
    power press price print prize prod project proof proper pull push put quality
    quarter queen query quick quiet quit quite race rain raise ran range rank rare rate
    rather raw reach read ready real rear reason record red rely remote rent repair
    report rest result return rich ride right ring rise risk river road rock role roll
    roof room root rose round row rule run runs rush safe said sail sale salt same sand
    save saw say scale scan scene school score screen sea seat second secret section
    see seed seek seem seen self sell send sense sent series serve server service set
    seven shape share she shift ship shop short shot should show shut sick side sight
    sign signal silent silver simple since sing single sink sir sit site six size skill
    skin sky sleep slide slip slow small smart smile snow so soft soil sold some son
    song soon sort sound source south space span spare speak spec specs speed spend
    spent spin spot spread spring staff stage staging stand star start state stay step
    stick still stock stone stood stop store storm story street strong study stuff style
    such suit sum sun sure swim table tail take talk tall tank tap target task taste tax
    tea teach team tear tell ten tend tenant term test tests text than thank that the
    their them then there these they thin thing think this those though three throw tie
    till time tiny tip tire title to today toe together told tone too took tool top
    total touch tour town track trade train trap tree trial trip true trust truth try
    tune turn twin two type uncle under unit until up upon us use user usual valley
    value van vast very view visit voice vote wage wait walk wall want war warm was wash
    watch water wave way we weak wear week weight well went were west wet what wheel
    when where which while white who whole why wide wife wild will win wind window wine
    wing winner wire wise wish with woman won wood word wore work world worry would
    write wrong yard year yes yet you young your zero zone
    actions arts bats beds bits cases centers codes dates days ends fans gates hits ids
    jobs lists logs nets notes pages parts plans ports posts rates rests roles rows
    rules sets sites sizes spots steps tasks terms ties tips tools types units uses
    views ways words years
"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON.split())
"""Common English words: a typo that makes one of these is marked, as prose may mean it."""
