"""The print edition: every word, every contents and index page number, footnotes, bookmarks, fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree, html
from pypdf import PdfReader
from test_text import FIXTURE, missing_in_order, reading_words, real_documents, words_of

from teiedition import corpus, paged, pdf, resources
from teiedition.build import build

ROOT = Path(__file__).resolve().parents[1]
# WeasyPrint hyphenates with U+2010; pdftotext keeps it at the line end.
HYPHEN_AT_LINE_END = re.compile(r"[-\u2010\u00ad]\s*\n\s*")
# A footnote call reads as digits glued to its word ("Moscow1"): compare words without them.
CALL = re.compile(r"(?<=[^\W\d])\d+$")


def comparable(words: list[str]) -> list[str]:
    return [CALL.sub("", word) for word in words]


def page_texts(pdf_path: Path) -> list[str]:
    """Each page's text as pdftotext reads it, hyphenation at line ends undone, whitespace collapsed."""
    from conftest import require_tool

    tool = require_tool("pdftotext")
    raw = subprocess.run([tool, "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    pages = raw.split("\f")[:-1]
    return [" ".join(HYPHEN_AT_LINE_END.sub("", page).split()) for page in pages]


@cache
def book(out: Path):
    """(reader, plumber, page texts, paged HTML tree) of a built edition."""
    target = out / "edition.pdf"
    return (PdfReader(target), pdfplumber.open(target), page_texts(target),
            html.parse(str(out / "print" / "edition.html")).getroot())


def printed_links(reader: PdfReader, plumber, page_index: int) -> list[tuple[str, str]]:
    """(destination, printed words inside the link's rectangle) for each internal link on a page."""
    page = reader.pages[page_index]
    height = float(page.mediabox.height)
    words = plumber.pages[page_index].extract_words(keep_blank_chars=False)
    found = []
    for annotation in page.get("/Annots", []) or []:
        annotation = annotation.get_object()
        destination = annotation.get("/Dest")
        if not isinstance(destination, str):
            continue
        x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
        left, right = sorted((x0, x1))
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        inside = [w["text"] for w in words if left - 1 <= (w["x0"] + w["x1"]) / 2 <= right + 1
                  and top - 1 <= (w["top"] + w["bottom"]) / 2 <= bottom + 1]
        found.append((destination, " ".join(inside)))
    return found


def destination_pages(reader: PdfReader) -> dict[str, int]:
    return {name: reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def normalised(text: str) -> str:
    return " ".join(HYPHEN_AT_LINE_END.sub("", text).split()).casefold()


def body_text(plumber) -> str:
    """The running text of the whole book, without footnotes, calls, running heads or page numbers
    (all set smaller than the body), so a word hyphenated across a page break joins up again."""
    pages = [page.filter(lambda item: item.get("object_type") != "char" or item["size"] > 9)
             for page in plumber.pages]
    return HYPHEN_AT_LINE_END.sub("", "\n".join(page.extract_text(x_tolerance=1) for page in pages))


def test_pdf_contains_every_word_of_every_document_in_order(built_edition):
    _, plumber, _, _ = book(built_edition)
    produced = comparable(words_of(body_text(plumber)))
    for path in real_documents():
        missing = missing_in_order(comparable(reading_words(path)), produced)
        assert not missing, f"{path.name}: words missing or out of order in the PDF: {missing[:10]}"


def test_every_page_number_in_the_contents_is_right(built_edition):
    reader, plumber, texts, tree = book(built_edition)
    pages = destination_pages(reader)
    entries = {a.get("href")[1:]: a for a in tree.iterfind(".//nav[@id='contents']//a")}
    printed: dict[str, int] = {}
    contents_page = pages["contents"]
    for index in range(contents_page - 1, min(pages[e] for e in entries) - 1):
        for destination, words in printed_links(reader, plumber, index):
            number = words.split()[-1] if words else ""
            if destination in entries and number.isdigit():
                printed[destination] = int(number)
    assert sorted(printed) == sorted(entries), "every contents entry prints a page number"
    for identifier, number in printed.items():
        assert number == pages[identifier], f"contents: {identifier} printed {number}"
        link = entries[identifier]
        heading = link.findtext(".//span[@class='toc-number']")
        label = normalised(f"Document {heading}" if heading else link.text_content())[:40]
        assert label in texts[number - 1].casefold(), f"contents: '{label}' is not on page {number}"


def register_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for path in sorted((ROOT / "tei" / "registers").glob("*.xml")):
        for entry in corpus.parse(path).getroot().iter(corpus.TEI + "person", corpus.TEI + "place",
                                                         corpus.TEI + "org"):
            spelled = entry.xpath("tei:persName | tei:placeName | tei:orgName", namespaces=corpus.NS)
            names[entry.get(corpus.XML_ID)] = {" ".join("".join(n.itertext()).split()) for n in spelled}
    return names


def index_text(plumber, first_page: int) -> str:
    """The indexes' entries as printed (8.5pt), without running heads or page numbers."""
    pages = [page.filter(lambda item: item.get("object_type") != "char" or 8.3 < item["size"] < 8.7)
             for page in plumber.pages[first_page - 1:]]
    return " ".join(" ".join(page.extract_text(x_tolerance=1).split()) for page in pages)


def straddles(plumber, page_number: int, names: set[str]) -> bool:
    """A name that begins at the foot of the page and ends, hyphenated, on the next one."""
    if page_number >= len(plumber.pages):
        return False
    body = [page.filter(lambda item: item.get("object_type") != "char" or item["size"] > 9)
            .extract_text(x_tolerance=1) for page in plumber.pages[page_number - 1:page_number + 1]]
    end = " ".join(body[0].split())
    joined = normalised(end + "\n" + body[1])
    join = len(normalised(end)) - 1
    return any(0 <= joined.find(normalised(n)) <= join < joined.find(normalised(n)) + len(normalised(n))
               for n in names)


def test_every_page_number_in_the_indexes_is_right(built_edition):
    reader, plumber, texts, tree = book(built_edition)
    pages = destination_pages(reader)
    names = register_names()
    for mention in tree.iterfind(".//span[@class='mention']"):
        for ref in mention.get("data-ref").split():
            names.setdefault(ref[1:], set()).add(" ".join(mention.text_content().split()))
    entries = tree.xpath("//section[@class='part index']//p[@class='entry']")
    assert entries, "the indexes have entries"
    printed = index_text(plumber, min(pages[f"index-{k}"] for k in ("person", "place", "org")
                                      if f"index-{k}" in pages))
    position, checked = 0, 0
    for number, entry in enumerate(entries):
        name = " ".join(entry.findtext(".//span[@class='name']").split())
        start = printed.index(name, position)
        following = entries[number + 1] if number + 1 < len(entries) else None
        end = (printed.index(" ".join(following.findtext(".//span[@class='name']").split()), start + 1)
               if following is not None else len(printed))
        run = re.search(r"(\d+(?:,\s*\d+)*)\s*$", printed[start:end])
        numbers = [int(n) for n in re.findall(r"\d+", run.group(1))] if run else []
        links = [a.get("href")[1:] for a in entry.iterfind(".//a")]
        identifier = entry.get("id")[len("entry-"):]
        assert len(numbers) == len(links), f"index: {identifier} prints {numbers} for {len(links)} pages"
        for page_number, anchor in zip(numbers, links, strict=True):
            assert page_number == pages[anchor], f"index: {identifier} printed {page_number} for {anchor}"
            page = texts[page_number - 1].casefold()
            assert any(normalised(n) in page for n in names[identifier]) or straddles(
                plumber, page_number, names[identifier]), f"index: {identifier} not on page {page_number}"
            checked += 1
        position = end
    assert checked == len(tree.xpath("//section[@class='part index']//a"))


def test_index_cites_each_page_once_per_entry(built_edition):
    reader, plumber, _, tree = book(built_edition)
    pages = destination_pages(reader)
    for entry in tree.iterfind(".//section[@class='part index']//p[@class='entry']"):
        cited = [pages[a.get("href")[1:]] for a in entry.iterfind(".//a")]
        assert cited == sorted(set(cited)), f"{entry.get('id')}: pages {cited}"


def footnote_numbers(page) -> tuple[list[str], list[str]]:
    """The footnote calls (small superscript digits) and bodies (bold 'n.' markers) on a page."""
    chars = sorted((c for c in page.chars if c["text"].isdigit() and c["size"] < 7),
                   key=lambda c: (round(c["top"]), c["x0"]))
    calls, previous = [], None
    for char in chars:
        if previous and abs(char["top"] - previous["top"]) < 1 and char["x0"] - previous["x1"] < 1:
            calls[-1] += char["text"]
        else:
            calls.append(char["text"])
        previous = char
    markers = [w["text"][:-1] for w in page.extract_words(extra_attrs=["fontname"])
               if "Bold" in w["fontname"] and re.fullmatch(r"\d+\.", w["text"])]
    return calls, markers


# (page, note number) of footnotes WeasyPrint may move to the next page: none, since print.css asks
# for footnote-policy: line (the call's line goes to the next page with its note; see
# docs/text-and-print.md).
KNOWN_MOVED_FOOTNOTES: set[tuple[int, str]] = set()


def test_every_footnote_body_is_on_the_page_of_its_call(built_edition):
    _, plumber, _, tree = book(built_edition)
    total = len(tree.xpath("//span[@class='footnote']"))
    moved, seen = set(), 0
    for number, page in enumerate(plumber.pages, start=1):
        calls, markers = footnote_numbers(page)
        seen += len(calls)
        moved |= {(number, call) for call in calls if call not in markers}
    assert seen == total, f"{seen} footnote calls found in the PDF, {total} notes in the book"
    assert moved == KNOWN_MOVED_FOOTNOTES


def test_bookmarks_list_every_part_document_and_index(built_edition):
    reader, _, _, tree = book(built_edition)

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = list(titles(reader.outline))
    for document in tree.iterfind(".//article[@class='doc']"):
        expected = " ".join(document.find(".//h1").get("data-bookmark").split())
        assert expected in bookmarks
    for heading in ("Contents", "Index of persons", "Index of places", "Index of organisations"):
        assert heading in bookmarks


def test_all_fonts_are_embedded_and_no_glyph_is_missing(built_edition):
    from conftest import require_tool

    listing = subprocess.run([require_tool("pdffonts"), str(built_edition / "edition.pdf")],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert listing and all(line.split()[-5] == "yes" for line in listing), listing
    _, plumber, texts, _ = book(built_edition)
    assert not any("\ufffd" in text for text in texts)
    for page in plumber.pages:
        assert "(cid:" not in page.extract_text()


def test_pdf_metadata_comes_from_the_edition(built_edition):
    reader, _, _, _ = book(built_edition)
    edition = corpus.parse(ROOT / "tei" / "edition.xml").getroot()
    title = " ".join(edition.find(".//{*}titleStmt/{*}title[@type='main']").text.split())
    assert reader.metadata.title == title
    assert reader.metadata.author and reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_hebrew_and_cyrillic_get_glyphs_from_named_fonts(tmp_path):
    pdf.write(corpus.find_files([FIXTURE]), tmp_path / "e.html", tmp_path / "e.pdf")
    text = " ".join(page_texts(tmp_path / "e.pdf"))
    assert "Тестовые отношения" in text and "מכתבים" in text.replace("\u200f", "") or "םיבתכמ" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "e.pdf")], capture_output=True, text=True).stdout
    assert "Noto-Serif-Hebrew" in fonts


def test_two_builds_with_source_date_epoch_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build([FIXTURE], tmp_path / "one", targets=["pdf"], validate=False)
    second = build([FIXTURE], tmp_path / "two", targets=["pdf"], validate=False)
    assert (first.out / "edition.pdf").read_bytes() == (second.out / "edition.pdf").read_bytes()


def test_pdf_variant_none_gives_an_untagged_pdf_and_ua_a_tagged_one(tmp_path):
    sources = corpus.find_files([FIXTURE])
    pdf.write(sources, tmp_path / "a.html", tmp_path / "plain.pdf", variant=None)
    pdf.write(sources, tmp_path / "b.html", tmp_path / "ua.pdf", variant="pdf/ua-1")
    assert "/StructTreeRoot" not in PdfReader(tmp_path / "plain.pdf").trailer["/Root"]
    assert "/StructTreeRoot" in PdfReader(tmp_path / "ua.pdf").trailer["/Root"]


def test_unknown_pdf_variant_stops_the_build_with_one_line(tmp_path):
    from teiedition.build import BuildFailed

    with pytest.raises(BuildFailed) as failure:
        build([FIXTURE], tmp_path / "out", targets=["pdf"], validate=False,
              options={"pdf_variant": "pdf/x-9"})
    assert "pdf/x-9" in str(failure.value) and "\n" not in str(failure.value)
    assert not (tmp_path / "out").exists()


def test_paged_html_is_self_contained(built_edition):
    source = (built_edition / "print" / "edition.html").read_text(encoding="utf-8")
    tree = etree.HTML(source.encode("utf-8"))
    assert tree.find(".//style") is not None and "@page" in tree.findtext(".//style")
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src]")
    assert not tree.xpath("//img[not(starts-with(@src, 'data:'))]")


