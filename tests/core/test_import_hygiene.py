"""The domain core must work without the UI: importing it must not load Textual."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT

CORE_MODULES = [
    p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
    for p in (ROOT / "reader" / "core").rglob("*.py")
]


def test_reader_core_never_imports_textual():
    assert "reader.core.store" in CORE_MODULES
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=False, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_cli_help_does_not_load_textual():
    code = (
        "import sys\nfrom reader.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='reader')\nexcept SystemExit:\n    pass\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=False, text=True, cwd=ROOT
    )
    assert result.stderr.strip().endswith("False"), result.stderr
