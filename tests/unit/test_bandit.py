"""Static security check: bandit finds no medium or high issue that has not
been reviewed (a reviewed finding carries ``# nosec BXXX`` with its reason and
is listed in docs/security.md)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bandit() -> list[str]:
    exe = Path(sys.executable).with_name("bandit")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("bandit")
    if found is None:
        pytest.fail("bandit is not installed: run `make install-dev`")
    return [found]


def test_no_unreviewed_medium_or_high_findings():
    result = subprocess.run(
        [*_bandit(), "-q", "-c", "pyproject.toml", "-r", "feedback", "analysis",
         "-f", "json", "--severity-level", "medium"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    findings = [f"{r['test_id']} {r['issue_severity']} {r['filename']}:{r['line_number']} "
                f"{r['issue_text']}" for r in report["results"]]
    assert not findings, "unreviewed bandit findings:\n" + "\n".join(findings)
    assert report["metrics"]["_totals"]["loc"] > 1000, "bandit scanned too little"


def test_reviewed_findings_are_documented():
    """Every ``# nosec`` in the code names its check and appears in docs/security.md."""
    docs = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for folder in ("feedback", "analysis"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "# nosec" in line:
                    rel = path.relative_to(ROOT).as_posix()
                    assert "# nosec B" in line, f"{rel}:{number}: nosec without a check id"
                    assert rel in docs, f"{rel}:{number}: nosec not listed in docs/security.md"
