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


def test_services_never_read_the_request():
    offenders = []
    for path in (ROOT / "feedback").rglob("services.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                names = {a.name for a in node.names}
                if names & {"request", "session", "g"}:
                    offenders.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.ImportFrom) and node.module == "flask_login":
                if "current_user" in {a.name for a in node.names}:
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


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
