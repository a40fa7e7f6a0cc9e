"""Citations for the site: each document's "cite this" text and downloads, from the CLI's records."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from teiedition import cite_formats
from teiedition.cite import CitationError, Record, check_identifier, edition_of, load, record
from teiedition.corpus import Corpus

SITE_FORMATS = ("text", "bibtex", "ris", "csl-json")


def site_citation_problem(identifier: str | None) -> str | None:
    """Why site_citations leaves out a document with this xml:id, or None when it cites it."""
    if not identifier:
        return "it has no xml:id"
    try:
        check_identifier(identifier)
    except CitationError as exc:
        return str(exc)
    return None
# citeproc-py takes some 70 ms per entry in the Chicago styles: above this many documents the
# entries are rendered in a pool of processes (records are plain data and pickle).
PARALLEL_THRESHOLD = 40


def _site_formats(job: tuple[Record, str]) -> tuple[str, dict[str, str]]:
    citation, style = job
    return citation.id, {f: cite_formats.render(citation, style, f) for f in SITE_FORMATS}


def site_citations(sources, style: str = "chicago-notes-bibliography",
                   jobs: int | None = None) -> dict[str, dict[str, str]]:
    """{document id: {format: citation}} for the site's "cite this" blocks and downloads.

    The same render() as `teiedition cite` produces these, so the page and the command agree.
    """
    corpus = load(sources) if isinstance(sources, (str, Path, Corpus)) else Corpus.load(sources)
    if corpus.edition is None:  # TEI from elsewhere: nothing to cite it in; pages show their own line
        return {}
    # A document whose id is no NCName or not its own (foreign TEI built with --no-validate) is
    # left out: its page has no citation, and the site warns about it.
    uses = Counter(d.id for d in corpus.documents)
    try:
        edition_of(corpus)
        records = [(record(d.id, corpus), style) for d in corpus.documents
                   if site_citation_problem(d.id) is None and uses[d.id] == 1
                   and corpus.lookup(d.id)[1] is d.root]
    except CitationError as exc:
        from teiedition.build import BuildFailed

        raise BuildFailed(f"citations: {exc}") from None
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(records) < PARALLEL_THRESHOLD:
        return dict(map(_site_formats, records))
    with ProcessPoolExecutor(min(workers, 8)) as pool:
        return dict(pool.map(_site_formats, records, chunksize=max(1, len(records) // (workers * 4))))
