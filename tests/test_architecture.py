"""The package's shape: imports run one way, private names stay home, one module owns paths.

The import graph is read from the source with `ast`, every import counted: at the top,
inside functions (the command line imports lazily), and under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "tools" / "zofdocs"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> list[tuple[str, str, int]]:
    """(module imported, name imported or '', line) for every import in a file."""
    found: list[tuple[str, str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, "", node.lineno))
                else:
                    found.append((node.module, alias.name, node.lineno))
    return [(module, name, line) for module, name, line in found if module in MODULES]


def graph() -> dict[str, set[str]]:
    return {
        name: {module for module, _, _ in imports(path)} - {name} for name, path in MODULES.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_another_modules_private_name() -> None:
    private = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {module}.{imported}"
        for name, path in MODULES.items()
        for module, imported, line in imports(path)
        if imported.startswith("_") and not imported.startswith("__") and module != name
    ]
    assert private == []


def test_every_module_declares_its_public_names() -> None:
    missing = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = any(
            isinstance(node, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id == "__all__"
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
            for node in tree.body
        )
        if not declared and not name.endswith("__main__"):
            missing.append(name)
    assert missing == []


def declared(path: Path) -> set[str] | None:
    """The names a module's `__all__` lists, or None when it has no literal one."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and target.id == "__all__" and value is not None:
            return {
                elt.value
                for elt in ast.walk(value)
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str)
            }
    return None


def test_modules_import_only_what_another_declares_public() -> None:
    undeclared = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {module}.{imported}"
        for name, path in MODULES.items()
        for module, imported, line in imports(path)
        if imported
        and module != name
        and not imported.startswith("__")
        and imported not in (declared(MODULES[module]) or {imported})
        and not name.startswith(module + ".")  # A package's own submodules share it.
    ]
    assert undeclared == []


@pytest.mark.shipped
def test_the_api_page_renders_every_public_module() -> None:
    page = (ROOT / "docs" / "tooling" / "api.md").read_text(encoding="utf-8")
    rendered = set(re.findall(r"^::: ([\w.]+)$", page, re.MULTILINE))
    public = {name for name, path in MODULES.items() if declared(path) is not None}
    assert rendered == public


# A page or published file spelled as a string: "errors/...", "runbooks/x.md", "x.json".
PATH_LITERAL = re.compile(
    r"^(errors|runbooks|tooling|problems|vale|schemas|generated)/|^[\w-]+\.(md|json)$"
)
NOT_SITE_PATHS = {
    "runbook.md": "a team's runbook file in its folder, not a page",
    "example.md": "the name findings on a rule's example carry",
}


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"zofdocs.layout"}))
def test_only_the_layout_module_spells_a_site_path(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    spelled = [
        f"{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and PATH_LITERAL.search(node.value)
        and node.value not in NOT_SITE_PATHS
    ]
    assert spelled == []


if __name__ == "__main__":
    # `python -m tests.test_architecture`: print the import graph and any cycle.
    for module, targets in sorted(graph().items()):
        print(f"{module} -> {', '.join(sorted(targets)) or '(nothing)'}")
    print("cycles:", cycles(graph()) or "none")
