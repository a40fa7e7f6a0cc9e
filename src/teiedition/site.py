"""The `html` target: gather a compact site index, render every page through html.xsl, index search."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lxml import etree

from teiedition import corpus, render, resources
from teiedition.corpus import TEI
from teiedition.diagnostics import warning
from teiedition.site_index import gather

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
        self.executable.clear_parameters()
        self.executable.set_parameter("site", self.site)
        for name, value in parameters.items():
            self.executable.set_parameter(name, render.xdm_value(value))
        try:
            result = call()
        except render.PySaxonApiError as exc:
            raise render.RenderError(f"{STYLESHEET}: {' '.join(str(exc).split())}") from None
        if result is None:
            raise render.RenderError(f"{STYLESHEET}: the transform produced nothing")
        return result

    def document(self, source: Path, name: str) -> list[str]:
        """Write one document page; the names of the TEI elements no template handled."""
        try:
            html = self._run(lambda: self.executable.transform_to_string(
                source_file=str(source.resolve())))
        except render.RenderError as exc:
            raise render.RenderError(f"{source}: {exc}") from None
        (self.out / f"{name}.html").write_text(html, encoding="utf-8")
        return sorted(set(_UNHANDLED.findall(html)))

    def page(self, page: str) -> str:
        return self._run(lambda: self.executable.call_template_returning_string("site-page"),
                         page=page)


_worker: _Renderer | None = None


def _start_worker(index_file: Path, out: Path) -> None:
    global _worker
    _worker = _Renderer(index_file, out)


def _render_in_worker(job: tuple[Path, str]) -> tuple[str, list[str]]:
    source, name = job
    return str(source), _worker.document(source, name)


def _render_documents(jobs: list[tuple[Path, str]], index_file: Path, out: Path,
                      workers: int, progress) -> dict[str, list[str]]:
    """Render every document page, in a pool of processes when there are many; unhandled names."""
    unhandled: dict[str, list[str]] = {}
    if workers == 1 or len(jobs) < PARALLEL_THRESHOLD:
        renderer = _Renderer(index_file, out)
        for source, name in jobs:
            unhandled[str(source)] = renderer.document(source, name)
            if progress:
                progress(1)
        return unhandled
    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(index_file, out)) as pool:
        for source, names in pool.map(_render_in_worker, jobs, chunksize=chunk):
            unhandled[source] = names
            if progress:
                progress(1)
    return unhandled


def _report_unhandled(context, unhandled: dict[str, list[str]]) -> None:
    """One warning per element name no template handles, at its first occurrence in the corpus.

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
                context.report(warning(source, element.sourceline or 0, f"<{name}> has no HTML "
                                       "rendering; shown as its plain text",
                                       "html.unhandled-element"))
    for name in sorted(missing):
        context.report(warning(next(iter(unhandled)), 0, f"<{name}> has no HTML rendering; "
                               "shown as its plain text", "html.unhandled-element"))


def _copy_sources(documents: list[dict], site: Path) -> None:
    folder = site / "tei"
    folder.mkdir()
    for document in documents:
        shutil.copyfile(document["path"], folder / f"{document['id']}.xml")


def _write_citation_files(documents: list[dict], site: Path) -> None:
    """Per-document downloads (.bib, .ris, .json) when the cite module supplied them."""
    suffixes = {"bibtex": "bib", "ris": "ris", "csl-json": "json"}
    folder = site / "cite"
    for document in documents:
        for kind, text in document["citations"].items():
            if kind in suffixes:
                folder.mkdir(exist_ok=True)
                (folder / f"{document['id']}.{suffixes[kind]}").write_text(text, encoding="utf-8")


def _write_sitemap(site: Path, base: str, pages: list[str]) -> None:
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    urlset = etree.Element(f"{{{namespace}}}urlset", nsmap={None: namespace})
    for page in pages:
        location = etree.SubElement(etree.SubElement(urlset, f"{{{namespace}}}url"),
                                    f"{{{namespace}}}loc")
        location.text = base + ("" if page == "index.html" else page)
    etree.ElementTree(urlset).write(str(site / "sitemap.xml"), encoding="UTF-8",
                                    xml_declaration=True, pretty_print=True)


def _index_search(site: Path) -> None:
    """Run pagefind over the written pages; its bundle lands in site/pagefind/."""
    from teiedition.build import BuildFailed

    try:
        finished = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site),
                                   "--silent"], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildFailed(f"search index: pagefind could not run: {exc}") from None
    if finished.returncode != 0:
        detail = " ".join((finished.stderr or finished.stdout).split())[:300]
        raise BuildFailed(f"search index: pagefind failed (is 'pagefind[extended]' installed?): "
                          f"{detail}")


def build(context) -> None:
    """Write context.out/site: document pages, registers, chronology, about, search, sitemap."""
    site = context.out / "site"
    site.mkdir(parents=True)
    index = gather(context.sources)
    # The index names source files by absolute URI: it stays out of the (reproducible) output.
    with tempfile.TemporaryDirectory(prefix="teiedition-site-") as scratch:
        index_file = Path(scratch) / "site-index.xml"
        index.tree.write(str(index_file), encoding="UTF-8", xml_declaration=True)
        jobs = [(Path(d["path"]), d["id"]) for d in index.documents]
        unhandled = _render_documents(jobs, index_file, site, context.jobs, context.progress)
        renderer = _Renderer(index_file, site)
        for page in CORPUS_PAGES:
            (site / f"{page}.html").write_text(renderer.page(page), encoding="utf-8")
    _report_unhandled(context, unhandled)
    shutil.copytree(resources.stylesheet("assets"), site / "assets")
    _copy_sources(index.documents, site)
    _write_citation_files(index.documents, site)
    pages = [f"{page}.html" for page in CORPUS_PAGES] + [f"{d['id']}.html" for d in index.documents]
    _write_sitemap(site, index.base, pages)
    if not context.options.get("no_search"):
        _index_search(site)

