"""The plain-text target: text.xsl over the combined corpus, wrapped; a .txt per document and one for all."""

from __future__ import annotations

import dataclasses
import re
import tempfile
import textwrap
from pathlib import Path
from urllib.parse import unquote

from teiedition import cache, combined, naming, render, resources
from teiedition.diagnostics import warning

DEFAULT_WIDTH = 72
# Line markers text.xsl writes (private-use characters; see the stylesheet's header). The same
# characters in the TEI (MUFI uses them) are escaped before the transform and restored after it.
HANG, HEADING_1, HEADING_2, DOCUMENT = "\ue000", "\ue001", "\ue002", "\ue00f"
ESCAPE = "\ue010"
PRIVATE = re.compile("[\ue000-\ue010]")
ESCAPED = re.compile(ESCAPE + "([a-q])")
UNDERLINES = {HEADING_1: "=", HEADING_2: "-"}
RULE = "="
UNHANDLED = "render.unhandled"


def transform(corpus_file: Path, stylesheet: Path, **parameters) -> tuple[str, list[str]]:
    """Run a stylesheet over the combined corpus; its text and its xsl:messages."""
    executable = render.compiled(str(stylesheet.resolve()))
    return render.run(executable, stylesheet.name,
                      lambda e: e.transform_to_string(source_file=str(corpus_file.resolve())),
                      parameters, messages=True, empty_ok=True)


def report_unhandled(messages: list[str], files: dict[str, Path], stylesheet: str, context) -> None:
    """One warning per element name a stylesheet rendered only as its text, at its first occurrence.

    A name already reported in this build by another stylesheet is not reported again: that
    warning names this stylesheet too.
    """
    first: dict[str, str] = {}
    for message in messages:
        kind, _, rest = message.partition("|")
        base, _, name = rest.rpartition("|")
        if kind == "unhandled":
            first.setdefault(name, base)
    for name, base in first.items():
        def where(name=name, base=base) -> tuple[str | Path, int]:
            path = combined.source_of(base, files)
            return (path, _first_line(path, name)) if path else (base, 0)

        report_unrendered(context, stylesheet, name, where)


def report_unrendered(context, stylesheet: str, name: str, where) -> None:
    """The warning that <name> has no rule in a stylesheet and is rendered as its text: one per
    element name in a build, whichever targets meet it, naming each stylesheet that lacks the rule.
    where() gives the file and line of the name's first occurrence, asked only for a new warning."""
    prefix = f"<{name}> has no rule in "
    if _extend(context, prefix, [stylesheet]):
        return
    path, line = where()
    context.report(warning(path, line, f"{prefix}{stylesheet}; rendered as its text", UNHANDLED))


_UNHANDLED_MESSAGE = re.compile(r"(<[^>]*> has no rule in )(.*); rendered as its text")


def _extend(context, prefix: str, stylesheets: list[str]) -> bool:
    """Name stylesheets in the warning of this build that begins with prefix; False when none does."""
    earlier = next((index for index, diagnostic in enumerate(context.diagnostics)
                    if diagnostic.rule == UNHANDLED and diagnostic.message.startswith(prefix)), None)
    if earlier is None:
        return False
    diagnostic = context.diagnostics[earlier]
    named = diagnostic.message[len(prefix):].partition(";")[0].split(", ")
    added = [stylesheet for stylesheet in stylesheets if stylesheet not in named]
    if added:
        message = f"{prefix}{', '.join([*named, *added])}; rendered as its text"
        context.diagnostics[earlier] = dataclasses.replace(diagnostic, message=message)
    return True


def merge(context, diagnostics) -> None:
    """Report what a target reported in a context of its own (another process) as if it had
    reported it in this one, after the targets before it: report_unhandled's warnings included."""
    for diagnostic in diagnostics:
        match = _UNHANDLED_MESSAGE.fullmatch(diagnostic.message) \
            if diagnostic.rule == UNHANDLED else None
        if match is None or not _extend(context, match[1], match[2].split(", ")):
            context.report(diagnostic)


