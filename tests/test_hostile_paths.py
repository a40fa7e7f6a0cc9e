"""Every output path stays inside the output folder, whatever ids and file names contain."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import DATA

from teiedition.build import file_name_problem
from teiedition.cli import main
from teiedition.naming import RESERVED, page_name, page_names
from teiedition.site import CORPUS_PAGES

HOSTILE = DATA / "hostile"
UNSAFE_IDS = HOSTILE / "paths" / "unsafe-ids"
ODD_NAMES = HOSTILE / "paths" / "odd-names"
CLASHING_IDS = HOSTILE / "paths" / "clashing-ids"


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def corpus_with(tmp_path: Path, documents: list[Path]) -> Path:
    """The minimal edition's header and registers with the given document files."""
    folder = tmp_path / "work" / "corpus"
    shutil.copytree(HOSTILE / "minimal", folder, ignore=shutil.ignore_patterns("documents"))
    (folder / "documents").mkdir()
    for document in documents:
        shutil.copy(document, folder / "documents" / document.name)
    return folder


@pytest.mark.parametrize("name", sorted(p.name for p in UNSAFE_IDS.glob("*.xml")))
def test_document_id_that_would_leave_the_output_folder_stops_the_build(tmp_path, name):
    corpus = corpus_with(tmp_path, [UNSAFE_IDS / name])
    out = tmp_path / "work" / "out"
    before = files_under(tmp_path.parent)
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(corpus),
                                       "--out", str(out)])
    assert result.exit_code == 1
    assert f"{name}:" in result.stderr and "[id.file-name]" in result.stderr
    assert "Traceback" not in result.output
    assert files_under(tmp_path.parent) - before <= {f"{tmp_path.name}/work/.out.lock"}
    assert not out.exists()


@pytest.mark.parametrize(("name", "problem"), [
    ("../x", "slash"), ("a\\b", "backslash"), ("..", "dot name"), (".env", "starts with a dot"),
    ("tab\there", "control character"), ("x" * 201, "longer than 200 bytes"),
    ("\u00e9" * 101, "longer than 200 bytes")])
def test_file_name_problem_names_each_kind_of_unsafe_name(name, problem):
    assert problem in file_name_problem(name)


@pytest.mark.parametrize("name", ["doc-4.1", "d\u00e9j\u00e0-vu", "1953.04.04", "-rf", "a b",
                                  'odd "quoted" & <angled>', "\u05e9\u05dc\u05d5\u05dd"])
def test_file_name_problem_accepts_odd_but_harmless_names(name):
    assert file_name_problem(name) is None


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory) -> tuple[Path, Path]:
    tmp_path = tmp_path_factory.mktemp("odd")
    documents = sorted(p for p in ODD_NAMES.iterdir() if p.suffix == ".xml" and p.name != "percent.xml")
    corpus = corpus_with(tmp_path, documents)
    out = tmp_path / "work" / "out"
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(corpus),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return tmp_path, out


def test_odd_file_names_build_and_every_output_stays_inside_the_output_folder(odd_build):
    tmp_path, out = odd_build
    outside = {name for name in files_under(tmp_path) if name != "work" and not name.startswith("work/")}
    assert outside == set()
    assert {p.name for p in (tmp_path / "work").iterdir()} == {"corpus", "out", ".out.lock"}
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())


def test_every_document_with_an_odd_file_name_gets_a_page_and_a_text(odd_build):
    _tmp, out = odd_build
    pages = [p for p in (out / "site").glob("*.html") if p.name not in
             {f"{n}.html" for n in ("index", "about", "chronology", "persons", "places",
                                    "organisations", "search")}]
    documents = [p for p in ODD_NAMES.iterdir() if p.suffix == ".xml" and p.name != "percent.xml"]
    assert len(pages) == len(documents)
    assert len([p for p in (out / "text").glob("*.txt") if p.name != "edition.txt"]) == len(documents)


