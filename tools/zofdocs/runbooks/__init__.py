"""Team runbooks: answers files, the ownership contract of generated sections, updates.

- `zofdocs.runbooks.team` loads and checks a team's answers (`runbooks/TEAM/team.yml`).
- `zofdocs.runbooks.markers` is the ownership contract: sections between markers, each
  sealed with the digest of what was generated, merged without losing a team's line.
- `zofdocs.runbooks.sections` renders a team's own section templates
  (`runbooks/TEAM/sections/NAME.md.j2`), once for each code in scope, in a sandbox.
- `zofdocs.runbooks.state` renders a team's runbook and plans what an update writes.
- `zofdocs.runbooks.cli` is `zofdocs runbook new`, `update` and `handback`.

This module imports none of them, so that importing one does not import the others.
"""

__all__: list[str] = []
