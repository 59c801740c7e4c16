"""analysis/ must stay a pure package: no web framework, database or app imports."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "analysis"
FORBIDDEN = ("flask", "sqlalchemy", "feedback")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_framework_imports():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 10
    bad = []
    for path in files:
        for name in _imports(path):
            root = name.split(".")[0].lower()
            if root in FORBIDDEN or root.startswith("flask_"):
                bad.append(f"{path.name}: {name}")
    assert bad == []


def test_modules_stay_small():
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name
