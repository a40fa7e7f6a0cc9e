"""corpus: the kind a root start tag declares, and the files a folder holds."""

from __future__ import annotations

import os
import warnings

import pytest

from teiedition import corpus

PROLOG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
          b'<?xml-model href="x.xsd" type="application/xml"?>\n<!-- a <TEI type="edition"> -->\n')


@pytest.mark.parametrize("head, kind", [
    (PROLOG + b'<TEI xmlns="http://www.tei-c.org/ns/1.0" type="register" xml:id="places">',
     "register"),
    (b"\xef\xbb\xbf<TEI\n  xml:id='d1'\n  type = 'document'\n>", "document"),
    (b'<tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0" type="edition">', "edition"),
    (b'<teiCorpus type="document"/>', "document"),
    (PROLOG + b'<TEI xmlns="http://www.tei-c.org/ns/1.0">', None),  # no @type: unsure
    (b'<TEI type="letter">', None),
    (b'<TEI subtype="register" x:type="register">', None),
    (b'<TEI xml:id="x" type="regis', None),  # the head ends inside the start tag
    (b'<!DOCTYPE TEI>\n<TEI type="register">', None),
    (b'<body type="register">', None),
    (b"", None),
])
def test_declared_kind_reads_the_root_start_tag_or_says_it_is_unsure(head, kind):
    assert corpus.declared_kind(head) == kind


def test_folders_expand_to_sorted_real_xml_files_without_following_linked_folders(tmp_path,
                                                                                    monkeypatch):
    for name in ("c/a/1.xml", "c/a-c/2.xml", "c/b.xml", "c/.hidden.xml", "c/UPPER.XML",
                 "c/dir.xml/3.xml", "other/o.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<x/>")
    os.symlink(tmp_path / "other", tmp_path / "c" / "linked-folder")
    os.symlink(tmp_path / "other" / "o.xml", tmp_path / "c" / "a" / "z.xml")
    os.symlink(tmp_path / "c" / "b.xml", tmp_path / "c" / "a" / "b-again.xml")
    os.symlink(tmp_path / "nowhere.xml", tmp_path / "c" / "broken.xml")
    monkeypatch.chdir(tmp_path)
    found = [str(path) for path in corpus.find_files(["c", "c/b.xml"])]
    assert found == ["c/.hidden.xml", "c/a/1.xml", "c/b.xml", "other/o.xml", "c/a-c/2.xml",
                     "c/dir.xml/3.xml"]


@pytest.mark.parametrize(("body", "kind"), [
    ('<listPerson><person xml:id="a"><persName>A</persName></person></listPerson>', "register"),
    ("<listPerson/>", "document"),
    ('<p>Text.</p><listPlace><place xml:id="b"/></listPlace>', "document"),
])
def test_kind_without_type_comes_from_the_content_without_a_warning(body, kind):
    from lxml import etree

    root = etree.fromstring(f'<TEI xmlns="{corpus.TEI[1:-1]}"><text><body>{body}</body></text></TEI>')
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # lxml's FutureWarning on an element's truth fails the test
        assert corpus.kind_of(root) == kind
