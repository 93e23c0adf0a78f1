"""The shape of the package, checked from the source with ``ast`` (nothing is imported).

* no import cycle among the modules of ``marsad/`` (module-level and function-level imports);
* no module of ``marsad/`` over 400 lines;
* no module imports a ``_private`` name from another marsad module;
* no function over 80 lines without a ``# long: why`` comment above it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "marsad"
MAX_LINES = 400

def module_name(path: Path, pkg: Path = PKG) -> str:
    rel = path.relative_to(pkg.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(pkg: Path = PKG) -> dict[str, Path]:
    return {module_name(p, pkg): p for p in sorted(pkg.rglob("*.py"))}


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(mods: dict[str, Path]):
    """(importer, imported module, imported name or None, line) for every import of a marsad module,
    at module level or inside a function. ``from pkg import sub`` counts as importing ``pkg.sub``."""
    root = next(iter(mods)).split(".")[0]
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for al in node.names:
                    if al.name.split(".")[0] == root:
                        yield mod, al.name, None, node.lineno
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(mod, is_pkg, node)
                if target.split(".")[0] != root:
                    continue
                for al in node.names:
                    sub = f"{target}.{al.name}"
                    if sub in mods:
                        yield mod, sub, None, node.lineno
                    else:
                        yield mod, target, al.name, node.lineno


def graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    g: dict[str, set[str]] = {m: set() for m in mods}
    for src, dst, _name, _line in imports(mods):
        if dst in mods and dst != src:
            g[src].add(dst)
    return g


def cycles(g: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []
    counter = 0
    for start in sorted(g):
        if start in index:
            continue
        work = [(start, iter(sorted(g[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = set()
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.add(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(frozenset(comp))
    return out


def private_imports(mods: dict[str, Path]) -> list[str]:
    return [f"{src} imports {name} from {dst}"
            for src, dst, name, line in imports(mods)
            if name and name.startswith("_") and not name.startswith("__") and dst != src]


MODS = modules()
EXTRACT = {m: p for m, p in MODS.items() if m.startswith("marsad.extract")}


def test_no_cycle_in_extract():
    sub = {m: {d for d in ds if d in EXTRACT} for m, ds in graph(MODS).items() if m in EXTRACT}
    assert cycles(sub) == []


def test_no_cycle_anywhere_in_marsad():
    assert [sorted(c) for c in cycles(graph(MODS))] == []


def test_modules_are_small():
    big = {m: n for m, p in MODS.items()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}


def test_no_private_name_crosses_a_module():
    assert private_imports(MODS) == []


# --- the checks themselves can fail -----------------------------------------------------------------

def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return modules(root / "pkg")


def test_a_planted_cycle_is_found(tmp_path):
    mods = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from .b import f\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/b.py": "def g():\n    from ..a import h\n",   # function-level, two levels up
        "pkg/b.py": "def f():\n    from pkg.sub import b\n",
        "pkg/c.py": "import pkg.a\n",
    })
    assert cycles(graph(mods)) == [frozenset({"pkg.a", "pkg.b", "pkg.sub.b"})]


@pytest.mark.parametrize("src", ["from .a import _x\n", "def f():\n    from pkg.a import y, _x\n"])
def test_a_planted_private_import_is_found(tmp_path, src):
    mods = _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "_x = y = 1\n", "pkg/b.py": src})
    assert [s.split(" imports ")[1] for s in private_imports(mods)] == ["_x from pkg.a"]


MAX_FUNCTION = 80


def long_functions(mods: dict[str, Path]) -> list[str]:
    """Functions of more than MAX_FUNCTION lines without a ``# long: why`` comment block right above them."""
    out = []
    for mod, path in mods.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    node.end_lineno - node.lineno + 1 > MAX_FUNCTION:
                top = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
                block = []                       # the comment lines right above the def
                while top > 0 and lines[top - 1].strip().startswith("#"):
                    top -= 1
                    block.append(lines[top].strip())
                if not any(c.startswith("# long:") for c in block):
                    out.append(f"{mod}.{node.name}")
    return out


def test_long_functions_say_why():
    assert long_functions(MODS) == []


def test_a_planted_long_function_is_found(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION))
    mods = _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "def f():\n" + body,
                             "pkg/b.py": "# long: a table, kept whole\ndef g():\n" + body})
    assert long_functions(mods) == ["pkg.a.f"]
