"""The print target: print.xsl's paged-media HTML (print/edition.html), laid out by WeasyPrint as a PDF."""

from __future__ import annotations

import logging
import tempfile
from contextlib import contextmanager
from pathlib import Path

from teiedition import cache, combined, resources
from teiedition.diagnostics import warning
from teiedition.text import report_unhandled, transform

DEFAULT_VARIANT = "pdf/ua-1"
MENTION_PREFIX = "m-"
# A layout that moves a mention to another page changes the index; it settles in one more pass.
MAX_LAYOUTS = 3


class PrintError(Exception):
    """The PDF could not be produced; the message says why in one line."""


def paged_html(sources: list[Path], context=None, mention_pages: dict[str, int] | None = None) -> str:
    """The book as one self-contained HTML file for a CSS paged-media engine."""
    stylesheet = resources.stylesheet("print.xsl")
    pages = " ".join(f"{anchor}={page}" for anchor, page in sorted((mention_pages or {}).items()))
    with tempfile.TemporaryDirectory(prefix="teiedition-print-") as folder:
        corpus_file, files = combined.write(sources, Path(folder))
        html, messages = transform(corpus_file, stylesheet, mention_pages=pages)
    if context is not None:
        report_unhandled(messages, files, stylesheet.name, context)
    return html


def mention_pages(document) -> dict[str, int]:
    """Page number (as counter(page) prints it) of every mention anchor in a laid-out document."""
    found = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith(MENTION_PREFIX):
                found.setdefault(anchor, number)
    return found


@contextmanager
def layout_warnings(context):
    """WeasyPrint's warnings (CSS it ignores, missing resources) as diagnostics of the build."""
    class Collector(logging.Handler):
        def emit(self, record):
            if context is not None and record.levelno >= logging.WARNING:
                context.report(warning(str(resources.stylesheet("assets/print.css")), 0,
                                       f"WeasyPrint: {record.getMessage()}", "pdf.layout"))

    logger = logging.getLogger("weasyprint")
    handler = Collector()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def lay_out(sources: list[Path], context=None):
    """The final HTML and its WeasyPrint document, each index entry citing a page once."""
    from weasyprint import HTML

    html = paged_html(sources, context)
    pages: dict[str, int] = {}
    with layout_warnings(context):
        for _ in range(MAX_LAYOUTS):
            document = HTML(string=html, base_url=str(resources.stylesheet_dir())).render()
            found = mention_pages(document)
            if found == pages:
                break
            pages = found
            html = paged_html(sources, None, pages)
    return html, document


def write(sources: list[Path], html_path: Path, pdf_path: Path, variant: str | None = DEFAULT_VARIANT,
          context=None) -> None:
    """Write the paged HTML and the PDF (variant: a WeasyPrint pdf_variant, or None for plain PDF)."""
    from weasyprint import VERSION

    html, document = lay_out(sources, context)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(html, encoding="utf-8")
    try:
        document.write_pdf(str(pdf_path), pdf_variant=variant or None)
    except (ValueError, KeyError) as exc:
        raise PrintError(f"WeasyPrint {VERSION} cannot write PDF variant {variant!r}: {exc}") from None


def build(context) -> None:
    """The `pdf` target: context.out/print/edition.html and context.out/edition.pdf."""
    from teiedition.build import BuildFailed

    variant = context.options.get("pdf_variant", DEFAULT_VARIANT)

    def make() -> None:
        try:
            write(context.sources, context.out / "print" / "edition.html",
                  context.out / "edition.pdf", variant, context)
        except PrintError as exc:
            raise BuildFailed(str(exc)) from None

    # The book depends on every file: laid out again only when an input or a setting changed.
    cache.made_once(context, "pdf", ["print/edition.html", "edition.pdf"], make, variant)
