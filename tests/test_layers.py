"""The layers hold (.importlinter, docs/architecture.md): core below every domain, domains
below the screens, no cycles between siblings. `make test` runs lint-imports before pytest;
these tests also prove the contracts would catch a break."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = str(Path(sys.executable).with_name("lint-imports"))


def lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT, "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(cwd)}, timeout=120)


def test_every_contract_is_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "participation", tmp_path / "participation",
                    ignore=shutil.ignore_patterns("__pycache__", "translations"))
    shutil.copy(ROOT / ".importlinter", tmp_path)
    return tmp_path


def _add(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_a_domain_importing_a_screen_breaks_the_layers(tmp_path):
    copy = _copy(tmp_path)
    _add(copy / "participation/events/models.py", "from ..web import links  # noqa")
    result = lint(copy)
    assert result.returncode != 0
    assert "participation.events.models -> participation.web.links" in result.stdout


def test_core_importing_a_domain_and_a_cycle_break_their_contracts(tmp_path):
    copy = _copy(tmp_path)
    _add(copy / "participation/core/tx.py", "from ..events import models  # noqa")
    _add(copy / "participation/live/phone/page.py", "from ..console import views  # noqa")
    _add(copy / "participation/live/console/page.py", "from ..phone import page  # noqa")
    result = lint(copy)
    assert result.returncode != 0
    assert "participation.core.tx -> participation.events.models" in result.stdout
    assert "No cycles are allowed in participation.live." in result.stdout


def test_a_domain_with_request_code_breaks_its_contract(tmp_path):
    copy = _copy(tmp_path)
    _add(copy / "participation/proposals/operations.py", "from flask_wtf import FlaskForm  # noqa")
    result = lint(copy)
    assert result.returncode != 0
    assert "participation.proposals.operations -> flask_wtf" in result.stdout
