"""Boundaries the architecture promises, checked by reading the code."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_ANALYSIS = ("flask", "sqlalchemy", "feedback", "flask_sqlalchemy", "flask_login",
                         "flask_wtf", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_analysis_never_imports_flask_sqlalchemy_or_the_app():
    files = list((ROOT / "analysis").rglob("*.py"))
    assert files, "analysis/ has no Python files"
    bad = {str(p.relative_to(ROOT)): sorted(imported_modules(p) & set(FORBIDDEN_IN_ANALYSIS))
           for p in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_only_the_bridges_import_analysis():
    """Themes go through ``analysis_bridge``, the safeguarding model through ``concern_bridge``."""
    importers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "feedback").rglob("*.py")
                       if "analysis" in imported_modules(p))
    assert set(importers) <= {"feedback/analysis_bridge.py", "feedback/concern_bridge.py"}, \
        importers


# Modules allowed to read the request (``request``, ``session``, ``g``, ``current_user``):
# the layer that handles requests. Every other module under feedback/ (services, their split-out
# parts such as inspections/standards.py or returns/due.py, stores, bridges, commands) is
# called with what it needs, so it can be tested without a request.
REQUEST_HANDLING_NAMES = (
    "routes.py",      # a feature's routes, and their split-outs named *_routes.py
    "forms.py",       # forms (and *_forms.py): Flask-WTF binds them to the request
    "blueprint.py",   # a feature's blueprint: its before-request checks and URL preprocessors
)
REQUEST_HANDLING_MODULES = {
    "feedback/i18n.py": "chooses each request's language from its URL, cookie and headers",
    "feedback/ids.py": "reads ids and page numbers from the query string for the routes",
    "feedback/permissions.py": "the routes' decorators, which check the signed-in user",
    "feedback/security.py": "per-request security: headers, CSRF, the session cookie",
    "feedback/templating.py": "context processors: what every rendered page is given",
    "feedback/messages.py": "link() falls back to the answering request's host when PUBLIC_URL "
                            "is unset (docs/email.md), guarded by has_request_context",
}
REQUEST_NAMES = {"flask": {"request", "session", "g"}, "flask_login": {"current_user"}}


def _reads_the_request(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in REQUEST_NAMES:
            found |= {a.name for a in node.names} & REQUEST_NAMES[node.module]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.attr in REQUEST_NAMES.get(node.value.id, ())):
            found.add(f"{node.value.id}.{node.attr}")
    return found


def _handles_requests(path: Path) -> bool:
    name = path.name
    return (str(path.relative_to(ROOT)) in REQUEST_HANDLING_MODULES
            or any(name == n or name.endswith("_" + n) for n in REQUEST_HANDLING_NAMES))


def test_services_never_read_the_request():
    """Every module of a feature except the request-handling ones above."""
    offenders = {}
    for path in sorted((ROOT / "feedback").rglob("*.py")):
        if _handles_requests(path):
            continue
        found = _reads_the_request(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert offenders == {}


def test_the_request_handling_exceptions_still_exist():
    assert [m for m in REQUEST_HANDLING_MODULES if not (ROOT / m).is_file()] == []
    caught = _reads_the_request(ast.parse(
        "from flask import request\nfrom flask_login import current_user\nimport flask\nflask.g"))
    assert caught == {"request", "current_user", "flask.g"}


def test_migrations_do_not_import_the_app():
    files = list((ROOT / "migrations" / "versions").glob("*.py"))
    assert files
    assert [p.name for p in files if "feedback" in imported_modules(p)] == []


def test_create_app_has_no_side_effects(tmp_path, monkeypatch):
    """Building the app touches no database and writes nothing when given settings."""
    from feedback import create_app

    db_file = tmp_path / "never.db"
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}"})
    assert app.name == "feedback"
    assert not db_file.exists()
    assert {bp for bp in app.blueprints} >= {"main", "auth"}


def test_column_defaults_are_callables():
    from feedback.extensions import db
    import feedback.models  # noqa: F401  (registers every table)

    for table in db.metadata.sorted_tables:
        for column in table.columns:
            default = column.default
            if default is not None and column.type.__class__.__name__ in ("UTCDateTime", "DateTime"):
                assert default.is_callable, f"{table.name}.{column.name} default is not callable"


def test_routes_call_their_services_not_what_the_services_import():
    """A route calls a function of a module it imports; it does not reach through that module
    to another (``services.theme_store.unanalysed_count()``): the service owns the call."""
    import importlib
    import inspect
    offenders = []
    for path in sorted((ROOT / "feedback").rglob("*routes.py")):
        module = importlib.import_module(
            ".".join(path.relative_to(ROOT).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and isinstance(node.value.value, ast.Name)):
                outer = getattr(module, node.value.value.id, None)
                inner = getattr(outer, node.value.attr, None) if inspect.ismodule(outer) else None
                if inspect.ismodule(inner):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} "
                                     f"{node.value.value.id}.{node.value.attr}.{node.attr}")
    assert offenders == []
