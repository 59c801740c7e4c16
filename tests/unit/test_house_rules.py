"""House rules checked by reading the code: one reader of the environment, one clock,
no import cycles between the application's modules, one blueprint module per feature."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENT_READERS = {"feedback/config.py", "analysis/settings.py"}
CLOCK = "feedback/clock.py"


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# --- one reader of the environment ------------------------------------------------------

def environment_reads(tree: ast.AST) -> list[int]:
    """Lines that touch ``os.environ``/``os.getenv`` (or ``environ``/``getenv`` imported
    from ``os``)."""
    lines = []
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            imported |= {a.asname or a.name for a in node.names
                         if a.name in ("environ", "getenv", "getenvb")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "getenvb") \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in imported:
            lines.append(node.lineno)
    return lines


def test_only_the_settings_modules_read_the_environment():
    """``feedback/config.py`` for the application; ``analysis/settings.py`` for the analysis
    package, which runs on its own and may not import the application."""
    found = {rel(p): environment_reads(parse(p)) for p in python_files("feedback", "analysis")}
    offenders = {name: lines for name, lines in found.items()
                 if lines and name not in ENVIRONMENT_READERS}
    assert offenders == {}, f"read the environment in config.py instead: {offenders}"
    assert found["feedback/config.py"], "config.py no longer reads the environment?"


def test_the_environment_check_catches_every_spelling():
    for source in ("import os\nx = os.environ.get('A')\n", "import os\nx = os.getenv('A')\n",
                   "from os import environ\nx = environ['A']\n",
                   "from os import getenv as g\nx = g('A')\n"):
        assert environment_reads(ast.parse(source)), source
    assert environment_reads(ast.parse("import os\nx = os.path.join('a')\n")) == []


# --- one clock -----------------------------------------------------------------------------

def clock_calls(tree: ast.AST) -> list[str]:
    """Calls of ``datetime.now()``, ``datetime.utcnow()``, ``datetime.today()`` and
    ``date.today()``, however ``datetime`` was imported."""
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr, owner = node.func.attr, node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else \
            owner.attr if isinstance(owner, ast.Attribute) else None
        if owner_name in ("datetime", "date", "dt") and attr in ("now", "utcnow", "today"):
            calls.append(f"{owner_name}.{attr}() line {node.lineno}")
    return calls


def test_now_and_today_come_only_from_the_clock():
    found = {rel(p): clock_calls(parse(p)) for p in python_files("feedback")}
    offenders = {name: calls for name, calls in found.items() if calls and name != CLOCK}
    assert offenders == {}, f"ask feedback.clock for now() / today(): {offenders}"
    assert found[CLOCK], "clock.py no longer reads the time?"


def test_the_clock_check_catches_every_spelling():
    for source in ("date.today()", "datetime.now(timezone.utc)", "datetime.utcnow()",
                   "datetime.datetime.now()", "dt.date.today()", "datetime.today()"):
        assert clock_calls(ast.parse(source)), source
    assert clock_calls(ast.parse("clock.today(); clock.now(); datetime.fromisoformat('x')")) == []


# --- roles -----------------------------------------------------------------------------

def test_roles_are_a_str_enum_over_the_stored_strings():
    from feedback.permissions import ROLES, Role

    # The strings in user_roles.role: renaming one in code must not change what is stored.
    assert [str(role) for role in Role] == ["commissioner", "moderator", "safeguarding_lead",
                                            "forum_rep", "provider", "participation_worker",
                                            "admin"]
    assert Role("forum_rep") is Role.FORUM_REP and Role.FORUM_REP == "forum_rep"
    assert ROLES["safeguarding_lead"] == "Safeguarding lead"
    assert set(ROLES) == set(Role)


def test_a_guard_naming_no_role_fails_at_import():
    from feedback.permissions import role_required

    with pytest.raises(ValueError):
        role_required("comissioner")


# --- no import cycles ------------------------------------------------------------------------

def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The application modules ``path`` imports, wherever the import stands (a function-level
    import is still a dependency). ``from . import x`` counts as ``pkg.x`` when that is a module;
    importing a package counts as importing its ``__init__``."""
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem
                       for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != this:
                found.add(target)
    return found


