"""The site's "cite this" blocks and downloads are the CLI's citations, and every cited anchor exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from teiedition import cite, cli
from tests.conftest import DATA, TEI

FIXTURE = DATA / "cite"
DOWNLOADS = {"bibtex": "bib", "ris": "ris", "csl-json": "json"}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The small citation fixture built by the real html target (no schema check, no search)."""
    from teiedition.build import build

    out = tmp_path_factory.mktemp("cite-site") / "build"
    build([FIXTURE], out, targets=["html"], validate=False, options={"no_search": True})
    return out / "site"


@pytest.fixture(scope="module")
def edition_site(request) -> Path:
    if not (TEI / "edition.xml").is_file():
        pytest.skip("tei/edition.xml is not in the checkout yet; the real site cannot be built")
    return request.getfixturevalue("built_site")


def printed(identifier: str, corpus: Path, output_format: str) -> str:
    result = CliRunner().invoke(cli.main, ["cite", identifier, str(corpus), "--format",
                                           output_format])
    assert result.exit_code == 0, result.output
    return result.output.removesuffix("\n")


def check_cite_blocks(site: Path, corpus: Path) -> int:
    documents = [i for i, kind in cite.citable_ids(corpus) if kind == "document"]
    for identifier in documents:
        page = html.parse(str(site / f"{identifier}.html"))
        block = page.xpath("//*[@id='citation-text']")
        assert len(block) == 1, f"{identifier}.html has no single citation-text"
        assert block[0].text_content() == printed(identifier, corpus, "text")
        assert page.xpath("//button[@data-copy='citation-text']"), "no copy button"
        for output_format, suffix in DOWNLOADS.items():
            download = site / "cite" / f"{identifier}.{suffix}"
            assert download.read_text(encoding="utf-8") == printed(identifier, corpus,
                                                                   output_format)
            assert page.xpath(f"//a[@href='cite/{identifier}.{suffix}']"), f"no link to {download}"
    return len(documents)


def check_anchors(site: Path, corpus: Path) -> int:
    """Every citable id's URL names a built page holding an element with that id."""
    base = cite.edition_of(cite.load(corpus)).base_url
    pages: dict[str, set[str]] = {}
    checked = 0
    for identifier, _kind in cite.citable_ids(corpus):
        url = cite.record(identifier, corpus).url
        assert url.startswith(base)
        page, _, anchor = url.removeprefix(base).partition("#")
        if page not in pages:
            assert (site / page).is_file(), f"{url}: no page {page} in the site"
            pages[page] = set(html.parse(str(site / page)).xpath("//@id"))
        if anchor:
            assert anchor in pages[page], f"{url}: no element with id '{anchor}' on {page}"
        checked += 1
    return checked


def test_fixture_site_cite_blocks_and_downloads_equal_the_cli(fixture_site):
    assert check_cite_blocks(fixture_site, FIXTURE) == 2


def test_fixture_site_has_every_cited_anchor(fixture_site):
    assert check_anchors(fixture_site, FIXTURE) == len(cite.citable_ids(FIXTURE))


def test_edition_site_cite_blocks_and_downloads_equal_the_cli(edition_site):
    assert check_cite_blocks(edition_site, TEI) == 7


def test_edition_site_has_every_cited_anchor(edition_site):
    assert check_anchors(edition_site, TEI) > 7
