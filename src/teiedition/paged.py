"""The book as paged-media HTML: print.xsl over the combined corpus, whole or one part at a time,
made in this process or, for the PDF built in a process of its own, in the build's main one."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from teiedition import cache, resources

# combined and text (with Saxon) are imported where used: the PDF's own process, which asks the main
# process for the parts (Asked), never loads them.

STYLESHEET = "print.xsl"
DEFAULT_VARIANT = "pdf/ua-1"  # the PDF variant WeasyPrint writes unless told otherwise
# The outputs of the pdf target: what the PDF's cache entry names (pdf.build).
OUTPUTS = ["print/edition.html", "edition.pdf"]


@contextmanager
def combined_corpus(sources: list[Path]):
    """The corpus combined into one file for print.xsl, written once for every part of a layout."""
    from teiedition import combined

    with tempfile.TemporaryDirectory(prefix="teiedition-print-") as folder:
        yield combined.write(sources, Path(folder))


def paged_html(sources: list[Path], context=None, mention_pages: dict[str, int] | None = None,
               part: str = "all", part_pages: dict[str, int] | None = None, first_page: int = 1,
               corpus=None) -> str:
    """The book as one self-contained HTML file for a CSS paged-media engine, or one part of it (see
    print.xsl's part) as the same markup serialized as XML, for laying out only; corpus: a
    combined_corpus() already written, else one is written."""
    if corpus is None:
        with combined_corpus(sources) as corpus:
            return paged_html(sources, context, mention_pages, part, part_pages, first_page, corpus)
    html, messages = _made(corpus[0], part, pairs(mention_pages), pairs(part_pages), first_page)
    if context is not None:
        from teiedition.text import report_unhandled

        report_unhandled(messages, corpus[1], STYLESHEET, context)
    return html


def _made(corpus_file: Path, part: str, mention_pages: str, part_pages: str,
          first_page: int) -> tuple[str, list[str]]:
    from teiedition.text import transform

    return transform(corpus_file, resources.stylesheet(STYLESHEET), mention_pages=mention_pages,
                     part=part, part_pages=part_pages, first_page=first_page)


def pairs(pages: dict[str, int] | None) -> str:
    """Anchors and their pages as print.xsl takes them: 'anchor=page ...'."""
    return " ".join(f"{anchor}={page}" for anchor, page in sorted((pages or {}).items()))


class Parts:
    """The parts of the book a layout reads, in this process: parts(part, ...) as paged_html gives
    it, over the corpus combined once; what print.xsl renders only as text in the body is
    reported to context."""

    def __init__(self, sources: list[Path], context=None):
        self.sources = sources
        self.context = context

    def __enter__(self) -> Parts:
        self._corpus = combined_corpus(self.sources)
        self.corpus = self._corpus.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._corpus.__exit__(*exc)

    def ahead(self, part: str, mention_pages: dict[str, int] | None = None,
              part_pages: dict[str, int] | None = None, first_page: int = 1) -> None:
        """Nothing: a part is made here when it is read (see Asked.ahead)."""

    def done(self) -> None:
        """Nothing: there is no other process to tell (see Asked.done)."""

    def __call__(self, part: str, mention_pages: dict[str, int] | None = None,
                 part_pages: dict[str, int] | None = None, first_page: int = 1) -> str:
        return paged_html(self.sources, self.context if part == "body" else None, mention_pages,
                          part=part, part_pages=part_pages, first_page=first_page, corpus=self.corpus)


class Asked:
    """The parts of the book asked of the build's main process, for a layout in a process of its
    own (context.ask; see Answers); what print.xsl renders only as text in the body is reported
    to context, as Parts does."""

    def __init__(self, context):
        self.context = context

    def __enter__(self) -> Asked:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def ahead(self, part: str, mention_pages: dict[str, int] | None = None,
              part_pages: dict[str, int] | None = None, first_page: int = 1) -> None:
        """Ask for a part that will be read later: the main process makes it while this one lays
        out what it has."""
        self.context.ask(_question(part, mention_pages, part_pages, first_page), wait=False)

    def done(self) -> None:
        """Tell the main process that the layout has every part it needs: the main process builds
        its own targets meanwhile, on the core the layout leaves free while it writes the PDF."""
        self.context.ask(None, wait=False)

    def __call__(self, part: str, mention_pages: dict[str, int] | None = None,
                 part_pages: dict[str, int] | None = None, first_page: int = 1) -> str:
        html, messages, files = self.context.ask(_question(part, mention_pages, part_pages,
                                                           first_page))
        if part == "body" and messages:
            from teiedition.text import report_unhandled

            report_unhandled(messages, files, STYLESHEET, self.context)
        return html


def _question(part: str, mention_pages: dict[str, int] | None, part_pages: dict[str, int] | None,
              first_page: int) -> tuple:
    """A question to Answers: part, mention pages and part pages (as pairs() gives them), first page."""
    return part, pairs(mention_pages), pairs(part_pages), first_page


BODY = _question("body", None, None, 1)  # the body needs no page of the layout


class Answers:
    """The main process's side of a PDF built in a process of its own (apart.py): it runs print.xsl,
    so that the layout's process need not load Saxon nor compile the stylesheet, and makes the
    body, which depends on no layout, while that process imports WeasyPrint.

    ready(): the answers made ahead, sent with the job; answer(question): one part, as asked.
    """

    def __init__(self, context):
        self.context = context
        self.parts: Parts | None = None  # the combined corpus, written at the first question

    def ready(self) -> dict:
        """The body, made ahead: unless the PDF's cache entry says the previous one will be reused."""
        variant = self.context.options.get("pdf_variant", DEFAULT_VARIANT)
        if cache.made_before(self.context, "pdf", OUTPUTS, variant):
            return {}
        return {BODY: self.answer(BODY)}

    def answer(self, question: tuple) -> tuple[str, list[str], dict[str, Path]]:
        """A part of the book: its HTML, print.xsl's messages and the combined corpus's files (for
        reporting the messages)."""
        if self.parts is None:
            self.parts = Parts(self.context.sources).__enter__()
        corpus_file, files = self.parts.corpus
        html, messages = _made(corpus_file, *question)
        return html, messages, files

    def close(self) -> None:
        if self.parts is not None:
            self.parts.__exit__(None, None, None)
            self.parts = None