def test_links_to_pages_with_odd_names_resolve_to_files_that_exist(odd_build):
    _tmp, out = odd_build
    site = out / "site"
    broken = []
    for page in sorted(site.glob("*.html")):
        for href in lxml.html.fromstring(page.read_bytes()).xpath("//a/@href | //link/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if not (site / unquote(parts.path)).is_file():
                broken.append(f"{page.name} -> {href}")
    assert broken == []


@pytest.mark.parametrize("identifier", ["doc-4.1", "d\u00e9j\u00e0-vu", "1953.04.04", "-rf", "_x",
                                        "\u05e9\u05dc\u05d5\u05dd"])
def test_plain_ids_name_their_files_as_they_are(identifier):
    assert page_name(identifier) == identifier


@pytest.mark.parametrize("identifier", ["doc#frag?q=1", ".", "..", ".env", "a b", "a%2fb", "x~1",
                                        'odd "quoted" & <angled>', "index", "Edition", "x" * 300,
                                        "\udcff"])
def test_other_ids_get_a_name_safe_in_a_url_a_path_and_a_shell(identifier):
    name = page_name(identifier)
    assert re.fullmatch(r"[\w.\-]+~[0-9a-f]{16}", name), name
    assert not name.startswith(".") and file_name_problem(name + ".html") is None
    assert name.casefold() not in RESERVED
    assert name != page_name(identifier + " ")


def test_every_page_the_site_writes_itself_is_a_reserved_name():
    assert set(CORPUS_PAGES) <= RESERVED and "edition" in RESERVED


def test_ids_met_twice_or_differing_only_in_case_get_different_names():
    names = page_names(["twin", "twin", "Twin", "a#b", "a#b"])
    assert len({name.casefold() for name in names}) == 5
    assert names[:2] == ["twin", "twin~2"]


@pytest.fixture(scope="module")
def clash_build(tmp_path_factory) -> tuple[Path, object]:
    tmp_path = tmp_path_factory.mktemp("clash")
    corpus = corpus_with(tmp_path, sorted(CLASHING_IDS.glob("*.xml")))
    out = tmp_path / "work" / "out"
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(corpus),
                                       "--out", str(out)])
    return out, result


def document_pages(site: Path) -> dict[str, str]:
    """Page file name -> its h1, for every document page."""
    pages = {}
    for page in site.glob("*.html"):
        if page.stem not in CORPUS_PAGES:
            pages[page.name] = lxml.html.fromstring(page.read_bytes()).xpath("string(//h1)").strip()
    return pages


def test_document_ids_that_clash_with_site_pages_or_each_other_each_get_their_own_page(clash_build):
    out, result = clash_build
    assert result.exit_code == 0, result.output
    site = out / "site"
    pages = document_pages(site)
    assert sorted(pages.values()) == ["Dotted-letter", "Edition-letter", "First-twin",
                                      "Index-letter", "Second-twin"]
    home = lxml.html.fromstring((site / "index.html").read_bytes())
    assert home.xpath("string(//h1)").strip() != "Index-letter"
    assert sorted(home.xpath("//td/a/@href")) == sorted(pages)
    for name in pages:
        assert (site / "tei" / name.replace(".html", ".xml")).is_file()


def test_a_document_with_id_edition_does_not_overwrite_the_whole_edition_text(clash_build):
    out, _result = clash_build
    texts = {p.name: p.read_text(encoding="utf-8") for p in (out / "text").glob("*.txt")}
    titles = ["Index-letter", "Edition-letter", "First-twin", "Second-twin", "Dotted-letter"]
    assert all(title in texts["edition.txt"] for title in titles)
    del texts["edition.txt"]
    assert sorted(title for title in titles for text in texts.values() if title in text) == sorted(titles)
    assert {Path(name).stem for name in texts} == {Path(name).stem for name in
                                                    document_pages(out / "site")}


def test_a_document_id_that_is_no_ncname_is_built_without_citation_and_one_warning(clash_build):
    out, result = clash_build
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "[html.no-citation]" in line]
    assert [line for line in warnings if "1953.04.04" in line] == [
        next(line for line in warnings if line.split(":")[0].endswith("1953.04.04.xml"))]
    assert "is not a valid xml:id" in next(line for line in warnings if "1953.04.04.xml" in line)
    assert (out / "site" / "1953.04.04.html").is_file()
    assert not list((out / "site").glob("cite/1953.04.04.*"))


def test_a_cited_document_with_a_renamed_page_cites_the_url_of_that_page(clash_build):
    out, _result = clash_build
    name = page_name("index")
    page = lxml.html.fromstring((out / "site" / f"{name}.html").read_bytes())
    assert f"{name}.html" in page.xpath("string(//*[@id='citation-text'])")
    assert (out / "site" / "cite" / f"{name}.bib").is_file()
