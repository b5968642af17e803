"""The plain ``reader [options]`` is read without click (reader.cli.start), and reads,
fails and exits exactly as click would: anything else goes to click itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reader.cli.start import plain_options
from tests.helpers import CORPUS, ROOT


def test_the_annotators_options_are_read_in_both_spellings():
    assert plain_options(
        ["--corpus", "c", "--db=a.db", "--annotator", "lan", "--labels=s.toml", "--panes", "3",
         "--gold", "boss"]
    ) == {"corpus": "c", "db": "a.db", "annotator": "lan", "labels": "s.toml", "panes": 3,
          "gold": "boss"}  # fmt: skip
    assert plain_options([]) == dict.fromkeys(("corpus", "db", "annotator", "labels", "panes",
                                               "gold"))  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ["--help"], ["-h"], ["--version"], ["stats"], ["--db", "a.db", "stats"],
        ["annotate", "--db", "a.db"], ["--bogus"], ["--db"], ["--db="], ["--db", ""],
        ["--db", "-x"], ["--db", "a.db", "--db", "b.db"], ["--panes", "5"], ["--panes", "02"],
        ["--panes", "x"], ["--", "--db", "a.db"], ["-d", "a.db"], ["--db", "a.db", "extra"],
        ["--corpus", str(CORPUS / "000_af9997c49903d544.txt")], ["--db", str(CORPUS)],
        ["--labels", str(CORPUS)],
    ],
)  # fmt: skip
def test_anything_else_is_left_to_click(args):
    assert plain_options(args) is None


def test_shell_completion_is_left_to_click(monkeypatch):
    monkeypatch.setenv("_READER_COMPLETE", "bash_source")
    assert plain_options(["--db", "a.db"]) is None


_RUN = """
import sys
from reader.cli import main, start

how, *args = sys.argv[1:]
if how == "click":  # what main did before: every argument list through click
    start.plain_options = lambda args: None
sys.argv = ["reader", *args]
try:
    main()
finally:
    print("click loaded:", "click" in sys.modules)
"""


def _reader(how: str, *args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, how, *args],
        capture_output=True, check=False, text=True, cwd=ROOT,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def test_errors_read_and_exit_as_under_click(tmp_path):
    (tmp_path / "bad.db").write_text("not a database, only text of some length to be read\n")
    (tmp_path / "bad.toml").write_text("nonsense = [\n")
    cases = [
        ["--db", str(tmp_path / "bad.db")],  # the store's error (sqlite)
        ["--db", str(tmp_path / "x.txt")],  # a database named like an article
        ["--annotator", "ana\x1b[31m"],  # a refused name, made inert
        ["--gold", "a/b", "--db", str(tmp_path / "a.db")],
        ["--labels", str(tmp_path / "bad.toml"), "--db", str(tmp_path / "a.db")],
        ["--corpus", str(tmp_path / "none"), "--db", str(tmp_path / "a.db")],
    ]
    for args in cases:
        plain, clicked = _reader("plain", *args), _reader("click", *args)
        assert plain[0] == clicked[0] == 1, (args, plain, clicked)
        assert plain[2] == clicked[2] and plain[2].startswith("reader: error: "), args
        assert plain[2].count("\n") == 1 and "Traceback" not in plain[2]


def test_the_plain_start_goes_without_click(tmp_path):
    args = ["--corpus", str(CORPUS), "--db", str(tmp_path / "a.db"), "--annotator=ana"]
    plain, clicked = _reader("plain", *args), _reader("click", *args)
    # stdout is a pipe: both sync the corpus and stop where the app would open
    assert plain[0] == clicked[0] == 0 and plain[2] == clicked[2]
    assert "not a terminal" in plain[2]
    assert (plain[1], clicked[1]) == ("click loaded: False\n", "click loaded: True\n")