def test_every_link_in_the_print_edition_is_web_mail_or_a_place_in_the_book(built_edition):
    hostile = paged.paged_html(corpus.find_files([ROOT / "tests" / "data" / "hostile" / "unsafe"]))
    for source in ((built_edition / "print" / "edition.html").read_text(encoding="utf-8"), hostile):
        tree = etree.HTML(source.encode("utf-8"))
        ids = set(tree.xpath("//@id"))
        for href in tree.xpath("//a/@href"):
            if href.startswith("#"):
                assert href[1:] in ids, f"{href} points at no place in the book"
            else:
                assert re.match(r"(https?://[^/\\]|mailto:)", href), href
    tree = etree.HTML((built_edition / "print" / "edition.html").read_bytes())
    cross_references = sum(len(corpus.parse(path).getroot().xpath(
        "//tei:text//tei:ref[starts-with(@target, '#')]", namespaces=corpus.NS)) for path in real_documents())
    assert len(tree.xpath("//article//a[starts-with(@href, '#')]")) == cross_references


def test_references_to_registers_entries_and_other_files_become_places_in_the_book(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    document = copy / "documents" / "doc-9.2.xml"
    links = ('<ref target="#persons">R</ref> <ref target="#alpha">E</ref> '
             '<ref target="doc-9.1.xml#doc-9.1">F</ref> <ref target="#nowhere">N</ref> '
             '<ref target="notes.html">P</ref>')
    document.write_text(document.read_text(encoding="utf-8").replace(
        "<p>Secret.</p>", f"<p>Secret. {links}</p>"), encoding="utf-8")
    tree = etree.HTML(paged.paged_html(corpus.find_files([copy])).encode("utf-8"))
    hrefs = {a.text: a.get("href") for a in tree.iterfind(".//article//a")}
    assert hrefs == {"R": "#index-person", "E": "#entry-alpha", "F": "#doc-9.1",
                     "P": "https://example.org/fixture/notes.html"}


def whole_layout_texts(html: str, tmp_path: Path) -> list[str]:
    """Page texts of the written paged HTML laid out at once, as any paged-media engine would."""
    from weasyprint import HTML

    from teiedition import resources

    target = tmp_path / "whole.pdf"
    HTML(string=html, base_url=str(resources.stylesheet_dir())).render().write_pdf(target)
    return page_texts(target)


def laid_out_texts(document, tmp_path: Path) -> list[str]:
    target = tmp_path / "parts.pdf"
    document.write_pdf(target)
    return page_texts(target)


def test_book_laid_out_in_parts_is_the_book_laid_out_whole(tmp_path):
    html, document = pdf.lay_out(corpus.find_files([FIXTURE]))
    assert laid_out_texts(document, tmp_path) == whole_layout_texts(html, tmp_path)


def test_contents_of_another_length_makes_the_whole_book_be_laid_out_again(tmp_path, monkeypatch):
    written = paged.paged_html

    def longer_front(sources, context=None, mention_pages=None, part="all", **options):
        html = written(sources, context, mention_pages, part, **options)
        extra = '<p style="break-before: page">EXTRA-PAGE</p></body>'
        return html.replace("</body>", extra) if part == "front" else html

    laid_out_whole = []
    lay_out_whole = pdf._lay_out_whole

    def spy(*args):
        laid_out_whole.append(True)
        return lay_out_whole(*args)

    monkeypatch.setattr(paged, "paged_html", longer_front)
    monkeypatch.setattr(pdf, "_lay_out_whole", spy)
    html, document = pdf.lay_out(corpus.find_files([FIXTURE]))
    assert laid_out_whole == [True]
    texts = laid_out_texts(document, tmp_path)
    assert texts == whole_layout_texts(html, tmp_path) and "EXTRA-PAGE" not in " ".join(texts)


def test_a_book_without_mentions_has_no_index_and_no_empty_page(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    for path in (copy / "documents").glob("*.xml"):
        path.write_text(re.sub(r' ref="[^"]*"', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    html, document = pdf.lay_out(corpus.find_files([copy]))
    assert "index-person" not in html
    assert laid_out_texts(document, tmp_path) == whole_layout_texts(html, tmp_path)


def test_mention_ids_number_every_mention_of_their_file_in_document_order():
    sources = corpus.find_files([FIXTURE])
    tree = etree.HTML(paged.paged_html(sources).encode("utf-8"))
    printed = {span.get("id") for span in tree.iterfind(".//span[@class='mention']")}
    expected = set()
    for path in sources:
        root = corpus.parse(path).getroot()
        mentions = root.xpath(".//tei:persName[@ref] | .//tei:placeName[@ref] | .//tei:orgName[@ref]"
                              " | .//tei:rs[@ref]", namespaces=corpus.NS)
        in_text = [mention.xpath("ancestor::tei:text", namespaces=corpus.NS) for mention in mentions]
        expected |= {f"m-{root.get(corpus.XML_ID)}-{number}"
                     for number, printed_there in enumerate(in_text, start=1) if printed_there}
    assert printed and printed <= expected
    assert "m-doc-9.1-1" not in printed  # the sender in the header is the file's first mention


def test_parts_of_the_book_are_laid_out_from_xml_and_the_written_book_is_html():
    from xml.etree import ElementTree

    sources = corpus.find_files([FIXTURE])
    for part in ("body", "index", "front"):
        root = ElementTree.fromstring(paged.paged_html(sources, part=part))
        assert root.tag == "html" and root.find("body") is not None
    assert paged.paged_html(sources).startswith("<!DOCTYPE")


def test_a_part_reaches_a_weasyprint_that_keeps_its_tree_otherwise_as_html(monkeypatch):
    from xml.etree import ElementTree

    sources = corpus.find_files([FIXTURE])
    root = ElementTree.fromstring(paged.paged_html(sources, part="body"))
    base = str(resources.stylesheet_dir())
    fast = pdf._parsed_html(root, base).render()
    html_class = pdf.weasyprint.HTML

    class KeepsItsTreeElsewhere(html_class):  # as a WeasyPrint without wrapper_element would
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            del self.wrapper_element
            self.render = lambda **options: html_class(string=self.given, base_url=base).render()
            self.given = kwargs.get("string")
    monkeypatch.setattr(pdf.weasyprint, "HTML", KeepsItsTreeElsewhere)
    parsed = pdf._parsed_html(root, base).render()
    words = [" ".join(box.text for box in page_boxes(page)) for page in fast.pages]
    assert [" ".join(box.text for box in page_boxes(page)) for page in parsed.pages] == words
    assert len(words) > 1 and "Secret" in " ".join(words)


def page_boxes(page):
    """The text boxes of a laid-out page, in order."""
    found, todo = [], [page._page_box]
    while todo:
        box = todo.pop()
        if hasattr(box, "text") and isinstance(box.text, str):
            found.append(box)
        todo.extend(reversed(getattr(box, "children", [])))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is skipped on Linux only")
def test_weasyprint_is_imported_without_a_library_search_and_with_one_when_it_is_needed():
    script = """
import cffi, ctypes.util, sys
searched = []
search = ctypes.util.find_library
def counting(name):
    searched.append(name)
    return search(name)
ctypes.util.find_library = counting
if sys.argv[1] == "no-soname":  # a system whose libraries load only by the name the search finds
    dlopen = cffi.FFI.dlopen
    def by_search_only(self, name, *args):
        if ".so." in str(name):
            raise OSError(name)
        return dlopen(self, name, *args)
    cffi.FFI.dlopen = by_search_only
from teiedition import pdf
assert ctypes.util.find_library is counting
print(len(searched), pdf.weasyprint.__name__)
"""
    for case, searched in (("plain", lambda n: n == 0), ("no-soname", lambda n: n > 0)):
        run = subprocess.run([sys.executable, "-c", script, case], capture_output=True, text=True,
                             check=True)
        count, name = run.stdout.split()
        assert name == "weasyprint" and searched(int(count)), (case, run.stdout)


def test_the_collector_settings_are_restored_after_writing(tmp_path):
    import gc

    thresholds = gc.get_threshold()
    pdf.write(corpus.find_files([FIXTURE]), tmp_path / "e.html", tmp_path / "e.pdf")
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0


def test_the_parts_share_their_parsed_stylesheets(tmp_path, monkeypatch):
    """Each part's style element (print.css, and for the indexes the page they start on) is
    parsed once for the three layouts: the body and the front share theirs. The book is the one
    laid out whole, print.css applied."""
    parsed = []
    stylesheet = pdf.weasyprint.CSS

    def counting(*args, **options):
        parsed.append(options.get("string", ""))
        return stylesheet(*args, **options)

    monkeypatch.setattr(pdf.weasyprint, "CSS", counting)
    html, document = pdf.lay_out(corpus.find_files([FIXTURE]))
    assert len(set(parsed)) == len(parsed) == 2 and all("@page" in text for text in parsed)
    assert laid_out_texts(document, tmp_path) == whole_layout_texts(html, tmp_path)
