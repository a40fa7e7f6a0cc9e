"""The print target: print.xsl's paged-media HTML (print/edition.html), laid out by WeasyPrint as a PDF."""

from __future__ import annotations

import ctypes.util
import gc
import io
import logging
import sys
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from xml.etree import ElementTree

from teiedition import cache, pieces, resources
from teiedition.diagnostics import warning
from teiedition.paged import DEFAULT_VARIANT, OUTPUTS, Asked, Parts

MENTION_PREFIX = "m-"
INDEX_PREFIX = "index-"
# A layout that moves a mention to another page changes the index; it settles in one more pass.
MAX_LAYOUTS = 3


class PrintError(Exception):
    """The PDF could not be produced; the message says why in one line."""


def _import_weasyprint():
    """WeasyPrint, imported without the library search that cost its import a third of a second.

    WeasyPrint tries several names for each native library (Pango, HarfBuzz, fontconfig, ...) and
    cffi asks ctypes.util.find_library about each name it cannot load as given; on Linux that runs
    ldconfig, gcc and ld for each, some eighty processes (0.24 s of CPU time, more of wall time).
    Each list of names holds the library's soname, which the dynamic loader finds by itself, so on
    Linux the search is skipped; should a library then be missing, the import runs again with the
    search. The cycle collector is off meanwhile, and what the import made (objects that live as
    long as the process, not garbage) is then set aside from its scans (gc.freeze): collecting them
    took 0.05 s.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint
        return weasyprint
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    collecting = gc.isenabled()
    gc.disable()
    try:
        with redirect_stdout(io.StringIO()):  # WeasyPrint prints a notice for a missing library
            import weasyprint
        return weasyprint
    except OSError:
        for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
        gc.freeze()
        if collecting:
            gc.enable()
    import weasyprint
    return weasyprint


# Imported with this module: a build imports the pdf target in a process of its own, ahead of time.
weasyprint = _import_weasyprint()


def mention_pages(document) -> dict[str, int]:
    """Page number (as counter(page) prints it) of every mention anchor in a laid-out document."""
    return {anchor: page for anchor, page in anchor_pages(document).items()
            if anchor.startswith(MENTION_PREFIX)}


def anchor_pages(document, first: int = 1) -> dict[str, int]:
    """Page number of every anchor in a laid-out document whose first page is numbered first."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first):
        for anchor in page.anchors:
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


def lay_out(sources: list[Path], context=None, parts=None):
    """The final HTML and its WeasyPrint document, each index entry citing a page once.

    The book is laid out once without its indexes, which gives the page of every mention and of
    every part; the indexes (citing those pages) and then the title, imprint and contents (citing
    the parts' and the indexes' pages) are laid out alone, and the pages are put together. Should
    the contents come out longer or shorter than in the first layout, the whole book is laid out
    again until its index pages settle. The body and the indexes are each laid out in pieces, one
    per process the build may use (context.jobs; see pieces.py). parts: where the parts of the
    book come from (a paged.Parts or paged.Asked); by default they are made here.
    """
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # one for every part, so that the parts' pages share their fonts

    base = str(resources.stylesheet_dir())

    def render(html):
        return weasyprint.HTML(string=html, base_url=base).render(font_config=fonts)

    sheets: dict[str, object] = {}

    def render_part(markup, jobs=1):
        root = ElementTree.fromstring(markup)
        stylesheets = _shared_stylesheets(root, base, fonts, sheets)
        return pieces.lay_out(root, lambda root: _parsed_html(root, base).render(
            font_config=fonts, stylesheets=stylesheets), fonts, jobs)

    parts = parts or Parts(sources, context)
    with layout_warnings(context), parts:
        jobs = context.jobs if context is not None else 1
        body = render_part(parts("body"), jobs)
        anchors = anchor_pages(body)
        mentions = mention_pages(body)
        first_index_page = len(body.pages) + 1
        parts.ahead("index", mentions, first_page=first_index_page)
        parts.ahead("all", mentions)  # the final HTML, made while the indexes and front are laid out
        indexes = render_part(parts("index", mentions, first_page=first_index_page), jobs)
        index_anchors = anchor_pages(indexes, first_index_page)
        if not any(anchor.startswith(INDEX_PREFIX) for anchor in index_anchors):
            indexes.pages = []  # no register entry is mentioned: the part is an empty page
        anchors.update(index_anchors)
        pages = {anchor: page for anchor, page in anchors.items() if not anchor.startswith(MENTION_PREFIX)}
        front = render_part(parts("front", mentions, part_pages=pages))
        html = parts("all", mentions)
        parts.done()
        targets = [anchors[target] for target in _internal_links(front) if target in anchors
                   and not target.startswith(INDEX_PREFIX)]
        if targets and min(targets) == len(front.pages) + 1:
            return html, body.copy(front.pages + body.pages[len(front.pages):] + indexes.pages)
        return _lay_out_whole(parts, html, mentions, render)


