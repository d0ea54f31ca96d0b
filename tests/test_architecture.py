"""The package's shape: stage packages import downward only, and no module cycle.

Every import counts, including those inside functions (they are how a cycle hides).
"""

from __future__ import annotations

import ast
from pathlib import Path

import writer

PACKAGE = Path(writer.__file__).resolve().parent

# Lowest first: a module may import its own layer and the layers before it.
LAYERS = ("errors", "text", "model", "config", "sources", "mapping", "compose", "render", "check", "pipeline", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """writer.* modules a file imports (``from writer.x import y`` counts writer.x.y when
    that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("writer"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("writer") and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if candidate in MODULES:
                    found.add(candidate)
    return {m for m in found if m != "writer"}


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYERS:
        return None  # writer itself, writer.__main__
    return LAYERS.index(parts[1])


def test_every_module_belongs_to_a_layer():
    stray = [m for m in MODULES if _layer(m) is None and m not in ("writer", "writer.__main__")]
    assert not stray, f"modules outside the stage packages: {stray}"


def test_no_upward_import():
    upward = []
    for module, imported in GRAPH.items():
        mine = _layer(module)
        if mine is None:
            continue
        for target in imported:
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                upward.append(f"{module} → {target}")
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))


def test_no_import_cycle():
    modules = {m: {t for t in GRAPH[m] if t in MODULES and not MODULES[t].name == "__init__.py"} for m in GRAPH}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(modules[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_every_package_says_what_it_owns():
    for name, path in MODULES.items():
        if path.name == "__init__.py" and name != "writer":
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert doc and "import" in doc, f"{name} needs a docstring naming what it may import"


def test_public_api_names_resolve_lazily():
    import subprocess
    import sys

    code = "import sys, writer; assert 'writer.pipeline' not in sys.modules; print(all(getattr(writer, n) for n in writer.__all__))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert proc.stdout.strip() == "True", proc.stderr
