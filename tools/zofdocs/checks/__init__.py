"""The checker's rules, one module for each family; `zofdocs.check` runs them.

- `zofdocs.checks.context`: what the catalog allows, compiled once, and `Target`.
- `zofdocs.checks.labels`: Console labels, bold UI text and Console paths.
- `zofdocs.checks.codes`: error codes and HTTP statuses in prose.
- `zofdocs.checks.examples`: JSON examples and the error response shape.
- `zofdocs.checks.site`: the whole site: codes documented, labels used.
"""

__all__: list[str] = []
