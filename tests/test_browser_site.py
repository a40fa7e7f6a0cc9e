"""The built edition in a real browser: pages load cleanly, links resolve, notes, search, accessibility."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from conftest import TEI
from lxml import html

from teiedition import search_index
from teiedition.serve import server, url_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]
# One page of each kind, for the accessibility audit.
PAGE_KINDS = ("index.html", "persons.html", "places.html", "organisations.html", "chronology.html",
              "about.html", "search.html")


@contextmanager
def serving(site: Path):
    """A site served on 127.0.0.1 by teiedition's own server; its URL."""
    http_server = server(site)
    thread = threading.Thread(target=http_server.serve_forever, daemon=True)
    thread.start()
    yield url_of(http_server)
    http_server.shutdown()
    http_server.server_close()


@pytest.fixture(scope="module")
def site_url(built_site):
    """The real edition's site, served."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    """The real edition's site with its search index split in three shards, as a large edition's is."""
    from teiedition.build import build

    out = tmp_path_factory.mktemp("sharded") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "shard_count", lambda pages: 3)
        build([TEI], out, targets=["html"], jobs=2)
    assert len(search_index.plan([p.name for p in (out / "site").glob("doc-*.html")], 3)) == 3
    return out / "site"


@pytest.fixture(scope="module", params=["one index", "three shards"])
def searched_site(request, built_site, site_url):
    """The site and its URL: the edition as built, and the same pages with a sharded index."""
    if request.param == "one index":
        yield built_site, site_url
    else:
        site = request.getfixturevalue("sharded_site")
        with serving(site) as url:
            yield site, url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (make install-test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with every console error, uncaught exception and failed request recorded."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type in ("error", "warning") and
                     self.problems.append(f"console {m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and
                     self.problems.append(f"HTTP {r.status}: {r.url}"))

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    tab = Watched(browser)
    yield tab
    tab.close()


def site_pages(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


def test_every_page_loads_without_console_error_failed_request_or_exception(
        built_site, site_url, watched):
    for name in site_pages(built_site):
        watched.page.goto(site_url + name, wait_until="networkidle")
        assert urlparse(watched.page.url).path.endswith(name)
    assert watched.problems == []
    elsewhere = [u for u in watched.requests if not u.startswith((site_url, "data:", "blob:"))]
    assert elsewhere == []


def test_every_internal_link_and_anchor_resolves(built_site, site_url, watched):
    targets: set[str] = set()
    for name in site_pages(built_site):
        watched.page.goto(site_url + name, wait_until="load")
        hrefs = watched.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        targets.update(h for h in hrefs if h.startswith(site_url))
    assert len(targets) > 50
    anchors: dict[str, set[str]] = {}
    broken = []
    for target in sorted(targets):
        address, fragment = urldefrag(target)
        if address not in anchors:
            response = watched.page.request.get(address)
            if response.status != 200:
                broken.append(f"{target}: HTTP {response.status}")
                anchors[address] = set()
                continue
            is_html = "html" in response.headers.get("content-type", "")
            anchors[address] = set(html.fromstring(response.body()).xpath("//@id")) if is_html \
                else set()
        if fragment and fragment not in anchors[address]:
            broken.append(f"{target}: no element with id '{fragment}'")
    assert broken == []


def test_note_reference_and_back_link_return_to_the_same_place(built_site, site_url, watched):
    page = watched.page
    page.set_viewport_size({"width": 1000, "height": 700})
    name = next(n for n in site_pages(built_site) if "doc-noteref" in
                (built_site / n).read_text(encoding="utf-8"))
    page.goto(site_url + name, wait_until="load")
    call = page.locator("a[role='doc-noteref']").nth(1)
    call.scroll_into_view_if_needed()
    before = call.bounding_box()["y"] + page.evaluate("window.scrollY")
    note_id = call.get_attribute("href")[1:]
    call.click()
    assert urlparse(page.url).fragment == note_id
    note = page.locator(f"[id='{note_id}']")
    assert note.get_attribute("role") == "doc-endnote" and note.is_visible()
    assert 0 <= note.bounding_box()["y"] < 700
    note.locator("a[role='doc-backlink']").click()
    assert urlparse(page.url).fragment == call.get_attribute("id")
    after = call.bounding_box()["y"] + page.evaluate("window.scrollY")
    assert after == pytest.approx(before, abs=2)
    assert 0 <= call.bounding_box()["y"] < 700


def result_pages(page) -> set[str]:
    links = page.eval_on_selector_all(RESULT_LINK,
                                      "as => as.map(a => a.getAttribute('href'))")
    return {urldefrag(link)[0].rsplit("/", 1)[-1] for link in links}


def article_text(site: Path, name: str) -> str:
    return html.parse(str(site / name)).getroot().xpath("string(//article)")


def facet_values(site: Path, name: str, facet: str) -> set[str]:
    return set(html.parse(str(site / name)).getroot().xpath(
        f"//meta[@data-pagefind-filter='{facet}[content]']/@content"))


RESULT_LINK = ".pagefind-ui__result-inner > .pagefind-ui__result-title a"


def wait_for_results(page, count: int) -> None:
    page.wait_for_function(
        "([n, links]) => document.querySelectorAll('.pagefind-ui__result').length === n && "
        "document.querySelectorAll(links).length === n && "
        "/\\d+ results? for/.test(document.querySelector('.pagefind-ui__message')?.textContent)",
        arg=[count, RESULT_LINK], timeout=15000)


def test_search_finds_every_document_mentioning_molotov_and_a_person_facet_narrows(
        searched_site, watched):
    built_site, site_url = searched_site
    documents = [n for n in site_pages(built_site) if (built_site / "tei" / n.replace(
        ".html", ".xml")).is_file()]
    mentioning = {n for n in documents if re.search(r"\bmolotov", article_text(built_site, n), re.I)}
    assert mentioning
    page = watched.page
    page.goto(site_url + "search.html", wait_until="networkidle")
    page.fill(".pagefind-ui__search-input", "Molotov")
    wait_for_results(page, len(mentioning))
    assert result_pages(page) == mentioning

    # A person who appears in some but not all of these documents narrows the results to those.
    persons = {n: facet_values(built_site, n, "person") for n in mentioning}
    candidates = sorted({p for names in persons.values() for p in names
                         if 0 < sum(p in names for names in persons.values()) < len(mentioning)})
    assert candidates, "no person facet distinguishes the documents that mention Molotov"
    person = candidates[0]
    expected = {n for n, names in persons.items() if person in names}
    filters = page.locator(".pagefind-ui__filter-block", has_text="Person")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    page.locator(f"input[name='person'][value='{person}']").check()
    wait_for_results(page, len(expected))
    assert result_pages(page) == expected
    assert watched.problems == []
    # A sharded index is searched through every shard, from this host alone.
    sharded = (built_site / search_index.SHARDS).is_dir()
    assert any(f"/{search_index.SHARDS}/" in url for url in watched.requests) == sharded
    assert all(url.startswith(site_url) for url in watched.requests)


@pytest.mark.parametrize("kind", PAGE_KINDS + ("document",))
def test_no_serious_or_critical_accessibility_violation(built_site, site_url, watched, kind):
    from axe_playwright_python.sync_playwright import Axe

    name = kind if kind != "document" else next(
        n for n in site_pages(built_site) if (built_site / "tei" / n.replace(".html", ".xml")).exists())
    watched.page.goto(site_url + name, wait_until="networkidle")
    if kind == "search.html":
        watched.page.fill(".pagefind-ui__search-input", "Molotov")
        watched.page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    results = Axe().run(watched.page)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], name
