"""Nothing lost: generated documents within the schema validate, build, and keep every character."""

from __future__ import annotations

import re
import shutil
from xml.sax.saxutils import escape

import lxml.html
import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teiedition import corpus, site, site_index, text, validation
from teiedition.build import build

MINIMAL = DATA / "hostile" / "minimal"
# Text that breaks naive code: combining marks, right-to-left scripts and controls, characters
# outside the Basic Multilingual Plane, private-use characters (MUFI), odd spaces, markup characters.
UNUSUAL = ["e\u0301", "\u0301\u0302\u0303", "\u05e9\u05b8\u05dc\u05d5\u05b9\u05dd",
           "\u0627\u0644\u0633\u0644\u0627\u0645",
           "\u200f", "\u200e", "\u202e", "\u2067", "\u2069", "\U0001F600", "\U0001F468\u200d\U0001F469",
           "\U00010348", "\U00020000", "\U0001D400", "\u00a0", "\u00ad", "\u200b", "\u3000", "\u2028",
           "\ue010", "\uf1ac", "<", "&", ">", "]]>", '"', "'", "\u00df", "\ufb01", "\u03a9",
           "\u0416", "\u4e2d\u6587", "[\u2026]", "*", "_", "#", "\\", "{}", "1."]
# text.py marks lines with U+E000-U+E00F; that clash has its own test below.
TEXT_MARKERS = "".join(chr(code) for code in range(0xE000, 0xE010))
LETTERS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"),
                        blacklist_characters="\ufeff" + TEXT_MARKERS)
WORD = st.one_of(st.sampled_from(UNUSUAL), st.text(LETTERS, min_size=1, max_size=5))
TEXT = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
XML_SPACE = re.compile(r"[ \t\r\n]+")


def inline(children):
    """One inline element around generated content, as (xml, [text segments])."""
    def wrap(element, attributes, parts):
        xml = "".join(part[0] for part in parts)
        return (f"<{element}{attributes}>{xml}</{element}>", [s for part in parts for s in part[1]])
    some = st.lists(children, min_size=1, max_size=2)
    return st.one_of(
        st.builds(lambda rend, parts: wrap("hi", f' rend="{rend}"', parts),
                  st.sampled_from(["italic", "bold", "underline", "sup"]), some),
        st.builds(lambda parts: wrap("persName", ' ref="#anna"', parts), some),
        st.builds(lambda parts: wrap("placeName", ' ref="#vienna"', parts), some),
        st.builds(lambda parts: wrap("date", ' when="1953-04-04"', parts), some),
    )


PLAIN = TEXT.map(lambda t: (escape(t), [t]))
INLINE = st.recursive(PLAIN, inline, max_leaves=4)
GAP = st.just(('<gap reason="omitted-in-source"/>', []))


@st.composite
def documents(draw) -> tuple[str, list[str]]:
    """A document body within the project schema, and the text segments it holds."""
    notes = iter(range(1, 1000))
    segments: list[str] = []

    def run(pieces) -> str:
        segments.extend(s for piece in pieces for s in piece[1])
        return "".join(piece[0] for piece in pieces)

    def note() -> tuple[str, list[str]]:
        parts = draw(st.lists(INLINE, min_size=1, max_size=2))
        return (f'<note type="editorial" xml:id="gen-note{next(notes)}">'
                f'{"".join(p[0] for p in parts)}</note>', [s for p in parts for s in p[1]])

    head = run(draw(st.lists(INLINE, min_size=1, max_size=2)))
    blocks = []
    for _paragraph in range(draw(st.integers(1, 3))):
        pieces = draw(st.lists(st.one_of(INLINE, GAP, st.just(None)), min_size=1, max_size=5))
        pieces = [note() if piece is None else piece for piece in pieces]
        blocks.append(f"<p>{run(pieces)}</p>")
    if draw(st.booleans()):
        items = draw(st.lists(st.lists(INLINE, min_size=1, max_size=2), min_size=1, max_size=3))
        blocks.append("<list>" + "".join(f"<item>{run(item)}</item>" for item in items) + "</list>")
    body = f'<div type="document"><head>{head}</head>{"".join(blocks)}</div>'
    return body, [s for s in segments if XML_SPACE.sub(" ", s).strip()]


def document_file(template: str, body: str) -> str:
    start = template.index('<div type="document">')
    end = template.index("</div>", template.rindex("</p>")) + len("</div>")
    return template[:start] + body + template[end:]


