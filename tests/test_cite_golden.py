"""Golden citations: every style and format for a letter, the telegram, a passage and a person.

Regenerate after a reviewed change with TEIEDITION_REGEN_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from teiedition import cite, cite_formats
from tests.conftest import DATA, TEI

GOLDEN = Path(__file__).resolve().parent / "golden" / "cite"
REGENERATE = os.environ.get("TEIEDITION_REGEN_GOLDEN") == "1"
ACCESSED = "2025-01-15"
CASES = {
    "fixture": (DATA / "cite", ("doc-1", "doc-2", "doc-2-item1", "razin")),
    # A letter, the telegram, a passage of the telegram, a person.
    "edition": (TEI, ("doc-4.2", "doc-4.3", "doc-4.3-item1", "razin")),
}


def all_formats(identifier: str, corpus: Path) -> str:
    """Every style in text and HTML, then BibTeX, RIS and CSL-JSON, as one reviewable file."""
    sections = []
    for style in cite_formats.STYLES:
        for output_format in ("text", "html"):
            sections.append((f"{style} {output_format}", cite.cite(
                identifier, corpus, style=style, output_format=output_format, accessed=ACCESSED)))
    for output_format in ("bibtex", "ris", "csl-json"):
        sections.append((output_format, cite.cite(identifier, corpus, output_format=output_format,
                                                  accessed=ACCESSED)))
    return "".join(f"## {title}\n{text.rstrip()}\n\n" for title, text in sections)


@pytest.mark.parametrize(("corpus_name", "identifier"),
                         [(name, i) for name, (_c, ids) in CASES.items() for i in ids])
def test_citation_matches_golden(corpus_name, identifier):
    corpus, _ids = CASES[corpus_name]
    if corpus_name == "edition" and not (corpus / "edition.xml").is_file():
        pytest.skip("tei/edition.xml is not in the checkout yet; the edition goldens need it")
    actual = all_formats(identifier, corpus)
    golden = GOLDEN / corpus_name / f"{identifier}.txt"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with TEIEDITION_REGEN_GOLDEN=1 and review"
    assert actual == golden.read_text(encoding="utf-8")
