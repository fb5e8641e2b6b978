"""Helpers for the smoke tests that render a real template through the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from analysis.config import PROJECT_ROOT


def render(args: list[str], out_dir: Path, *, timeout: int = 900) -> None:
    """Run ``konvergensi render ARGS --to html --out OUT --paksa`` and require exit 0."""
    exe = PROJECT_ROOT / ".venv" / "bin" / "konvergensi"
    head = [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]
    cmd = [*head, "render", *args, "--to", "html", "--out", str(out_dir), "--paksa"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr


class _Sections(HTMLParser):
    """Text inside each <section id=...> (nested sections count for their parents too)."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.stack.append(dict(attrs).get("id"))

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for sid in self.stack:
            if sid:
                self.text[sid] = self.text.get(sid, "") + data


def section_texts(html: str) -> dict[str, str]:
    """Section id → its visible text, white space folded."""
    parser = _Sections()
    parser.feed(html)
    return {sid: re.sub(r"\s+", " ", body).strip() for sid, body in parser.text.items()}
