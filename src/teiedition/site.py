"""The `html` target: gather a compact site index, render every page through html.xsl, index search."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lxml import etree

from teiedition import cache, corpus, render, resources, search_index
from teiedition.corpus import TEI
from teiedition.diagnostics import warning
from teiedition.site_index import SITE_NS, gather
from teiedition.text import report_unrendered

STYLESHEET = "html.xsl"
# Pages built from the whole-corpus index; each is one call of the stylesheet's site-page template.
CORPUS_PAGES = ("index", "persons", "places", "organisations", "chronology", "about", "search")
# Below this many documents a worker pool costs more to start than it saves.
PARALLEL_THRESHOLD = 40
_UNHANDLED = re.compile(r'data-tei-unhandled="([^"]+)"')


class _Renderer:
    """html.xsl compiled once in this process, with the site index loaded once as a parameter."""

    def __init__(self, index_file: Path, out: Path):
        self.executable = render.compiled(str(resources.stylesheet(STYLESHEET).resolve()))
        self.site = render.processor().parse_xml(xml_file_name=str(index_file))
        self.out = out

    def _run(self, call, **parameters) -> str:
        text, _messages = render.run(self.executable, STYLESHEET, call,
                                     {"site": self.site, **parameters})
        return text

    def document(self, source: Path, name: str, record: bytes) -> list[str]:
        """Write one document page, given its whole index record (SiteIndex.record_xml); the names
        of the TEI elements no template handled."""
        try:
            own = render.processor().parse_xml(xml_text=record.decode("utf-8"))
            html = self._run(lambda e: e.transform_to_string(source_file=str(source.resolve())),
                             document=name, page_record=own)
        except render.RenderError as exc:
            raise render.RenderError(f"{source}: {exc}") from None
        cache.write_new(self.out / f"{name}.html", html)
        return sorted(set(_UNHANDLED.findall(html)))

    def page(self, page: str) -> str:
        return self._run(lambda e: e.call_template_returning_string("site-page"), page=page)


_worker: _Renderer | None = None


def _start_worker(index_file: Path, out: Path) -> None:
    global _worker
    _worker = _Renderer(index_file, out)


def _render_in_worker(job: tuple[Path, str, bytes]) -> tuple[str, list[str]]:
    source, name, record = job
    return str(source), _worker.document(source, name, record)


def _render_documents(jobs: list[tuple[Path, str, bytes]], page_index: Callable[[], Path],
                      out: Path, workers: int, progress, local) -> dict[str, list[str]]:
    """Render every document page, each given its own record, in a pool of processes when there
    are many, else with local(), this process's renderer; the names of unhandled elements. The
    workers read page_index(), the index without the documents' records (SiteIndex.page_tree):
    at 10,000 documents a seventh of the whole, 150 MB less in each worker and a quarter off the
    pages' time."""
    unhandled: dict[str, list[str]] = {}
    if not jobs:  # every page reused: no stylesheet to compile
        return unhandled
    if workers == 1 or len(jobs) < PARALLEL_THRESHOLD:
        renderer = local()
        for source, name, record in jobs:
            unhandled[str(source)] = renderer.document(source, name, record)
            if progress:
                progress(1)
        return unhandled
    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(page_index(), out)) as pool:
        for source, names in pool.map(_render_in_worker, jobs, chunksize=chunk):
            unhandled[source] = names
            if progress:
                progress(1)
    return unhandled


def _index_file(index, folder: Path, kept: dict | None) -> tuple[Path, str]:
    """The site index as a file in folder, and its digest: the file a previous build wrote there
    while it is current and whole (kept: its entry), else written anew (not through a link into
    the previous build)."""
    path = folder / "site-index.xml"
    try:
        if kept and cache.file_digest(path) == kept.get("sha256"):
            return path, kept["sha256"]
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    index.tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return path, cache.file_digest(path)


