"""Lay the benchmark's figures out as a Markdown table, the comparisons, and issue 7's targets."""

from __future__ import annotations

from pathlib import Path

FLOOR = "floor: lxml parse only"
JING = "jing tei_all.rng"
SAXON = "Saxon-HE on Java, html.xsl batch"
VALIDATE = "teiedition validate"
HTML = "teiedition build html"
HTML_NO_VALIDATE = "teiedition build html --no-validate"
NO_CHANGE = "rebuild html, nothing changed"
ONE_CHANGED = "rebuild html, one document changed"
HELP = "teiedition --help"
BUILD_ALL = "teiedition build all (validate, html, text, pdf)"


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _find(figures: list, size, label: str):
    for figure in figures:
        if figure.size == size and figure.label == label and figure.ok:
            return figure
    return None


def _faster(ours, theirs) -> str:
    """How many times faster ours is than theirs, with both times."""
    return (f"{theirs.seconds / ours.seconds:.2f}x as fast ({ours.seconds:.2f} s against "
            f"{theirs.seconds:.2f} s)")


def table(figures: list) -> list[str]:
    lines = ["| corpus | measure | wall s | CPU s | docs/s | peak RSS MB | x floor | note |",
             "|---|---|--:|--:|--:|--:|--:|---|"]
    for figure in figures:
        if not figure.ok:
            lines.append(f"| {figure.size} | {figure.label} | | | | | | {figure.problem} |")
            continue
        floor = _find(figures, figure.size, FLOOR)
        ratio = figure.seconds / floor.seconds if floor else None
        lines.append(f"| {figure.size} | {figure.label} | {_number(figure.seconds, 3)} | "
                     f"{_number(figure.cpu_seconds, 2)} | "
                     f"{_number(figure.per_second, 0)} | {_number(figure.peak_rss_mb, 0)} | "
                     f"{_number(ratio, 1)} | {figure.note or ''} |")
    return lines


def comparisons(figures: list) -> list[str]:
    lines = []
    sizes = [s for s in dict.fromkeys(f.size for f in figures) if isinstance(s, int)]
    for size in sizes:
        pairs = ((VALIDATE, JING, "validate against jing with tei_all"),
                 (HTML, SAXON, "build html (validating first) against Saxon-HE on Java"),
                 (HTML_NO_VALIDATE, SAXON, "build html --no-validate against Saxon-HE on Java"))
        for ours, theirs, words in pairs:
            a, b = _find(figures, size, ours), _find(figures, size, theirs)
            if a and b:
                lines.append(f"- {size:,} documents, {words}: {_faster(a, b)}")
        full = _find(figures, size, HTML)
        for label in (NO_CHANGE, ONE_CHANGED):
            rebuild = _find(figures, size, label)
            if full and rebuild:
                lines.append(f"- {size:,} documents, {label}: {rebuild.seconds / full.seconds:.0%} "
                             f"of the full build html ({rebuild.seconds:.2f} s)")
    return lines


def _verdict(held: bool | None, detail: str) -> str:
    word = {True: "met", False: "NOT met", None: "not measured"}[held]
    return f"{word}{': ' + detail if detail else ''}"


def targets(figures: list) -> list[str]:
    """Issue 7's targets, each met, not met or not measured in this run."""
    checks = []

    def ratio(size, ours, theirs, at_least):
        a, b = _find(figures, size, ours), _find(figures, size, theirs)
        if not (a and b):
            return None, ""
        return b.seconds / a.seconds >= at_least, f"{b.seconds / a.seconds:.2f}x"

    checks.append(("validate faster than jing at 10,000 documents", *ratio(10000, VALIDATE, JING, 1.0)))
    checks.append(("build html at least 2x as fast as Saxon-HE on Java at 1,000 documents",
                   *ratio(1000, HTML, SAXON, 2.0)))
    checks.append(("build html no slower than Saxon-HE on Java at 10,000 documents",
                   *ratio(10000, HTML, SAXON, 1.0)))
    largest = max((f.size for f in figures if isinstance(f.size, int) and _find(figures, f.size, HTML)),
                  default=None)
    for label, limit in ((NO_CHANGE, 0.05), (ONE_CHANGED, 0.10)):
        full, rebuild = _find(figures, largest, HTML), _find(figures, largest, label)
        if full and rebuild:
            share = rebuild.seconds / full.seconds
            checks.append((f"{label} under {limit:.0%} of the full build", share < limit,
                           f"{share:.1%} at {largest:,} documents"))
        else:
            checks.append((f"{label} under {limit:.0%} of the full build", None, ""))
    for label, limit, words in ((BUILD_ALL, 5.0, "the edition: validate + site + text + PDF under 5 s"),
                                (HELP, 0.3, "teiedition --help under 0.3 s")):
        figure = _find(figures, "edition", label)
        checks.append((words, figure.seconds < limit if figure else None,
                       f"{figure.seconds:.2f} s" if figure else ""))
    return [f"- {words}: {_verdict(held, detail)}" for words, held, detail in checks]


def _load_words(machine: dict, load_after: str) -> str:
    """What the load average says of the wall times: other work shared the machine when the
    one-minute load reached the number of usable cores."""
    loads = []
    for reading in (machine.get("load", ""), load_after):
        try:
            loads.append(float(reading.split()[0]))
        except (ValueError, IndexError, AttributeError):
            pass
    if loads and max(loads) >= machine.get("usable_cores", 1):
        return (": at or above the core count, other work shared the machine and stretched the "
                "wall times; CPU s is steadier.")
    return "."


def render(machine: dict, figures: list, source: Path, load_after: str = "") -> str:
    lines = [
        f"## teiedition benchmark, {machine['date']}",
        "",
        f"Machine: {machine['cpu']}, {machine['usable_cores']} of {machine['cores']} cores usable, "
        f"{machine['memory_gib']} GiB memory; {machine['system']}; Python {machine['python']}; "
        f"Java {machine['java'] or 'absent'}; jing {machine['jing'] or 'absent'}; "
        f"teiedition at {machine['commit']}. Load average (1, 5, 15 min) {machine['load']} at the "
        f"start{', ' + load_after + ' at the end' if load_after else ''}"
        f"{_load_words(machine, load_after)}",
        f"Corpora: {source}/ with its documents cycled to N documents (bench/generate.py). "
        "CPU s: user + system time of the command and its workers. "
        "Peak RSS is that of the largest single process (worker processes included). "
        "x floor: wall time over the time lxml alone takes to parse the same files.",
        "",
        *table(figures),
    ]
    compared = comparisons(figures)
    if compared:
        lines += ["", "Comparisons (how many times as fast as the other tool on the same files):", *compared]
    lines += ["", "Targets (issue 7):", *targets(figures)]
    return "\n".join(lines)