def _first_line(path: Path, name: str) -> int:
    from teiedition import corpus

    for element in corpus.parse(path).getroot().iter(corpus.TEI + name):
        return element.sourceline or 0
    return 0


def escape(tree) -> None:
    """Escape the marker characters wherever they stand in a tree's text and attributes."""
    def sub(value):
        return PRIVATE.sub(lambda match: ESCAPE + chr(ord("a") + ord(match[0]) - 0xE000), value)

    for node in tree.iter():
        if node.text and PRIVATE.search(node.text):
            node.text = sub(node.text)
        if node.tail and PRIVATE.search(node.tail):
            node.tail = sub(node.tail)
        for name, value in node.attrib.items() if hasattr(node, "attrib") else ():
            if PRIVATE.search(value):
                node.set(name, sub(value))


def unescape(text: str) -> str:
    return ESCAPED.sub(lambda match: chr(0xE000 + ord(match[1]) - ord("a")), text)


def wrap(text: str, width: int = DEFAULT_WIDTH) -> str:
    """Turn text.xsl's marked lines into plain text wrapped at width (0: no wrapping).

    Only spaces between words become line breaks: no word is split and no character is lost.
    """
    out: list[str] = []
    for line in text.split("\n"):
        underline = UNDERLINES.get(line[:1])
        if underline:
            line = line[1:]
        prefix, hang, rest = line.partition(HANG)
        if not hang:
            prefix, rest = "", line
        lines = _wrap_line(unescape(prefix), unescape(rest), width)
        out.extend(lines)
        if underline:
            out.append(underline * max(len(item) for item in lines))
    result = "\n".join(item.rstrip() for item in out)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip("\n") + "\n"


