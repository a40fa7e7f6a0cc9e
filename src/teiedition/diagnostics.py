"""The Diagnostic record, its text and JSON formats, and the exceptions that carry diagnostics."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where it is, how bad it is, what is wrong, and which rule says so."""

    path: str
    line: int
    column: int
    severity: str
    message: str
    rule: str

    def format(self) -> str:
        path = self.path.encode("unicode_escape").decode("ascii") if not self.path.isprintable() \
            else self.path
        return f"{path}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict:
        return asdict(self)

    def fields(self) -> list:
        """The fields in order, as caches store a diagnostic (Diagnostic(*fields) gives it back;
        by hand: asdict is slow)."""
        return [self.path, self.line, self.column, self.severity, self.message, self.rule]

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, SEVERITIES.index(self.severity), self.rule,
                self.message)


def error(path, line, message, rule, column=0) -> Diagnostic:
    return Diagnostic(str(path), int(line or 0), int(column or 0), "error", one_line(message), rule)


def warning(path, line, message, rule, column=0) -> Diagnostic:
    return Diagnostic(str(path), int(line or 0), int(column or 0), "warning", one_line(message),
                      rule)


def one_line(message: str) -> str:
    """Fold any message to a single line, so every diagnostic stays one line."""
    return " ".join(str(message).split())


def sort(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: d.sort_key)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    noun = "file" if files == 1 else "files"
    return f"{files} {noun} checked: {errors} error(s), {warnings} warning(s)"


def to_json(diagnostics: list[Diagnostic], files: int) -> str:
    return json.dumps(
        {"files": files, "diagnostics": [d.as_dict() for d in diagnostics]},
        ensure_ascii=False, indent=2,
    )


def failing(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """True when the findings should fail a run: errors, or warnings too under --strict."""
    bad = {"error", "warning"} if strict else {"error"}
    return any(d.severity in bad for d in diagnostics)


class InputError(Exception):
    """Input that cannot be read at all (missing path, folder without XML): exit status 2."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


class InvalidCorpus(Exception):
    """Raised by validate() and by builds when the corpus has errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        first = errors[0].format() if errors else "no errors"
        super().__init__(f"{len(errors)} error(s); first: {first}")