def _report_unhandled(context, unhandled: dict[str, list[str]]) -> None:
    """One warning per element name no template handles, at its first occurrence in the corpus
    (text.report_unrendered: the text and print targets name their stylesheets in the same one).

    A document page also shows parts of other files (the edition's source description), so a
    name not found in the document is looked for in the rest of the corpus.
    """
    missing = {name for names in unhandled.values() for name in names}
    order = sorted(unhandled, key=lambda source: not unhandled[source]) + [
        str(path) for path in context.sources if str(path) not in unhandled]
    for source in order:
        if not missing:
            break
        root = corpus.parse(Path(source)).getroot()
        for name in sorted(missing):
            element = next(root.iter(TEI + name), None)
            if element is not None:
                missing.discard(name)
                report_unrendered(context, STYLESHEET, name,
                                  lambda at=(source, element.sourceline or 0): at)
    for name in sorted(missing):
        report_unrendered(context, STYLESHEET, name, lambda: (next(iter(unhandled)), 0))


def _report_uncited(context, index) -> None:
    """One warning per document whose page has no citation although the edition gives them."""
    from teiedition.cite_site import site_citation_problem

    if index.head.find(f"{{{SITE_NS}}}edition") is None:
        return  # no edition file: no page is cited
    for document in index.documents:
        if document["citations"]:
            continue
        root = corpus.parse(Path(document["path"])).getroot()
        problem = (site_citation_problem(root.get(corpus.XML_ID))
                   or "its xml:id is not unique in the corpus")
        context.report(warning(document["path"], root.sourceline or 0, "the page has no citation: "
                               f"{problem}", "html.no-citation"))


def _copy_sources(documents: list[dict], site: Path, outputs: cache.Outputs) -> None:
    folder = site / "tei"
    folder.mkdir()
    for document in documents:
        name = f"tei/{document['page']}.xml"
        if not outputs.reuse(f"site/{name}", document["digest"]):
            target = site / name
            target.unlink(missing_ok=True)
            shutil.copyfile(document["path"], target)
            outputs.made_from(f"site/{name}", document["digest"])


def _write_citation_files(documents: list[dict], site: Path, outputs: cache.Outputs) -> None:
    """Per-document downloads (.bib, .ris, .json) when the cite module supplied them."""
    suffixes = {"bibtex": "bib", "ris": "ris", "csl-json": "json"}
    folder = site / "cite"
    for document in documents:
        for kind, text in document["citations"].items():
            if kind in suffixes:
                folder.mkdir(exist_ok=True)
                name = f"site/cite/{document['page']}.{suffixes[kind]}"
                key = cache.digest(text)
                if not outputs.reuse(name, key):
                    cache.write_new(folder / f"{document['page']}.{suffixes[kind]}", text)
                    outputs.made_from(name, key)


def _write_sitemap(site: Path, base: str, pages: list[str]) -> None:
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    urlset = etree.Element(f"{{{namespace}}}urlset", nsmap={None: namespace})
    for page in pages:
        location = etree.SubElement(etree.SubElement(urlset, f"{{{namespace}}}url"),
                                    f"{{{namespace}}}loc")
        location.text = base + ("" if page == "index.html" else page)
    etree.ElementTree(urlset).write(str(site / "sitemap.xml"), encoding="UTF-8",
                                    xml_declaration=True, pretty_print=True)


def _document_jobs(index, keys: list[str], outputs: cache.Outputs, progress):
    """The pages to render, as (source, page name, key, position in reading order); pages whose
    key is unchanged are reused."""
    jobs, unhandled = [], {}
    for position, (document, record_key) in enumerate(zip(index.documents, keys, strict=True), 1):
        key = cache.digest(record_key, document["digest"])  # the record and the source file
        reused = outputs.reuse(f"site/{document['page']}.html", key)
        if reused is not None:
            unhandled[document["path"]] = reused.get("unhandled", [])
            if progress:
                progress(1)
        else:
            jobs.append((Path(document["path"]), document["page"], key, position))
    return jobs, unhandled


def _start_search(site: Path, pages: list[str], outputs: cache.Outputs,
                  jobs: int) -> search_index.Indexing:
    """Start indexing the document pages for search; only the shards whose pages changed run
    pagefind."""
    # The corpus pages carry no data-pagefind-body: pagefind would parse them for nothing.
    documents = [page for page in pages if page.removesuffix(".html") not in CORPUS_PAGES] or pages
    keys = {page: outputs.store.new.get(f"site/{page}", {}).get("key", "") for page in documents}
    return search_index.start(site, documents, keys, outputs, cache.fingerprint(), jobs)


