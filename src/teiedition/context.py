"""What a build hands each target (BuildContext) and how a target says it failed (BuildFailed); light
enough to import in a target's own process (apart.py) without the build's machinery."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from teiedition.diagnostics import Diagnostic


class BuildFailed(Exception):
    """A target could not be built; the previous output is untouched."""


@dataclass
class BuildContext:
    """What a target gets: the corpus files, where to write, and how."""

    sources: list[Path]
    out: Path
    previous: Path | None
    jobs: int
    options: dict = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    progress: Callable[[int], None] | None = None
    # Each source's cache.source_key, read once per build: str(path) -> digest.
    digests: dict[str, str] = field(default_factory=dict)
    # Files of previous changed since the build that made it (out/relative path): never reused.
    changed: frozenset[str] = frozenset()
    # True when the files of previous not in changed are known to be as their build left them.
    verified: bool = False
    # For a target built in a process of its own (apart.py): ask(question) gets the main process's
    # answer, for work that process does better (the PDF's parts of the book: paged.Answers);
    # ask(question, wait=False) only sends the question.
    ask: Callable | None = None

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)
