"""Progress of a long run: a bar with rate and ETA on a terminal, log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def fmt_duration(seconds: float) -> str:
    """``75`` -> ``'1m15s'``; ``3725`` -> ``'1h02m'``.

    >>> fmt_duration(75), fmt_duration(3725), fmt_duration(9)
    ('1m15s', '1h02m', '9s')
    """
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


class Progress:
    """Call with ``(done, total, rejects, final)``; draws at most every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, every: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every if every is not None else (0.2 if self.tty else 10.0)
        self.t0 = time.monotonic()
        self.last = 0.0
        self.first_done: int | None = None

    def line(self, done: int, total: int, rejects: int) -> str:
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        rate = done / elapsed
        eta = fmt_duration((total - done) / rate) if rate > 0 and total > done else "-"
        pct = 100.0 * done / total if total else 100.0
        if self.tty:
            width = 28
            fill = int(width * done / total) if total else width
            bar = "#" * fill + "." * (width - fill)
            return (f"[{bar}] {done}/{total} {pct:5.1f}% {rate:6.1f} doc/s "
                    f"ETA {eta} rejects {rejects}")  # fmt: skip
        return (f"kcextract run: {done}/{total} documents ({pct:.1f}%), {rate:.1f} doc/s, "
                f"ETA {eta}, {rejects} rejects, {fmt_duration(elapsed)} elapsed")  # fmt: skip

    def __call__(self, done: int, total: int, rejects: int, final: bool) -> None:
        now = time.monotonic()
        if not final and now - self.last < self.every:
            return
        self.last = now
        text = self.line(done, total, rejects)
        if self.tty:
            self.stream.write("\r" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
