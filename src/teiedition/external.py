"""`validate --schema FILE`: check any TEI files against a RELAX NG, XSD or Schematron schema."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from lxml import etree, isoschematron

from teiedition import corpus, schema
from teiedition.diagnostics import Diagnostic, InputError, error, one_line, sort, warning
from teiedition.validation import Report

SCHEMA_KINDS = {".rng": "rng", ".rnc": "rng", ".xsd": "xsd", ".sch": "schematron"}
MAX_MESSAGE = 400
JING_TIMEOUT = 600
_JING_LINE = re.compile(r"^(.*?):(\d+):(\d+): (error|warning|fatal): (.*)$")
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_SCHEMATRON_SEVERITY = {"warning": "warning", "warn": "warning", "info": "info",
                        "information": "info"}


def check_corpus(paths: Iterable[str | Path], schema_file: Path) -> Report:
    """Check files and folders against schema_file; unreadable schema or input is InputError."""
    kind = SCHEMA_KINDS.get(schema_file.suffix.lower())
    if kind is None:
        raise InputError(error(schema_file, 0, f"unknown schema type '{schema_file.suffix}': "
                               "use a .rng, .rnc, .xsd or .sch file", "schema.type"))
    if not schema_file.is_file():
        raise InputError(error(schema_file, 0, "no such schema file", "schema.unreadable"))
    files = corpus.find_files(paths)
    diagnostics: list[Diagnostic] = []
    trees: dict[Path, etree._ElementTree] = {}
    for path in files:
        try:
            trees[path] = corpus.parse(path)
        except corpus.ParseFailure as failure:
            diagnostics.append(failure.diagnostic)
    if kind == "rng":
        diagnostics.extend(check_relaxng(schema_file, trees))
    elif kind == "xsd":
        diagnostics.extend(check_xsd(schema_file, trees))
    else:
        diagnostics.extend(check_schematron(schema_file, trees))
    return Report(len(files), sort(diagnostics))


def _unreadable(schema_file: Path, problem: object) -> InputError:
    text = one_line(str(problem))
    return InputError(error(schema_file, 0, f"cannot use this schema: {text[:MAX_MESSAGE]}",
                            "schema.unreadable"))


def _short(message: str) -> str:
    message = one_line(message)
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE].rstrip() + " ..."


# ------------------------------------------------------------------ RELAX NG

def check_relaxng(schema_file: Path, trees: dict[Path, etree._ElementTree]) -> list[Diagnostic]:
    """jing when installed (fast, full RELAX NG), else lxml's libxml2 RELAX NG."""
    if not trees:
        return []
    jing = shutil.which("jing")
    if jing:
        return _run_jing(jing, schema_file, list(trees))
    if schema_file.suffix.lower() == ".rnc":
        raise InputError(error(schema_file, 0, "compact RELAX NG (.rnc) needs jing; install it "
                               "or use the .rng form", "schema.unreadable"))
    try:
        relaxng = etree.RelaxNG(etree.parse(str(schema_file), corpus.parser()))
    except (etree.RelaxNGParseError, etree.XMLSyntaxError) as exc:
        raise _unreadable(schema_file, exc) from None
    found = []
    for path, tree in trees.items():
        if not relaxng.validate(tree):
            found.extend(error(path, e.line, _short(e.message), "rng", e.column)
                         for e in relaxng.error_log)
    return found


def _run_jing(jing: str, schema_file: Path, files: list[Path]) -> list[Diagnostic]:
    # Only files our safe parser accepted reach jing: none declares a DTD or an entity.
    command = [jing] + (["-c"] if schema_file.suffix.lower() == ".rnc" else [])
    command += [str(schema_file.resolve())] + [str(p.resolve()) for p in files]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=JING_TIMEOUT,
                             check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _unreadable(schema_file, f"jing did not run: {exc}") from None
    shown = {str(p.resolve()): p for p in files}
    found = []
    for line in run.stdout.splitlines():
        match = _JING_LINE.match(line)
        if not match:
            continue
        where, row, column, severity, message = match.groups()
        if where not in shown:  # a problem in the schema itself
            raise _unreadable(schema_file, f"{Path(where).name}:{row}: {message}")
        make = warning if severity == "warning" else error
        found.append(make(shown[where], int(row), _short(message), "rng", int(column)))
    if run.returncode not in (0, 1) or (run.returncode == 1 and not found):
        raise _unreadable(schema_file, run.stderr.strip().splitlines()[-1:] or "jing failed")
    return found


# ------------------------------------------------------------------ XSD

def check_xsd(schema_file: Path, trees: dict[Path, etree._ElementTree]) -> list[Diagnostic]:
    """libxml2 for XSD 1.0; xmlschema's XSD 1.1 when libxml2 cannot compile the schema."""
    try:
        schema.compiled(schema_file)
    except schema.SchemaError:
        return _check_xsd11(schema_file, trees)
    found = []
    for path, tree in trees.items():
        found.extend(schema.check_tree(str(path), tree, schema_file))
    return found


def _check_xsd11(schema_file: Path, trees) -> list[Diagnostic]:
    import xmlschema

    try:
        xsd = xmlschema.XMLSchema11(str(schema_file))
    except Exception as exc:  # xmlschema raises many kinds for a broken schema
        raise _unreadable(schema_file, exc) from None
    found = []
    for path, tree in trees.items():
        for problem in xsd.iter_errors(tree):
            where = (problem.path or "").lstrip("/")
            found.append(error(path, getattr(problem, "sourceline", 0) or 0,
                               _short(f"{problem.reason} ({where})"), "xsd"))
    return found


# ------------------------------------------------------------------ Schematron

def check_schematron(schema_file: Path, trees: dict[Path, etree._ElementTree]
                     ) -> list[Diagnostic]:
    """ISO Schematron with the XSLT 1.0 query binding, as lxml.isoschematron runs it."""
    try:
        rules = isoschematron.Schematron(etree.parse(str(schema_file), corpus.parser()),
                                         store_report=True)
    except (etree.SchematronParseError, etree.XMLSyntaxError, etree.XSLTParseError) as exc:
        raise _unreadable(schema_file, exc) from None
    found = []
    for path, tree in trees.items():
        rules.validate(tree)
        found.extend(schematron_diagnostics(str(path), tree, rules.validation_report))
    return found


def schematron_diagnostics(path: str, tree: etree._ElementTree, report) -> list[Diagnostic]:
    """Diagnostics from an SVRL report: each failed assert or successful report, with its line."""
    found = []
    for item in report.getroot().iter(SVRL + "failed-assert", SVRL + "successful-report"):
        text = item.find(SVRL + "text")
        message = _short("".join(text.itertext()) if text is not None else "")
        rule = item.get("id") or "schematron"
        severity = _SCHEMATRON_SEVERITY.get((item.get("role") or "").lower(), "error")
        line = _line_of(tree, item.get("location"))
        make = warning if severity == "warning" else error
        diagnostic = make(path, line, message or rule, rule)
        if severity == "info":
            diagnostic = Diagnostic(diagnostic.path, diagnostic.line, 0, "info",
                                    diagnostic.message, rule)
        found.append(diagnostic)
    return found


def _line_of(tree: etree._ElementTree, location: str | None) -> int:
    if not location:
        return 0
    try:
        nodes = tree.xpath(location)
    except etree.XPathError:
        return 0
    if not nodes:
        return 0
    node = nodes[0]
    if isinstance(node, etree._Element):
        return node.sourceline or 0
    parent = getattr(node, "getparent", lambda: None)()
    return (parent.sourceline or 0) if parent is not None else 1