def normalised(value: str) -> str:
    """Whitespace as XML and HTML treat it: runs of the four XML space characters are one space."""
    return XML_SPACE.sub(" ", value).strip()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The minimal edition with a place register, and the site renderer set up once for 'gen'."""
    root = tmp_path_factory.mktemp("roundtrip")
    folder = root / "corpus"
    shutil.copytree(MINIMAL, folder)
    (folder / "registers" / "places.xml").write_text(
        (folder / "registers" / "persons.xml").read_text()
        .replace('xml:id="persons"', 'xml:id="places"').replace(">Persons<", ">Places<")
        .replace("listPerson", "listPlace")
        .replace('<person xml:id="anna"><persName type="main"><forename>Anna</forename> '
                 '<surname>Berg</surname></persName></person>',
                 '<place xml:id="vienna"><placeName type="main">Vienna</placeName></place>')
        .replace('<person xml:id="boris"><persName type="main"><forename>Boris</forename> '
                 '<surname>Cohn</surname></persName></person>', ""))
    template = (folder / "documents" / "letter-1.xml").read_text()
    generated = folder / "documents" / "letter-1.xml"
    sources = corpus.find_files([folder])
    index = site_index.gather(sources)
    index_file = root / "site-index.xml"
    index.tree.write(str(index_file), encoding="UTF-8", xml_declaration=True)
    pages = root / "pages"
    pages.mkdir()
    position = next(number for number, document in enumerate(index.documents, 1)
                    if document["page"] == "letter-1")
    return {"folder": folder, "template": template, "file": generated, "sources": sources,
            "renderer": site._Renderer(index_file, pages), "pages": pages,
            "record": index.record_xml(position)}  # the header, which the examples keep


@settings(max_examples=500, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(generated=documents())
def test_generated_documents_validate_and_every_character_reaches_html_and_text(workspace, generated):
    body, segments = generated
    workspace["file"].write_text(document_file(workspace["template"], body), encoding="utf-8")

    errors = [d.format() for d in validation.check_corpus([workspace["folder"]], jobs=1).diagnostics
              if d.severity == "error"]
    assert errors == []

    workspace["renderer"].document(workspace["file"], "letter-1", workspace["record"])
    page = lxml.html.fromstring((workspace["pages"] / "letter-1.html").read_bytes())
    html_text = normalised(page.text_content())
    plain = normalised(text.render_texts(workspace["sources"], 72)["letter-1.txt"])
    for segment in segments:
        assert normalised(segment) in html_text, f"lost in HTML: {segment!r}"
        assert normalised(segment) in plain, f"lost in plain text: {segment!r}"


@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(bodies=st.lists(documents(), min_size=15, max_size=15))
def test_a_corpus_of_generated_documents_goes_through_the_whole_build(tmp_path_factory, bodies):
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    shutil.copytree(MINIMAL, folder, ignore=shutil.ignore_patterns("letter-*.xml"))
    template = (MINIMAL / "documents" / "letter-1.xml").read_text()
    (folder / "registers" / "places.xml").write_text(
        (MINIMAL / "registers" / "persons.xml").read_text().replace('xml:id="persons"', 'xml:id="places"')
        .replace("listPerson", "listPlace").replace("<person ", "<place ").replace("</person>", "</place>")
        .replace('xml:id="anna"', 'xml:id="vienna"').replace('xml:id="boris"', 'xml:id="graz"')
        .replace("persName", "placeName").replace("<forename>", "").replace("</forename>", "")
        .replace("<surname>", "").replace("</surname>", ""))
    for number, (body, _segments) in enumerate(bodies, 1):
        identifier = f"gen-{number}"
        content = document_file(template, body.replace("gen-note", f"{identifier}-note"))
        content = content.replace('xml:id="letter-1"', f'xml:id="{identifier}"')
        content = content.replace("letter-1-", f"{identifier}-").replace(">1</idno>", f">{number}</idno>")
        (folder / "documents" / f"{identifier}.xml").write_text(content, encoding="utf-8")
    out = folder.parent / "out"
    result = build([folder], out, ["html", "text"], jobs=1, options={"no_search": True})
    assert [d.format() for d in result.diagnostics if d.severity == "error"] == []
    for number, (_body, segments) in enumerate(bodies, 1):
        page = normalised(lxml.html.fromstring((out / "site" / f"gen-{number}.html").read_bytes())
                          .text_content())
        plain = normalised((out / "text" / f"gen-{number}.txt").read_text(encoding="utf-8"))
        for segment in segments:
            assert normalised(segment) in page and normalised(segment) in plain, repr(segment)


def test_private_use_characters_reach_the_plain_text(workspace):
    characters = "\ue000\ue001\ue002\ue00f"
    body = f'<div type="document"><head>PUA</head><p>MUFI {characters} letters</p></div>'
    workspace["file"].write_text(document_file(workspace["template"], body), encoding="utf-8")
    assert characters in text.render_texts(workspace["sources"], 72)["letter-1.txt"]