def _finish_search(search: search_index.Indexing) -> None:
    from teiedition.build import BuildFailed

    try:
        search.finish()
    except search_index.IndexFailed as exc:
        raise BuildFailed(f"search index: {exc}") from None


def build(context) -> None:
    """Write context.out/site: document pages, registers, chronology, about, search, sitemap.

    Incremental: a document page is rendered again only when its source, its own index record
    or the shared part of the site index changed; corpus pages only when the index changed;
    the search index only when a page changed (cache.py).
    """
    site = context.out / "site"
    site.mkdir(parents=True)
    use_cache = context.options.get("cache", True)
    outputs = cache.Outputs("html", context)
    records = cache.Store("site-records", context.previous, use_cache)
    citations = cache.Store("site-citations", context.previous, use_cache)
    index = gather(context.sources, records, citations, context.digests)
    _report_uncited(context, index)
    # A document page reads its own record and, of the others, only what the shared digest covers.
    shared = index.shared_digest(cache.fingerprint())
    keys = index.document_keys(shared)
    whole = cache.digest(shared, *keys)
    jobs, unhandled = _document_jobs(index, keys, outputs, context.progress)
    stale = [page for page in CORPUS_PAGES if not outputs.reuse(f"site/{page}.html", whole)]
    index_key = cache.digest("site-index", whole)
    kept = records.get(index_key) if use_cache else None  # the index file .cache holds, if current
    if jobs or stale:
        # The index names source files by absolute URI: it stays out of the (reproducible) output.
        with tempfile.TemporaryDirectory(prefix="teiedition-site-") as scratch:
            index_file, written = _index_file(
                index, context.out / cache.FOLDER if use_cache else Path(scratch), kept)
            if use_cache:
                records.put(index_key, {"kind": "site-index", "sha256": written})
            renderers = []

            def local() -> _Renderer:  # one per build in this process: the index is parsed once
                if not renderers:
                    renderers.append(_Renderer(index_file, site))
                return renderers[0]

            def page_index() -> Path:
                path = Path(scratch) / "page-index.xml"
                index.page_tree().write(str(path), encoding="UTF-8", xml_declaration=True)
                return path

            def documents_local() -> _Renderer:
                """This process's renderer for the document pages: the whole index's when corpus
                pages are rendered too (parsed once for both), else the page index's (at 10,000
                documents, a seventh of the whole to parse for one changed page)."""
                return local() if stale else _Renderer(page_index(), site)

            made = _render_documents([(source, name, index.record_xml(position))
                                      for source, name, _key, position in jobs], page_index,
                                     site, context.jobs, context.progress, documents_local)
            for source, name, key, _position in jobs:
                outputs.made_from(f"site/{name}.html", key, unhandled=made[str(source)])
            unhandled.update(made)
            if stale:
                renderer = local()
                for page in stale:
                    cache.write_new(site / f"{page}.html", renderer.page(page))
                    outputs.made_from(f"site/{page}.html", whole)
    _report_unhandled(context, {path: unhandled[path] for path in
                                (d["path"] for d in index.documents) if path in unhandled})
    pages = [f"{page}.html" for page in CORPUS_PAGES] + [f"{d['page']}.html" for d in index.documents]
    # pagefind reads only the pages: it runs while the rest of the site is written.
    search = None if context.options.get("no_search") else _start_search(site, pages, outputs,
                                                                            context.jobs)
    try:
        shutil.copytree(resources.stylesheet("assets"), site / "assets")
        _copy_sources(index.documents, site, outputs)
        _write_citation_files(index.documents, site, outputs)
        _write_sitemap(site, index.base, pages)
    except BaseException:
        if search is not None:
            search.abandon()
        raise
    if search is not None:
        _finish_search(search)
    if use_cache:
        outputs.save()
        records.save(context.out)
        citations.save(context.out)