def _wrap_line(prefix: str, rest: str, width: int) -> list[str]:
    whole = prefix + rest
    if width <= 0 or len(whole) <= width:
        return [whole]
    indent = " " * min(len(prefix), width // 2)
    wrapper = textwrap.TextWrapper(width=width, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False, expand_tabs=False,
                                   replace_whitespace=False, drop_whitespace=True)
    return wrapper.wrap(whole) or [whole]


def split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The edition's title block, and (marker, text) for each document, from text.xsl's output;
    a marker is 'id ' and the document's xml:id, or 'file ' and its file's URI."""
    front, *parts = text.split(DOCUMENT)
    documents = []
    for part in parts:
        identifier, _, body = part.partition("\n")
        documents.append((unescape(identifier.strip()), body))
    return front, documents


def render_texts(sources: list[Path], width: int = DEFAULT_WIDTH, context=None, jobs: int = 1,
                 chunk: int | None = None) -> dict[str, str]:
    """File name → text for each document and for the whole edition.

    A large corpus is rendered in parts of chunk documents (each with the edition's and the
    registers' files), in a pool of jobs processes, so that no process holds the whole corpus;
    the title block and the order of documents come from one pass over the headers alone.
    """
    chunk = chunk or CHUNK
    stylesheet = resources.stylesheet("text.xsl")
    plan = _plan(sources) if len(sources) > chunk else None
    if plan is None:
        with tempfile.TemporaryDirectory(prefix="teiedition-text-") as folder:
            corpus_file, files = combined.write(sources, Path(folder), escape)
            marked, messages = transform(corpus_file, stylesheet)
        front, documents = split(marked)
    else:
        context_files, document_files, headers = plan
        files = {Path(path).resolve().as_uri(): Path(path) for path in sources}
        with tempfile.TemporaryDirectory(prefix="teiedition-text-") as folder:
            headers_file = Path(folder) / "headers.xml"
            headers.write(str(headers_file), encoding="UTF-8", xml_declaration=True)
            marked, messages = transform(headers_file, stylesheet)
        front, order = split(marked)
        parts = [(context_files, document_files[start:start + chunk])
                 for start in range(0, len(document_files), chunk)]
        bodies: dict[str, str] = {}
        for part_documents, part_messages in _map(_render_part, parts, jobs):
            bodies.update(part_documents)
            messages.extend(part_messages)
        documents = [(identifier, bodies[identifier]) for identifier, _header in order]
    if context is not None:
        report_unhandled(messages, files, stylesheet.name, context)
    rule = RULE * (width or DEFAULT_WIDTH)
    # Named as the site names pages: safe, unique, and never "edition" (naming.RESERVED).
    names = naming.page_names(_identifier(marker) for marker, _body in documents)
    texts = {f"{name}.txt": wrap(body, width)
             for name, (_marker, body) in zip(names, documents, strict=True)}
    parts = [wrap(front, width)] if front.strip() else []
    parts.extend(texts.values())
    texts["edition.txt"] = f"\n{rule}\n\n".join(parts)
    return texts


def _identifier(marker: str) -> str:
    """A document's id from text.xsl's marker: its xml:id, else its file name without '.xml'."""
    kind, _, value = marker.partition(" ")
    if kind == "id":
        return value
    return Path(unquote(value.rpartition("/")[2])).stem


# Documents per transform in a large corpus: bounded memory, and work for every worker.
CHUNK = 100


def _plan(sources: list[Path]):
    """(edition and register files, document files, a teiCorpus of every header) for rendering in
    parts; None when the corpus needs one transform (a teiCorpus file, a document without xml:id
    or with the id of another: parts are put together by id)."""
    from lxml import etree

    from teiedition import corpus

    headers = etree.Element(corpus.TEI + "teiCorpus", nsmap={None: corpus.TEI_NS})
    context_files, document_files, seen = [], [], {None}  # None: a document without xml:id
    for path in sources:
        root = corpus.parse(path).getroot()
        kind = corpus.kind_of(root)
        if root.tag != corpus.TEI + "TEI" or (kind == "document" and root.get(corpus.XML_ID) in seen):
            return None
        if kind == "document":
            seen.add(root.get(corpus.XML_ID))
            document_files.append(path)
            header = root.find(corpus.TEI + "teiHeader")
            root = etree.Element(root.tag, dict(root.attrib))
            if header is not None:
                root.append(header)
        else:
            context_files.append(path)
        root.set(combined.XML_BASE, Path(path).resolve().as_uri())
        headers.append(root)
    tree = etree.ElementTree(headers)
    escape(tree)
    return context_files, document_files, tree


def _render_part(part: tuple[list[Path], list[Path]]) -> tuple[dict[str, str], list[str]]:
    """The marked text of some documents, rendered with the edition's and registers' files."""
    context_files, document_files = part
    with tempfile.TemporaryDirectory(prefix="teiedition-text-") as folder:
        corpus_file, _files = combined.write(context_files + document_files, Path(folder), escape)
        marked, messages = transform(corpus_file, resources.stylesheet("text.xsl"))
    return dict(split(marked)[1]), messages


def _start_worker() -> None:
    render.compiled(str(resources.stylesheet("text.xsl").resolve()))


def _map(function, items: list, jobs: int):
    """function over items, in a pool of processes (each compiling the stylesheet once) when there
    is more than one item and more than one job."""
    if jobs <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(jobs, len(items)), initializer=_start_worker) as pool:
        yield from pool.map(function, items)


def build(context) -> None:
    """The `text` target: context.out/text/<xml:id>.txt for each document and edition.txt."""
    width = context.options.get("width", DEFAULT_WIDTH)
    width = DEFAULT_WIDTH if width is None else int(width)
    folder = context.out / "text"

    def make() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in render_texts(context.sources, width, context, context.jobs).items():
            cache.write_new(folder / name, text)

    # One transform over the combined corpus: reused whole while no input changed.
    cache.made_once(context, "text", ["text"], make, width)