def import_graph(folder: str = "feedback") -> dict[str, set[str]]:
    files = python_files(folder)
    known = {module_name(p) for p in files}
    graph = {module_name(p): imports_of(p, known) for p in files}
    # A package's __init__ runs when any module inside it is imported: only edges between
    # sibling modules count as cycles, not the package <-> its own modules.
    return {m: {t for t in targets if not m.startswith(t + ".") and not t.startswith(m + ".")}
            for m, targets in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_no_import_cycles_between_application_modules():
    found = cycles(import_graph())
    assert found == [], "import cycles (routes and cli import blueprint.py, never each other): " \
        + "; ".join(" <-> ".join(group) for group in found)


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# --- one blueprint module per feature ------------------------------------------------------

def adds_to_a_blueprint(tree: ast.AST) -> bool:
    """Whether a module decorates views or commands on ``bp`` (``@bp.route``, ``@bp.cli...``)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if "bp." in ast.unparse(target):
                    return True
    return False


def is_entry_module(name: str) -> bool:
    """A feature's routes or command module (``feedback.cli``, which registers the command
    groups, is the one place that imports them)."""
    last = name.rpartition(".")[2]
    return name.count(".") == 2 and (last.endswith("routes") or last == "cli")


def test_every_blueprint_lives_in_a_blueprint_module():
    makers = sorted(rel(p) for p in python_files("feedback") if "Blueprint(" in p.read_text())
    assert makers and all(name.endswith("/blueprint.py") for name in makers), makers


def test_every_module_that_adds_routes_is_registered_from_one_place():
    from feedback import FEATURES

    registered = {f"feedback.{feature}.{module}" for feature, modules in FEATURES.items()
                  for module in modules}
    adders = {module_name(p) for p in python_files("feedback") if adds_to_a_blueprint(parse(p))}
    assert adders == registered, {"not registered": sorted(adders - registered),
                                  "registered but adds nothing": sorted(registered - adders)}
    for feature in FEATURES:
        assert (ROOT / "feedback" / feature / "blueprint.py").is_file(), feature


def test_routes_and_cli_modules_never_import_each_other():
    graph = import_graph()
    found = {m: sorted(t for t in targets if is_entry_module(t))
             for m, targets in graph.items() if is_entry_module(m)}
    assert {m: t for m, t in found.items() if t} == {}, "import blueprint.py instead"


def database_calls(tree: ast.AST) -> list[int]:
    """Lines that query the database: ``db.session``, ``select(...)`` / ``db.select(...)``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "session" \
                and isinstance(node.value, ast.Name) and node.value.id == "db":
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and (
                isinstance(node.func, ast.Name) and node.func.id == "select"
                or isinstance(node.func, ast.Attribute) and node.func.attr == "select"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "db"):
            lines.append(node.lineno)
    return lines


def test_route_modules_do_not_query():
    """Routes parse, validate, call a service and render: queries live in services."""
    from feedback import FEATURES

    found = {}
    for feature, modules in FEATURES.items():
        for module in modules:
            path = ROOT / "feedback" / feature / f"{module}.py"
            if module.endswith("routes") and (lines := database_calls(parse(path))):
                found[rel(path)] = lines
    assert found == {}, "move these queries into the feature's services"


def test_the_query_check_finds_a_query():
    tree = ast.parse("def view():\n    return db.session.get(User, 1)\n"
                     "def other():\n    return db.session.execute(select(User.id))\n")
    assert sorted(database_calls(tree)) == [2, 4, 4]


# --- tests build data with factories and import helpers, not conftest ----------------------

def test_tests_import_helpers_not_conftest():
    """tests/conftest.py holds fixtures only; what tests import comes from tests/helpers.py."""
    offenders = sorted(rel(p) for p in python_files("tests")
                       if any(isinstance(n, ast.ImportFrom) and n.module == "tests.conftest"
                              for n in ast.walk(parse(p))))
    assert offenders == [], "import from tests/helpers.py or tests/factories.py instead"


def test_every_test_module_holds_tests():
    empty = []
    for path in python_files("tests"):
        if path.name.startswith("test_"):
            tree = parse(path)
            if not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and n.name.startswith("test") for n in ast.walk(tree)):
                empty.append(rel(path))
    assert empty == [], "a module of builders is not a test module: move it to tests/factories.py"
