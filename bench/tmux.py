"""The tmux driver: a program launched in a real terminal, timed to its first paint.

``tmux new-session -d -x W -y H CMD`` on a private tmux server (``tmux -L
bench-run-PID``), then ``tmux capture-pane -p`` every 10 ms until the expected text is
on screen; a launch's figure is the wall time from launch to that text. With ``rss``,
the peak RSS of the program once it is idle is read from /proc too. Keys can be sent
to a running session and its screen awaited the same way (``Session``).

Programs run with a bytecode cache of their own (``PYTHONPYCACHEPREFIX``, in the run's
scratch folder, filled by the warm-up launches) even where the environment sets
``PYTHONDONTWRITEBYTECODE``: an installed reader, like the Textual it runs on, starts
from compiled modules, and a launch that compiled reader's own hundred modules from
source each time timed the compiler, not reader (about 150 ms of the seeds' paint,
2026-11-30).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

WIDTH, HEIGHT = 160, 50


@dataclass(frozen=True)
class Launch:
    paint: float  # seconds from launch to the expected text on screen
    rss: float | None  # peak RSS in MB once idle, when asked for


class Tmux:
    """A private tmux server on its own socket; ``close`` kills it."""

    def __init__(
        self, width: int = WIDTH, height: int = HEIGHT, pycache: Path | None = None
    ) -> None:
        self.socket = f"bench-run-{os.getpid()}"
        self.width, self.height = width, height
        self.env = [] if pycache is None else [
            "-e", f"PYTHONPYCACHEPREFIX={pycache}", "-e", "PYTHONDONTWRITEBYTECODE="
        ]  # fmt: skip
        self.count = 0
        self.call("new-session", "-d", "-s", "hold", "-x", str(width), "-y", str(height),
                  "sleep 86400")  # fmt: skip
        self.call("set-option", "-g", "remain-on-exit", "on")  # a crash leaves its screen to read
        self.path = self.call("display-message", "-p", "#{socket_path}").strip()

    @staticmethod
    def available() -> bool:
        return shutil.which("tmux") is not None

    def call(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              check=False, capture_output=True, text=True)  # fmt: skip
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def close(self) -> None:
        self.call("kill-server", check=False)
        if self.path:
            Path(self.path).unlink(missing_ok=True)  # the server leaves its socket file behind

    def dead(self, name: str) -> bool:
        """The session's program has exited (or the session is gone)."""
        state = self.call("display-message", "-p", "-t", name, "#{pane_dead}", check=False)
        return state.strip() != "0"

    def screen(self, name: str) -> str:
        return unicodedata.normalize("NFC", self.call("capture-pane", "-p", "-t", name))

    def wait_for(
        self, name: str, expect: str, start: float, what: str, timeout: float = 120
    ) -> float:
        """Seconds from ``start`` until ``expect`` is on the session's screen."""
        expect = unicodedata.normalize("NFC", expect)
        polls = 0
        while True:
            screen = self.screen(name)
            if expect in screen:
                return time.perf_counter() - start
            polls += 1
            if polls % 25 == 0 and self.dead(name):
                raise RuntimeError(f"{what} exited before showing {expect!r}:\n{screen}")
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{what}: no {expect!r} after {timeout:.0f} s:\n{screen}")
            time.sleep(0.01)

    def start(self, command: list[str], cwd: Path) -> tuple[str, float]:
        """A new session running ``command``: its name and when it was launched."""
        self.count += 1
        name = f"run{self.count}"
        start = time.perf_counter()
        self.call("new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height),
                  "-c", str(cwd), *self.env, "exec " + shlex.join(command))  # fmt: skip
        return name, start

    def stop(self, name: str) -> None:
        """ctrl+q, then the session goes whether or not the program quit."""
        self.call("send-keys", "-t", name, "C-q", check=False)
        for _ in range(100):
            if self.dead(name):
                break
            time.sleep(0.05)
        self.call("kill-session", "-t", name, check=False)

    def launch(self, command: list[str], expect: str, cwd: Path, rss: bool = False,
               timeout: float = 120) -> Launch:  # fmt: skip
        """Start ``command``, time it to ``expect`` on screen, then quit it."""
        name, start = self.start(command, cwd)
        try:
            paint = self.wait_for(name, expect, start, command[0], timeout)
            peak = None
            if rss:
                pid = int(self.call("display-message", "-p", "-t", name, "#{pane_pid}").strip())
                peak = idle_peak_rss(pid)
            return Launch(paint, peak)
        finally:
            self.stop(name)


def idle_peak_rss(pid: int, limit: float = 60) -> float:
    """VmHWM (MB) of ``pid`` once it has used under 10% of a core for two 0.2 s windows."""
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    began, quiet, last = time.perf_counter(), 0, cpu()
    while quiet < 2 and time.perf_counter() - began < limit:
        time.sleep(0.2)
        now = cpu()
        quiet = quiet + 1 if now - last < 0.02 else 0
        last = now
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")
