"""The domain core must work without the UI: importing it must load neither Textual nor
Rich (rendering belongs to the front ends: reader/cli, reader/tui)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.helpers import ROOT

CORE_MODULES = [
    p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
    for p in (ROOT / "reader" / "core").rglob("*.py")
]


def test_reader_core_never_imports_textual_or_rich():
    assert "reader.core.store" in CORE_MODULES
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
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


def _imports(path) -> list[tuple[str, bool]]:
    """(module, at top level) for every import statement of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, id(node) in top))
    return found


def test_the_cli_imports_the_tui_only_to_start_the_app():
    """Key checks and every command run without the TUI: only starting the app imports
    it, and then only its entry point, inside the function that starts it."""
    cli_files = sorted((ROOT / "reader" / "cli").rglob("*.py"))
    assert cli_files
    for path in cli_files:
        for module, at_top in _imports(path):
            if module == "reader.tui" or module.startswith("reader.tui."):
                assert module == "reader.tui.app" and not at_top, f"{path.name} imports {module}"


def test_checking_label_keys_and_syncing_do_not_load_the_tui(tmp_path):
    """`reader` on a non-terminal syncs and checks the labels' keys, then stops: all of it
    without Textual (the key table is plain data in reader.keys)."""
    labels = tmp_path / "labels.toml"
    labels.write_text('[labels.claim]\ntitle = "C"\nkey = "a"\ncolor = "red"\n', encoding="utf-8")
    code = (
        "import sys\nfrom reader.cli import cli\n"
        "try:\n    cli.main(sys.argv[1:], prog_name='reader')\nexcept SystemExit:\n    pass\n"
        "print('textual' in sys.modules, 'reader.tui' in sys.modules, file=sys.stderr)\n"
    )
    for extra in ([], ["--labels", str(labels)]):
        args = ["--corpus", str(ROOT / "corpus"), "--db", str(tmp_path / "a.db")]
        result = subprocess.run(
            [sys.executable, "-c", code, *args, "--annotator", "lan", *extra],
            capture_output=True,
            check=False,
            text=True,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
        )
        assert result.stderr.strip().endswith("False False"), result.stderr
    assert "already the app's key for Annotation list" in result.stderr
