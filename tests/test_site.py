"""The HTML site built from TEI: pages, links to registers, complete text, safety and warnings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import TEI
from lxml import etree
from site_helpers import (
    FIXTURE,
    NS,
    XML_ID,
    build_site,
    copy_fixture,
    documents,
    page,
    page_mentions,
    page_words,
    register_kinds,
    tei_mentions,
    tei_words,
)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    site, _result = build_site(FIXTURE, tmp_path_factory.mktemp("fixture") / "build")
    return site


def corpora(request) -> tuple[Path, Path]:
    """(corpus, its built site) for the fixture corpus and for the real edition."""
    if request.param == "fixture":
        return FIXTURE, request.getfixturevalue("fixture_site")
    return TEI, request.getfixturevalue("built_site")


@pytest.fixture(params=["fixture", "edition"])
def corpus_and_site(request):
    return corpora(request)


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html"))


def test_every_document_has_a_page_named_by_its_id_and_its_tei_source(corpus_and_site):
    corpus, site = corpus_and_site
    for path, root in documents(corpus):
        identifier = root.get(XML_ID)
        assert (site / f"{identifier}.html").is_file(), identifier
        assert (site / "tei" / f"{identifier}.xml").read_bytes() == path.read_bytes()
        links = page(site, f"{identifier}.html").xpath("//a/@href")
        assert f"tei/{identifier}.xml" in links
    for name in ("index", "persons", "places", "organisations", "chronology", "about", "search"):
        assert (site / f"{name}.html").is_file(), name


def test_every_name_with_ref_links_to_its_register_entry(corpus_and_site):
    corpus, site = corpus_and_site
    kinds = register_kinds(corpus)
    anchors = {name: set(page(site, name).xpath("//@id")) for name in set(kinds.values())}
    checked = 0
    for _path, root in documents(corpus):
        identifier = root.get(XML_ID)
        expected = tei_mentions(root)
        found = page_mentions(page(site, f"{identifier}.html"))
        wanted = {(ref, f"{kinds[ref]}#{ref}"): count for ref, count in expected.items()}
        assert found == wanted, identifier
        for ref in expected:
            assert ref in anchors[kinds[ref]], f"{kinds[ref]} has no entry #{ref}"
        checked += sum(expected.values())
    assert checked > 0


def test_all_text_of_every_document_appears_on_its_page(corpus_and_site):
    corpus, site = corpus_and_site
    for _path, root in documents(corpus):
        missing = tei_words(root) - page_words(page(site, f"{root.get(XML_ID)}.html"))
        assert not missing, f"{root.get(XML_ID)}: words missing from the page: {dict(missing)}"


def test_every_passage_id_is_an_anchor_on_its_page(corpus_and_site):
    corpus, site = corpus_and_site
    for _path, root in documents(corpus):
        identifier = root.get(XML_ID)
        ids = {e.get(XML_ID) for e in root.find(f"{{{NS['tei']}}}text").iter() if e.get(XML_ID)}
        anchors = set(page(site, f"{identifier}.html").xpath("//@id"))
        assert ids <= anchors, sorted(ids - anchors)


def test_every_page_forbids_inline_script_and_loads_nothing_from_another_host(corpus_and_site):
    _corpus, site = corpus_and_site
    for path in all_pages(site):
        document = page(site, path.name)
        policy = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert policy and "script-src 'self'" in policy[0] and "unsafe-inline" not in policy[0]
        inline = [s for s in document.iter("script")
                  if not s.get("src") and s.get("type") != "application/ld+json"]
        assert not inline, path.name
        loaded = "//script/@src | //link[@rel != 'canonical']/@href | //img/@src | //iframe/@src"
        for url in document.xpath(loaded):
            assert not re.match(r"^([a-z]+:)?//", url), f"{path.name} loads {url}"
        assert document.get("lang")
        assert document.xpath("//a[@class='skip-link'][@href='#main']")
        assert document.find(".//main") is not None


def test_notes_are_numbered_and_linked_both_ways(fixture_site):
    document = page(fixture_site, "doc-2.html")
    calls = document.xpath("//a[@role='doc-noteref']")
    assert [c.text_content() for c in calls] == ["1", "2"]
    for call in calls:
        note = document.get_element_by_id(call.get("href")[1:])
        assert note.get("role") == "doc-endnote"
        back = note.xpath(".//a[@role='doc-backlink']")[0]
        assert back.get("href") == "#" + call.get("id")


def test_document_page_carries_metadata_highwire_tags_and_json_ld(fixture_site):
    document = page(fixture_site, "doc-2.html")
    meta = {m.get("name"): m.get("content") for m in document.iter("meta") if m.get("name")}
    assert meta["citation_title"] == "Letter from Anna North to Vyacheslav Molotov"
    assert meta["citation_author"] == "Anna North"
    assert meta["citation_date"] == "1951/04/10"
    assert meta["citation_public_url"] == "https://example.org/legation/doc-2.html"
    data = json.loads(document.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["@type"] == "Message" and data["dateCreated"] == "1951-04-10"
    assert data["recipient"][0]["name"] == "Vyacheslav Molotov"
    facts = " ".join(document.xpath("//dl[@class='metadata']")[0].text_content().split())
    for expected in ("10 April 1951", "Anna North", "Vyacheslav Molotov", "Oslo", "Moscow",
                     "Papers of the Legation", "document 2"):
        assert expected in facts
    assert [a.get("href") for a in document.xpath("//nav[@class='pager']/a")] == [
        "doc-1.html", "doc-3.html"]


def test_registers_list_every_mentioning_passage_in_document_order(fixture_site):
    entry = page(fixture_site, "persons.html").get_element_by_id("molotov")
    passages = entry.xpath(".//a[@class='passage']/@href")
    # The salutation of doc-2 has no id of its own: its mention links to the document.
    assert passages == ["doc-1.html#doc-1-p2", "doc-2.html#doc-2", "doc-3.html#doc-3-p1"]
    for href in passages:
        name, anchor = href.split("#")
        assert page(fixture_site, name).get_element_by_id(anchor) is not None
    text = " ".join(entry.text_content().split())
    assert "V.M. Molotov" in text and "Minister of Foreign Affairs of the USSR" in text
    assert "https://www.wikidata.org/wiki/Q168727" in entry.xpath(".//a/@href")


def test_chronology_is_sorted_and_shows_uncertain_dates_as_ranges(fixture_site):
    chronology = page(fixture_site, "chronology.html")
    items = chronology.xpath("//ol[@class='chronology']/li")
    assert len(items) == 7
    starts = [i.xpath(".//a/@href")[0] for i in items]
    assert starts[0] == "doc-2.html#doc-2-note1"
    whens = [" ".join(i.xpath(".//span[@class='when']")[0].text_content().split()) for i in items]
    assert whens[0] == "1 November 1950 – 30 November 1950 (?)"
    assert "May 1951 – June 1951" in whens


def test_sitemap_lists_every_page_under_the_base_url(fixture_site):
    sitemap = etree.parse(str(fixture_site / "sitemap.xml"))
    urls = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert "https://example.org/legation/" in urls
    assert "https://example.org/legation/doc-3.html" in urls
    assert len(urls) == len(all_pages(fixture_site))


def test_search_bundle_and_facets_are_written(fixture_site):
    assert (fixture_site / "pagefind" / "pagefind-ui.js").is_file()
    facets = page(fixture_site, "doc-3.html").xpath("//meta[@data-pagefind-filter]")
    pairs = {(m.get("data-pagefind-filter"), m.get("content")) for m in facets}
    assert ("person[content]", "Vyacheslav Molotov") in pairs
    assert ("year[content]", "1951") in pairs and ("type[content]", "Telegram") in pairs


def hostile_corpus(tmp_path: Path, paragraph: str) -> Path:
    corpus = copy_fixture(tmp_path)
    path = corpus / "documents" / "doc-1.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('<p xml:id="doc-1-p2">', paragraph + '<p xml:id="doc-1-p2">'),
                    encoding="utf-8")
    return corpus


def test_unhandled_element_is_shown_as_text_and_reported_once_with_file_and_line(tmp_path):
    corpus = hostile_corpus(tmp_path, '<p xml:id="doc-1-p9"><damage>worn away</damage> and '
                                      '<damage>torn</damage></p>\n')
    site, result = build_site(corpus, tmp_path / "build", validate=False)
    warnings = [d for d in result.diagnostics if d.rule == "render.unhandled"]
    assert len(warnings) == 1
    lines = (corpus / "documents" / "doc-1.xml").read_text(encoding="utf-8").splitlines()
    first = next(number for number, line in enumerate(lines, 1) if "<damage>" in line)
    assert warnings[0].path.endswith("doc-1.xml") and warnings[0].line == first
    assert "<damage>" in warnings[0].message and warnings[0].severity == "warning"
    assert "worn away and torn" in page(site, "doc-1.html").get_element_by_id("doc-1-p9").text_content()


def test_unsafe_link_targets_are_never_live_and_markup_in_text_stays_text(tmp_path):
    corpus = hostile_corpus(tmp_path, '<p xml:id="doc-1-p9"><ref target="javascript:alert(1)">a</ref> '
                                      '<ref target=" JaVa&#x9;script:alert(2)">b</ref> '
                                      '<ref target="//evil.example/x">c</ref> '
                                      '<ref target="https://example.com/ok">d</ref> '
                                      '&lt;script&gt;alert(3)&lt;/script&gt;</p>\n')
    site, _result = build_site(corpus, tmp_path / "build", validate=False)
    raw = (site / "doc-1.html").read_text(encoding="utf-8")
    paragraph = page(site, "doc-1.html").get_element_by_id("doc-1-p9")
    hrefs = paragraph.xpath(".//a/@href")
    assert "https://example.com/ok" in hrefs
    for href in hrefs:
        assert not href.startswith("//") and "script:" not in href.lower(), href
        assert not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("https:")
    assert "<script>alert(3)" not in raw and "&lt;script&gt;alert(3)" in raw
    assert "<script>alert(3)</script>" in paragraph.text_content()
