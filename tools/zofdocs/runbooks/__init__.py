"""Team runbooks: answers files, the ownership contract of generated sections, updates.

- `zofdocs.runbooks.team` loads and checks a team's answers (`runbooks/TEAM/team.yml`).
- `zofdocs.runbooks.markers` is the ownership contract: sections between markers, each
  sealed with the digest of what was generated, merged without losing a team's line.
- `zofdocs.runbooks.state` renders a team's runbook and plans what an update writes.
- `zofdocs.runbooks.cli` is `zofdocs runbook new` and `zofdocs runbook update`.

This module imports none of them, so that importing one does not import the others.
"""

__all__: list[str] = []
