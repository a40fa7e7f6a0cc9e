"""The book's body and indexes laid out in pieces, in forks (pieces.py): the PDF is byte for byte the
one laid out at once, however many pieces; a fork that fails leaves the work to its parent; the
cuts fall only where print.css begins a page, into pieces of about the same size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import TEI

from teiedition import corpus, paged, pdf, pieces

# Lays the book out from the parts record_parts recorded, without Saxon (a fork must not inherit
# it), with --jobs argv[3]; argv[4] is "none" or names the first element of a piece whose fork
# fails and how ("doc-4.5:raises", "doc-4.5:ends"). Prints, for each
# part laid out in pieces, the number of forks made and whether their pages were used; and the
# diagnostics.
REPLAY = """
import json, sys
from pathlib import Path
from teiedition import pieces, paged, pdf
from teiedition.context import BuildContext

answers = {tuple(question): html for question, html in json.loads(Path(sys.argv[1]).read_text())}

class Replayed:
    def __enter__(self): return self
    def __exit__(self, *exc): pass
    def ahead(self, *question, **named): pass
    def done(self): pass
    def __call__(self, part, mention_pages=None, part_pages=None, first_page=1):
        return answers[paged._question(part, mention_pages, part_pages, first_page)]

forks = []
made = pieces._Forks.__init__
def counted(self, root, body, others, render):
    forks.append(len(others))
    made(self, root, body, others, render)
pieces._Forks.__init__ = counted
used = []
gathered = pieces._Forks.pages
def gathering(self, *arguments):
    pages = gathered(self, *arguments)
    used.append(pages is not None)
    return pages
pieces._Forks.pages = gathering
if sys.argv[4] != "none":
    lay_out = pieces._piece
    failing, how = sys.argv[4].split(":")
    def piece(root, *arguments):
        if len(root.find("body")) and root.find("body")[0].get("id") == failing:
            if how == "ends":
                import os
                os._exit(3)
            raise RuntimeError("this fork cannot lay out its piece")
        return lay_out(root, *arguments)
    pieces._piece = piece
out = Path(sys.argv[2])
context = BuildContext([], out, None, jobs=int(sys.argv[3]))
pdf.write([], out / "edition.html", out / "edition.pdf", context=context, parts=Replayed())
assert "saxonche" not in sys.modules
print(json.dumps([forks, used, [d.message for d in context.diagnostics]]))
"""


def record_parts(sources: list[Path], into: Path) -> Path:
    """Lay the book out at once in this process, recording each part print.xsl made for it; write
    the book into `into` and the parts as JSON beside it."""
    recorded = []

    class Recording(paged.Parts):
        def __call__(self, part, mention_pages=None, part_pages=None, first_page=1):
            html = super().__call__(part, mention_pages, part_pages, first_page)
            recorded.append((paged._question(part, mention_pages, part_pages, first_page), html))
            return html

    into.mkdir()
    pdf.write(sources, into / "edition.html", into / "edition.pdf", parts=Recording(sources))
    parts = into.parent / "parts.json"
    parts.write_text(json.dumps(recorded), encoding="utf-8")
    return parts


def replay(parts: Path, out: Path, jobs: int, failing: str = "none") -> tuple[list, list, list]:
    out.mkdir()
    run = subprocess.run([sys.executable, "-c", REPLAY, str(parts), str(out), str(jobs), failing],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, Path]:
    """The real edition's book laid out at once (its folder) and the parts it was made from."""
    root = tmp_path_factory.mktemp("pieces")
    return root / "whole", record_parts(corpus.find_files([TEI]), root / "whole")


@pytest.mark.parametrize(("jobs", "forks"), [(2, [1, 1]), (4, [3, 2])])
def test_the_book_laid_out_in_pieces_is_byte_for_byte_the_book_laid_out_at_once(
        recorded, tmp_path, jobs, forks):
    """Two pieces of the body and two of the indexes; then four of the body and three of the
    indexes, each fork told the pages before it by the one before."""
    whole, parts = recorded
    made, used, diagnostics = replay(parts, tmp_path / "pieces", jobs)
    assert made == forks and used == [True, True]
    assert diagnostics == []
    for name in ("edition.pdf", "edition.html"):
        assert (tmp_path / "pieces" / name).read_bytes() == (whole / name).read_bytes(), name


@pytest.mark.parametrize("how", ["raises", "ends"])
def test_a_fork_that_fails_leaves_the_whole_part_to_its_parent(recorded, tmp_path, how):
    """The fork of the body's third piece (of four) fails (an exception, or it ends without a
    word): its parent lays the body out at once, and the fork after it, never told the pages
    before it, ends too."""
    whole, parts = recorded
    made, used, _ = replay(parts, tmp_path / "failed", 4, failing=f"doc-4.5:{how}")
    assert made == [3, 2] and used == [False, True]
    assert (tmp_path / "failed" / "edition.pdf").read_bytes() == (whole / "edition.pdf").read_bytes()


def body(*children: tuple[str, str, int]):
    """An html root whose body holds (tag, class, characters of text) children."""
    root = ElementTree.Element("html")
    element = ElementTree.SubElement(root, "body")
    for tag, kind, length in children:
        ElementTree.SubElement(element, tag, {"class": kind}).text = "x" * length
    return root


def test_the_cuts_fall_before_parts_that_begin_a_page_and_make_the_largest_piece_small():
    part = body(("section", "titlepage", 500), ("article", "doc", 4000), ("p", "note", 9000),
                ("article", "doc", 3000), ("article", "doc", 6000), ("article", "doc", 1000))
    # Costs (characters, and 75 for the element) 575, 4075, 9075, 3075, 6075, 1075; the <p> begins
    # no page. In two pieces: 13725 | 10225. In three, 575 | 13150 | 10225 would be the best, but
    # its first piece is too small and joins the second: the same two pieces.
    assert pieces._cuts(part.find("body"), 2) == [3]
    assert pieces._cuts(part.find("body"), 3) == [3]
    assert pieces._cuts(part.find("body"), 1) == []
    four = body(*[("article", "doc", 6000)] * 4)
    assert pieces._cuts(four.find("body"), 4) == [1, 2, 3]
    assert pieces._cuts(four.find("body"), 3) == [2]  # a third piece makes none smaller than 12150


def test_a_piece_too_small_joins_its_smaller_neighbour():
    # Costs 9075, 4075, 7075 in three: the middle piece joins the last one; 9075, 4075, 9075: the
    # first (the one before it, when both are as large).
    smaller_after = body(("article", "doc", 9000), ("article", "doc", 4000), ("article", "doc", 7000))
    assert pieces._cuts(smaller_after.find("body"), 3) == [1]
    even = body(("article", "doc", 9000), ("article", "doc", 4000), ("article", "doc", 9000))
    assert pieces._cuts(even.find("body"), 3) == [2]
    assert pieces._cuts(body(("article", "doc", 9000), ("article", "doc", 500)).find("body"), 2) == []
    assert pieces._cuts(body(("section", "front", 9000), ("p", "x", 9000)).find("body"), 2) == []


def test_no_fork_in_a_process_that_has_loaded_saxon_or_may_use_one_process_only():
    import saxonche  # noqa: F401 - loaded by the rest of the suite anyway

    part = body(("article", "doc", 3000), ("article", "doc", 3000), ("article", "doc", 3000))
    laid_out = []

    def render(tree):
        laid_out.append(len(tree.find("body")))
        return "document"

    assert pieces.lay_out(part, render, None, jobs=2) == "document"
    assert pieces.lay_out(part, render, None, jobs=1) == "document"
    assert laid_out == [3, 3]
