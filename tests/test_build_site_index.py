"""The site index names each source file by its real location, as Path.resolve() gives it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import TEI

from teiedition.site_index import gather


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