def _parsed_html(root, base_url: str):
    """WeasyPrint's document for an HTML tree already parsed.

    Expat parses a part of the book, written as XML, in about a millisecond; WeasyPrint's HTML5
    parser, in Python, took 0.2 s for the three parts. WeasyPrint takes no tree, so the document is
    made for an empty string and then given the tree, as HTML.__init__ gives it its parser's. A
    WeasyPrint that keeps its tree otherwise gets the part as HTML, through its own parser.
    """
    document = weasyprint.HTML(string="", base_url=base_url)
    try:
        wrapper = type(document.wrapper_element)  # cssselect2's ElementWrapper
        document.wrapper_element = wrapper.from_html_root(root, content_language=None)
        document.etree_element = document.wrapper_element.etree_element
    except (AttributeError, TypeError):
        markup = ElementTree.tostring(root, encoding="unicode", method="html")
        return weasyprint.HTML(string=markup, base_url=base_url)
    return document


def _shared_stylesheets(root, base_url: str, fonts, sheets: dict) -> list:
    """The part's style elements, taken out of its tree and parsed once for all parts that carry the
    same text (sheets: text → WeasyPrint's stylesheet; the body and the front share print.css, the
    indexes add the page they start on). WeasyPrint applies them as author stylesheets after any
    the document still links: the same cascade when they come last, as in print.xsl's parts.
    Parsing print.css takes 30 ms."""
    found = []
    for head in root.findall("head"):
        for style in head.findall("style"):
            if set(style.keys()) - {"type"}:  # media or another attribute: left to WeasyPrint
                continue
            text = style.text or ""
            if text not in sheets:
                sheets[text] = weasyprint.CSS(string=text, base_url=base_url, font_config=fonts)
            found.append(sheets[text])
            head.remove(style)
    return found


def _internal_links(document) -> set[str]:
    return {link[1] for page in document.pages for link in page.links if link[0] == "internal"}


def _lay_out_whole(parts, html, mentions, render):
    """The whole book laid out at once, again until the pages its indexes cite settle."""
    for _ in range(MAX_LAYOUTS):
        document = render(html)
        found = mention_pages(document)
        if found == mentions:
            break
        mentions = found
        html = parts("all", mentions)
    return html, document


def write(sources: list[Path], html_path: Path, pdf_path: Path, variant: str | None = DEFAULT_VARIANT,
          context=None, parts=None) -> None:
    """Write the paged HTML and the PDF (variant: a WeasyPrint pdf_variant, or None for plain PDF);
    parts: as lay_out takes them."""
    with _fewer_collections():
        html, document = lay_out(sources, context, parts)
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(html, encoding="utf-8")
        try:
            document.write_pdf(str(pdf_path), pdf_variant=variant or None)
        except (ValueError, KeyError) as exc:
            raise PrintError(f"WeasyPrint {weasyprint.VERSION} cannot write PDF variant {variant!r}: "
                             f"{exc}") from None


@contextmanager
def _fewer_collections():
    """Python's cycle collector run less often while the book is laid out and written.

    A layout makes millions of short-lived objects and keeps hundreds of thousands (the pages'
    boxes); with the default thresholds the collector ran some 500 times, scanning the kept boxes
    again and again (0.45 s of a 5 s build). Objects alive before the layout (modules, the compiled
    stylesheet) are set aside from every scan, and the youngest generation is collected after
    20,000 allocations instead of 700: about a third of the collections and of their time, for a
    few MB more memory at the peak.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def build(context) -> None:
    """The `pdf` target: context.out/print/edition.html and context.out/edition.pdf."""
    from teiedition.context import BuildFailed

    variant = context.options.get("pdf_variant", DEFAULT_VARIANT)

    def make() -> None:
        try:
            write(context.sources, context.out / OUTPUTS[0], context.out / OUTPUTS[1], variant,
                  context, Asked(context) if context.ask else None)
        except PrintError as exc:
            raise BuildFailed(str(exc)) from None

    # The book depends on every file: laid out again only when an input or a setting changed.
    cache.made_once(context, "pdf", OUTPUTS, make, variant)
