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
    return [
        f"{src} imports {name} from {dst}"
        for src, dst, name, line in imports(mods)
        if name and name.startswith("_") and not name.startswith("__") and dst != src
    ]


MODS = modules()
EXTRACT = {m: p for m, p in MODS.items() if m.startswith("marsad.extract")}


def test_no_cycle_in_extract():
    sub = {m: {d for d in ds if d in EXTRACT} for m, ds in graph(MODS).items() if m in EXTRACT}
    assert cycles(sub) == []


def test_no_cycle_anywhere_in_marsad():
    assert [sorted(c) for c in cycles(graph(MODS))] == []


def test_modules_are_small():
    big = {m: n for m, p in MODS.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
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
    mods = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from .b import f\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": "def g():\n    from ..a import h\n",  # function-level, two levels up
            "pkg/b.py": "def f():\n    from pkg.sub import b\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
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
            if (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.end_lineno - node.lineno + 1 > MAX_FUNCTION
            ):
                top = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
                block = []  # the comment lines right above the def
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
    mods = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "def f():\n" + body,
            "pkg/b.py": "# long: a table, kept whole\ndef g():\n" + body,
        },
    )
    assert long_functions(mods) == ["pkg.a.f"]


# --- no module-level mutable state (issue 15): what a run loads lives in marsad.resources.Resources --

# The module-level mutable objects marsad keeps, each with why (module, name) -> reason.  Nothing
# else may be mutable at module level: no `global` statement, no module-level dict/list/set that a
# function changes, no module-level instance of a marsad class, no memoized function that loads a file.
ALLOWED_STATE = {
    ("marsad.resources", "DEFAULT"): "the process's default Resources (marsad.process(), name look-ups)",
    ("marsad.run.worker", "PIPELINES"): "a worker process's pipeline, found by the engines' task functions",
    ("marsad.pipeline.core", "REGISTRY"): "the step registry, filled by @register when modules are imported",
    ("marsad.store.locks", "_INHERITED"): "lock descriptors a forked child closes (os.register_at_fork)",
    ("marsad.cli.display", "_MODE"): "the CLI's right-to-left display mode, set once from its option",
    ("marsad.web.basemap", "_data"): "the web pages' static basemap, read once",
}
_MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "popitem",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
        "put",
    }
)
_CONTAINERS = frozenset({"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"})
_LOADERS = frozenset({"open", "read_text", "read_bytes", "load", "loads"})


def _bound_names(node) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _memoized(fn) -> bool:
    return any(
        _callee(d) in ("lru_cache", "cache")
        if isinstance(d, ast.Call)
        else (d.id if isinstance(d, ast.Name) else getattr(d, "attr", "")) in ("lru_cache", "cache")
        for d in fn.decorator_list
    )


def module_state(mods: dict[str, Path]) -> list[tuple[str, str, str]]:
    """(module, name, what) for each piece of module-level mutable state (see ALLOWED_STATE)."""
    trees = {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in mods.items()}
    classes = {n.name for t in trees.values() for n in ast.walk(t) if isinstance(n, ast.ClassDef)}
    out = []
    for mod, tree in trees.items():
        containers, instances = set(), set()
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                v = node.value
                if (
                    isinstance(v, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp))
                    or isinstance(v, ast.Call)
                    and _callee(v) in _CONTAINERS
                ):
                    containers.update(_bound_names(node))
                elif isinstance(v, ast.Call) and _callee(v) in classes:
                    instances.update(_bound_names(node))
        out += [(mod, n, "instance of a marsad class") for n in sorted(instances)]
        changed = set()
        for fn in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            if _memoized(fn) and any(
                isinstance(c, ast.Call) and (_callee(c) in _LOADERS or _callee(c).startswith(("load_", "read_")))
                for c in ast.walk(fn)
            ):
                out.append((mod, fn.name, "memoized function that loads a file"))
            for n in ast.walk(fn):
                if isinstance(n, ast.Global):
                    out += [(mod, g, "global statement") for g in n.names]
                elif isinstance(n, ast.Call) and _callee(n) in _MUTATORS:
                    f = n.func
                    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                        changed.add(f.value.id)
                    if _callee(n) == "put" and n.args and isinstance(n.args[0], ast.Name):
                        changed.add(n.args[0].id)  # caching.put(memo, ...)
                elif isinstance(n, (ast.Assign, ast.AugAssign, ast.Delete)):
                    for t in n.targets if not isinstance(n, ast.AugAssign) else [n.target]:
                        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                            changed.add(t.value.id)
        out += [(mod, n, "module-level container changed by a function") for n in sorted(containers & changed)]
    return out


def test_no_module_level_mutable_state():
    found = [(m, n, what) for m, n, what in module_state(MODS) if (m, n) not in ALLOWED_STATE]
    assert found == []


def test_the_allowed_state_is_still_there():
    # an entry that no longer matches anything is dropped from the list, which stays short
    assert {(m, n) for m, n, _ in module_state(MODS)} == set(ALLOWED_STATE)


def test_planted_module_state_is_found(tmp_path):
    mods = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": (
                "from functools import lru_cache\n_KB = {'kb': None}\nTABLE = {'a': 1}\nX = None\n"
                "class Slot:\n    pass\n_S = Slot()\n"
                "def set_kb(kb):\n    _KB['kb'] = kb\n"
                "def reset():\n    global X\n    X = 1\n"
                "def read():\n    return TABLE['a']\n"
                "@lru_cache(maxsize=1)\ndef load_it():\n    return open('f').read()\n"
            ),
            "pkg/b.py": "from . import caching\nMEMO = dict()\ndef f(k):\n    caching.put(MEMO, k, 1)\n",
        },
    )
    assert sorted(module_state(mods)) == [
        ("pkg.a", "X", "global statement"),
        ("pkg.a", "_KB", "module-level container changed by a function"),
        ("pkg.a", "_S", "instance of a marsad class"),
        ("pkg.a", "load_it", "memoized function that loads a file"),
        ("pkg.b", "MEMO", "module-level container changed by a function"),
    ]
