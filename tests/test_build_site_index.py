"""The site index names each source file by its real location, as Path.resolve() gives it; document
pages read it without the documents' records, each given its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import TEI
from lxml import etree

from teiedition import corpus
from teiedition.site_index import S, gather


def test_documents_reached_through_links_and_dot_dot_are_named_by_their_real_location(tmp_path,
                                                                                      monkeypatch):
    real = tmp_path / "store" / "edition"
    shutil.copytree(TEI, real)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "deep").symlink_to(real / "documents")  # work/deep/.. is store/edition
    linked = real / "documents" / "linked-copy.xml"
    first = sorted((real / "documents").glob("*.xml"))[0]
    linked.symlink_to(first)
    monkeypatch.chdir(tmp_path / "work")
    sources = [Path("deep/../edition.xml"), *(Path("deep") / p.name for p in
                                              sorted((real / "documents").glob("*.xml")))]
    sources += [Path("deep/../registers") / p.name for p in sorted((real / "registers").glob("*.xml"))]
    assert all(p.exists() for p in sources)
    index = gather(sources)
    hrefs = {document["path"]: document["href"] for document in index.documents}
    assert hrefs["deep/linked-copy.xml"] == first.resolve().as_uri()
    assert all(href == Path(path).resolve().as_uri() for path, href in hrefs.items())
    assert index.head.find("{urn:teiedition:site}edition").get("href") == \
        (real / "edition.xml").resolve().as_uri()


def test_document_pages_read_an_index_of_attributes_and_their_own_record_whole():
    index = gather(corpus.find_files([TEI]))
    whole, pages = index.tree.getroot(), index.page_tree().getroot()
    documents = whole.findall(S + "document")
    # The page index: every document in reading order with its attributes, none of their children.
    assert [dict(d.attrib) for d in pages.findall(S + "document")] == [dict(d.attrib) for d in documents]
    assert [child.tag for d in pages.findall(S + "document") for child in d] == []
    assert [e.tag for e in pages if e.tag != S + "document"] == \
        [e.tag for e in whole if e.tag != S + "document"]
    # Each page's own record is its element of the whole index, children and all.
    for position, document in enumerate(documents, 1):
        own = etree.fromstring(index.record_xml(position)).findall(S + "document")
        assert [etree.tostring(e) for e in own] == [etree.tostring(document)]
    assert any(document.find(S + "mention") is not None for document in documents)
