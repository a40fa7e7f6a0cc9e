"""Safe output: TEI text and attributes escaped, unsafe link schemes dead, a CSP on every page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT

from teiedition.cli import main

UNSAFE = DATA / "hostile" / "unsafe"
PARSING = DATA / "hostile" / "parsing"
SECRET_MARKERS = ("HOSTILE-SECRET-7f3a", "HOSTILE-SECRET-DTD-91c2", "root:x:0:0")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "cite", "background",
                  "srcset", "xlink:href", "ping", "manifest")
# Labels of the links in tests/data/hostile/unsafe/documents/letter-1.xml and what each must become.
SAFE_LINKS = {"SAFE-HTTPS": "https://example.org/ok?a=1&b=2", "SAFE-MAILTO": "mailto:editor@example.org",
              "SAFE-RELATIVE": "other-page.html", "SAFE-FRAGMENT": "letter-1.html#letter-1-p2"}
DEAD_LINKS = ("plain javascript", "upper-case javascript", "leading spaces",
              "carriage return before the scheme", "vbscript", "mixed-case vbscript", "data URL",
              "upper-case data URL", "file URL", "protocol-relative", "backslash protocol-relative")


def scheme_is_safe(url: str) -> bool:
    """What a browser would make of the URL: only http(s), mailto, relative paths and fragments pass."""
    cleaned = re.sub(r"[\x00-\x20]", "", url)  # browsers drop these before reading the scheme
    if cleaned.startswith(("//", "\\\\", "/\\", "\\/")):
        return False
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


def json_urls(value, key: str = "") -> list[str]:
    """Every string in a JSON-LD value stored under a key that holds an address."""
    if isinstance(value, dict):
        return [url for k, v in value.items() for url in json_urls(v, k)]
    if isinstance(value, list):
        return [url for item in value for url in json_urls(item, key)]
    return [value] if isinstance(value, str) and key in ("url", "@id", "license", "sameAs") else []


@pytest.fixture(scope="module")
def unsafe_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unsafe") / "out"
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(UNSAFE),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def pages(out: Path) -> list[tuple[str, lxml.html.HtmlElement]]:
    return [(p.name, lxml.html.fromstring(p.read_bytes())) for p in sorted((out / "site").glob("*.html"))]


def elements(page) -> list:
    return [element for element in page.iter() if isinstance(element.tag, str)]


def test_no_page_carries_an_event_handler_or_an_inline_script(unsafe_site):
    found = []
    for name, page in pages(unsafe_site):
        for element in elements(page):
            found += [f"{name}: <{element.tag} {a}>" for a in element.attrib if a.lower().startswith("on")]
        for script in page.iter("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.text)  # a data block, and still one JSON value: nothing broke out
            elif script.get("src") is None or (script.text or "").strip():
                found.append(f"{name}: inline <script>")
        found += [f"{name}: <{e.tag}>" for e in page.iter("iframe", "object", "embed", "img", "base")]
    assert found == []


def test_every_url_in_every_page_has_a_safe_scheme(unsafe_site):
    unsafe = []
    for name, page in pages(unsafe_site):
        for element in elements(page):
            for attribute in URL_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and not scheme_is_safe(value):
                    unsafe.append(f"{name}: <{element.tag} {attribute}={value!r}>")
            if element.tag == "script" and element.get("type") == "application/ld+json":
                unsafe += [f"{name}: JSON-LD {url!r}" for url in json_urls(json.loads(element.text))
                           if not scheme_is_safe(url)]
            if element.tag == "meta" and re.search(r"url|uri", element.get("name") or "", re.I):
                if not scheme_is_safe(element.get("content") or ""):
                    unsafe.append(f"{name}: <meta {element.get('name')}>")
    assert unsafe == []


def test_unsafe_link_targets_are_rendered_as_text_and_safe_ones_as_links(unsafe_site):
    page = lxml.html.fromstring((unsafe_site / "site" / "letter-1.html").read_bytes())
    for label in DEAD_LINKS:
        holders = page.xpath("//*[normalize-space(text()) = $label]", label=label)
        assert holders, label
        assert all(h.xpath("not(ancestor-or-self::a[@href])") for h in holders), label
    for label, href in SAFE_LINKS.items():
        assert page.xpath("//a[normalize-space(.) = $label]/@href", label=label) == [href]


def test_markup_in_tei_text_and_attributes_arrives_as_text(unsafe_site):
    page = lxml.html.fromstring((unsafe_site / "site" / "letter-1.html").read_bytes())
    text = page.text_content()
    assert '<script>alert("text")</script>' in text
    assert "<img src=x onerror=alert(14)>" in text
    assert '<iframe src="javascript:alert(16)"></iframe>' in text
    assert "friend &amp; " in text and "]]> end" in text
    # Attribute values stay values: quotes inside them cannot open a new attribute.
    assert page.xpath("//*[@id = 'letter-1-p1']/@lang") in ([], ['en" onload="alert(13)'])
    assert page.xpath("//@onload | //@onclick | //@onmouseover") == []


def test_the_sitemap_lists_no_unsafe_address(unsafe_site):
    sitemap = (unsafe_site / "site" / "sitemap.xml").read_text()
    assert [loc for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap) if not scheme_is_safe(loc)] == []


def test_every_page_has_a_content_security_policy_forbidding_inline_script(unsafe_site):
    for name, page in pages(unsafe_site):
        policies = page.xpath("//head/meta[translate(@http-equiv, 'CONTENT-SECURITYPOLICY', "
                              "'content-securitypolicy') = 'content-security-policy']/@content")
        assert len(policies) == 1, name
        directives = {d.split()[0]: d.split()[1:] for d in policies[0].split(";") if d.strip()}
        scripts = directives.get("script-src", directives.get("default-src"))
        assert scripts is not None, name
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts), name
        assert directives.get("object-src") == ["'none'"] and "base-uri" in directives, name


def test_no_stylesheet_disables_output_escaping():
    stylesheets = sorted((ROOT / "xslt").rglob("*.xsl"))
    assert stylesheets
    assert [s.name for s in stylesheets if "disable-output-escaping" in s.read_text()] == []


def test_xinclude_and_unknown_namespaces_bring_no_local_file_into_any_output(tmp_path):
    """The one parsing fixture that is accepted: built without validation, nothing of the secret."""
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    for part in ("edition.xml", "registers"):
        source = DATA / "hostile" / "minimal" / part
        target = corpus / part
        target.write_bytes(source.read_bytes()) if source.is_file() else \
            __import__("shutil").copytree(source, target)
    (corpus / "documents" / "xinclude.xml").write_bytes((PARSING / "xinclude.xml").read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(corpus),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "include" in result.stderr  # the unknown element is reported, not silently dropped
    for path in out.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(marker.encode() in content for marker in SECRET_MARKERS), path


def test_print_html_for_the_pdf_has_no_unsafe_link(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "pdf", "--no-validate", str(UNSAFE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((out / "print" / "edition.html").read_bytes())
    unsafe = [f"<{e.tag} {a}={e.get(a)!r}>" for e in elements(page) for a in URL_ATTRIBUTES
              if e.get(a) is not None and not scheme_is_safe(e.get(a))]
    assert unsafe == []
