"""The package's shape: subpackages stacked in the order data flows, no import cycles, small modules."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tekun_helpers"

# lowest first: a module may import from its own layer and the layers before it, never after
LAYERS = ["core", "config", "io", "checks", "month", "analysis", "forms", "report", "publish", "sample", "cli"]
MAX_LINES = 800


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["tekun_helpers", *parts])


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path, *, typing: bool = False) -> set[str]:
    """Every tekun_helpers module ``path`` imports when it runs, at top level or inside a function
    (``typing``: and those imported only for type checking)."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in (ast.walk(tree) if typing else _runtime_nodes(tree)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("tekun_helpers")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("tekun_helpers"):
                continue
            for a in node.names:       # 'from . import x' names a module when x is one
                sub = f"{target}.{a.name}"
                out.add(sub if sub in MODULES else target)
    return out - {me}


FILES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
MODULES = {_module(p) for p in FILES}


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 else -1


def test_every_module_sits_in_a_known_layer():
    stray = [m for m in MODULES if m != "tekun_helpers" and m.split(".")[1] not in LAYERS]
    assert not stray, stray
    assert len({m.split(".")[1] for m in MODULES if m.count(".") >= 2}) >= 4   # at least four subpackages


def test_no_module_imports_from_a_layer_above_it():
    wrong = []
    for path in FILES:
        me = _module(path)
        if me == "tekun_helpers":
            continue        # the package's face re-exports the public API
        for target in _imports(path):
            if target == "tekun_helpers":
                continue
            if _layer(target) > _layer(me):
                wrong.append(f"{me} -> {target}")
    assert not wrong, wrong


def test_no_import_cycle():
    """Not even through imports made only for type checking: a module that needs another's type for its
    annotations depends on it as much as one that calls it."""
    graph = {_module(p): {t for t in _imports(p, typing=True) if t in MODULES and t != "tekun_helpers"}
             for p in FILES}
    # a package's __init__ re-exporting its own modules is not a cycle of logic
    for m in graph:
        graph[m] = {t for t in graph[m] if not t.startswith(m + ".")}
    seen, on_stack, cycles = set(), [], []

    def visit(m):
        if m in on_stack:
            cycles.append(on_stack[on_stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        on_stack.append(m)
        for t in sorted(graph.get(m, ())):
            visit(t)
        on_stack.pop()

    for m in sorted(graph):
        visit(m)
    assert not cycles, cycles


def test_no_module_is_over_max_lines():
    sizes = {_module(p): len(p.read_text(encoding="utf-8").splitlines()) for p in FILES}
    too_long = {m: n for m, n in sizes.items() if n > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines (split them by job): {too_long}"
    assert "tekun_helpers.sample.story" in sizes and max(sizes.values()) > 100   # the package's files were read


MAX_FUNCTION_LINES = 80


def test_no_function_is_over_80_lines():
    """A long function is a list of steps that want names (papermill's execute.py reads as such a list)."""
    long = []
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{_module(path)}.{node.name}: {n}")
    assert not long, long
