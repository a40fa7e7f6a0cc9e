"""`make bench`: time teiedition on generated corpora against lxml parsing, jing and Saxon-HE on Java."""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402  (bench/ is not a package; its modules sit next to this file)
import measure  # noqa: E402
import report  # noqa: E402

from teiedition import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TEIEDITION = str(BIN / "teiedition")
# Relative to the repository root, where every command runs (see docs/benchmarks.md).
TEI_ALL = Path("../shared/schemas/tei_all.rng")
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
HTML_XSL = Path("xslt/html.xsl")
CACHE = ROOT / "bench" / ".corpora"
DEFAULT_SIZES = (100, 1000, 10000)
# The edition's builds (a few seconds each) are run this many times; the median is the figure.
EDITION_RUNS = 5
# The groups of per-corpus figures --only can choose from.
MEASURES = ("floor", "jing", "validate", "html", "text", "saxon")
TARGET_MODULES = {"html": "teiedition.site", "text": "teiedition.text", "pdf": "teiedition.pdf"}

# The floor: parse every listed file with lxml and do nothing else.
FLOOR = ("import sys\nfrom lxml import etree\n"
         "for line in open(sys.argv[1]):\n    etree.parse(line.rstrip('\\n'))\n")


def progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def take(figures: list, figure: measure.Measurement, size: int | str) -> measure.Measurement:
    """Keep a figure and say at once what it was, so a long run shows where it is."""
    figure.size = size
    figures.append(figure)
    if figure.ok:
        progress(f"  {size}: {figure.label}: {figure.seconds:.2f} s, {figure.peak_rss_mb:.0f} MB")
    else:
        progress(f"  {size}: {figure.label}: {figure.problem}")
    return figure


def missing_targets(*names: str) -> str | None:
    """Why a build target cannot be measured yet, or None when all are implemented."""
    missing = [n for n in names if importlib.util.find_spec(TARGET_MODULES[n]) is None]
    if not missing:
        return None
    return "target " + ", ".join(missing) + " not implemented yet (no " + ", ".join(
        TARGET_MODULES[n] for n in missing) + ")"


def jobs_option(jobs: int | None) -> list[str]:
    return ["--jobs", str(jobs)] if jobs else []


def build_command(target: str, folder: Path, out: Path, jobs: int | None, *extra: str) -> list[str]:
    return [TEIEDITION, "build", target, str(folder), "--out", str(out), "--quiet",
            *jobs_option(jobs), *extra]


@contextmanager
def one_document_changed(path: Path):
    """Change the text of one document (its first paragraph) for the duration; restore it after."""
    original = path.read_bytes()
    tree = corpus.parse(path, original)
    paragraph = next(tree.getroot().iter(corpus.TEI + "p"), None)
    if paragraph is not None:
        paragraph.text = (paragraph.text or "") + " [revised]"
    else:
        tree.getroot().append(etree.Comment(" revised "))
    try:
        path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
        yield
    finally:
        path.write_bytes(original)


def document_folders(source: Path) -> list[Path]:
    """The folders (relative to the corpus) that hold its documents, as the source lays them out."""
    return sorted({f.relative.parent for f in generate.read_source(source) if f.kind == "document"})


def saxon_parameters(folder: Path, work: Path) -> list[str]:
    """The parameters Saxon-HE on Java needs to run xslt/html.xsl as teiedition.site runs it.

    teiedition.site passes the corpus-wide site index as the document parameter 'site'; it is
    gathered here, untimed, so that the Java run does the same transforms and no more.
    """
    from teiedition.site_index import gather

    index_file = work / "site-index.xml"
    gather(corpus.find_files([folder])).tree.write(str(index_file), encoding="UTF-8",
                                                   xml_declaration=True)
    return [f"+site={index_file}"]


def measure_size(size: int, folder: Path, source: Path, work: Path, jobs: int | None,
                 only: frozenset[str] = frozenset(MEASURES)) -> list:
    """The per-corpus figures (those named in only) for one generated corpus of size documents."""
    figures: list = []
    files = sorted(str(p) for p in folder.rglob("*.xml"))
    listing = work / f"n{size}-files.txt"
    listing.write_text("".join(f + "\n" for f in files))
    if "floor" in only:
        take(figures, measure.run("floor: lxml parse only", [sys.executable, "-c", FLOOR, str(listing)],
                                  size, ROOT), size)

    if "jing" not in only:
        pass
    elif shutil.which("jing") is None:
        take(figures, measure.skipped("jing tei_all.rng", "jing not installed (apt-get install jing)"), size)
    elif not (ROOT / TEI_ALL).is_file():
        take(figures, measure.skipped("jing tei_all.rng", f"{TEI_ALL} not found"), size)
    else:
        figure = take(figures, measure.run("jing tei_all.rng", ["jing", str(TEI_ALL), *files], size,
                                           ROOT, accept=(0, 1)), size)
        if figure.status == 1:
            figure.note = "jing reported errors"

    if "validate" in only:
        figure = take(figures, measure.run("teiedition validate", [TEIEDITION, "validate", "--quiet",
                                                                   str(folder), *jobs_option(jobs)],
                                           size, ROOT, accept=(0, 1)), size)
        if figure.status == 1:
            figure.note = "the corpus has findings"

    why = missing_targets("html")
    if "html" not in only:
        pass
    elif why:
        for label in ("teiedition build html", "rebuild html, nothing changed",
                      "rebuild html, one document changed", "teiedition build html --no-validate"):
            take(figures, measure.skipped(label, why, size), size)
    else:
        out = work / f"n{size}-html"
        full = take(figures, measure.run("teiedition build html", build_command("html", folder, out, jobs),
                                         size, ROOT), size)
        if full.ok:
            take(figures, measure.run("rebuild html, nothing changed",
                                      build_command("html", folder, out, jobs), size, ROOT), size)
            candidates = sorted(p for d in document_folders(source) for p in (folder / d).glob("*.xml"))
            with one_document_changed(candidates[len(candidates) // 2]):
                take(figures, measure.run("rebuild html, one document changed",
                                          build_command("html", folder, out, jobs), size, ROOT), size)
        shutil.rmtree(out, ignore_errors=True)
        take(figures, measure.run("teiedition build html --no-validate",
                                  build_command("html", folder, out, jobs, "--no-validate"),
                                  size, ROOT), size)
        shutil.rmtree(out, ignore_errors=True)

    why = missing_targets("text")
    if "text" not in only:
        pass
    elif why:
        take(figures, measure.skipped("teiedition build text", why, size), size)
    else:
        out = work / f"n{size}-text"
        take(figures, measure.run("teiedition build text", build_command("text", folder, out, jobs),
                                  size, ROOT), size)
        shutil.rmtree(out, ignore_errors=True)

    if "saxon" in only:
        take(figures, saxon_java(size, folder, source, work), size)
    return figures


def saxon_java(size: int, folder: Path, source: Path, work: Path) -> measure.Measurement:
    label = "Saxon-HE on Java, html.xsl batch"
    if shutil.which("java") is None:
        return measure.skipped(label, "java not installed (apt-get install libsaxonhe-java)", size)
    if not SAXON_JAR.is_file():
        return measure.skipped(label, f"{SAXON_JAR} not found (apt-get install libsaxonhe-java)", size)
    if not (ROOT / HTML_XSL).is_file():
        return measure.skipped(label, f"{HTML_XSL} does not exist yet", size)
    folders = document_folders(source)
    if len(folders) != 1:
        return measure.skipped(label, "documents lie in more than one folder; one -s:DIR needs one", size)
    out = work / f"n{size}-saxon"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    try:
        parameters = saxon_parameters(folder, work)
    except Exception as exc:  # the site index is teiedition's own work: report, do not stop the run
        return measure.skipped(label, f"cannot gather the site index: {exc}".splitlines()[0], size)
    command = ["java", "-cp", str(SAXON_JAR), "net.sf.saxon.Transform", f"-s:{folder / folders[0]}",
               f"-o:{out}", f"-xsl:{HTML_XSL}", *parameters]
    figure = measure.run(label, command, size, ROOT)
    shutil.rmtree(out, ignore_errors=True)
    return figure


def measure_edition(source: Path, work: Path, jobs: int | None) -> list:
    """The figures for the edition itself: validate, the whole build, the PDF, start-up."""
    figures: list = []
    name = str(source)
    take(figures, measure.best_of("teiedition --help", [TEIEDITION, "--help"], 5, cwd=ROOT), "edition")
    documents = sum(f.kind == "document" for f in generate.read_source(source))
    figure = take(figures, measure.run("teiedition validate", [TEIEDITION, "validate", "--quiet", name,
                                                               *jobs_option(jobs)],
                                       documents, ROOT, accept=(0, 1)), "edition")
    if figure.status == 1:
        figure.note = f"{name} has findings"
    for target, label in (("pdf", "teiedition build pdf"),
                          (None, "teiedition build all (validate, html, text, pdf)")):
        why = missing_targets(*([target] if target else TARGET_MODULES))
        if why:
            take(figures, measure.skipped(label, why, documents), "edition")
            continue
        out = work / "edition"
        take(figures, measure.median_of(label, build_command(target or "all", source, out, jobs),
                                        EDITION_RUNS, partial(shutil.rmtree, out, ignore_errors=True),
                                        documents=documents, cwd=ROOT), "edition")
        shutil.rmtree(out, ignore_errors=True)
    return figures


def compile_toolkit() -> None:
    """Give teiedition's modules their bytecode, as pip gives an installed wheel's: an editable
    install under PYTHONDONTWRITEBYTECODE would otherwise compile every module in every process
    measured (some 40 ms of each start-up)."""
    import compileall

    import teiedition

    compileall.compile_dir(str(Path(teiedition.__file__).parent), quiet=1)


def sizes_option(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "").replace(",", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': expected sizes like 100,1000") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"'{text}': sizes must be positive numbers")
    return sizes


def measures_option(text: str) -> set[str]:
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    unknown = chosen - set(MEASURES)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"'{text}': choose from {','.join(MEASURES)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=sizes_option, default=list(DEFAULT_SIZES),
                        help="corpus sizes, comma-separated (default: 100,1000,10000)")
    parser.add_argument("--source", type=Path, default=Path("tei"),
                        help="the edition whose documents are cycled (default: tei)")
    parser.add_argument("--jobs", type=int, help="passed to teiedition as --jobs (default: all cores)")
    parser.add_argument("--no-edition", action="store_true",
                        help="skip the figures for the edition itself (start-up, PDF, whole build)")
    parser.add_argument("--only", type=measures_option, default=set(MEASURES),
                        help="per-corpus figures to take, comma-separated, from " + ",".join(MEASURES)
                        + " (default: all)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    arguments = parser.parse_args(argv)
    source = arguments.source if arguments.source.is_absolute() else ROOT / arguments.source
    machine = measure.machine()
    compile_toolkit()
    # A folder of this run's own: two runs at once must not remove each other's build folders.
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".work-", dir=CACHE))
    figures: list = []
    try:
        if not arguments.no_edition:
            progress(f"edition ({arguments.source})")
            figures += measure_edition(source, work, arguments.jobs)
        for size in arguments.sizes:
            folder, made = generate.cached_corpus(source, CACHE, size)
            progress(f"{size} documents ({'generated' if made else 'cached'} in "
                     f"{folder.relative_to(ROOT)})")
            figures += measure_size(size, folder, source, work, arguments.jobs, arguments.only)
    except generate.GeneratorError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if arguments.json:
        arguments.json.write_text(json.dumps(
            {"machine": machine, "figures": [f.as_dict() for f in figures]},
            indent=2) + "\n")
    print(report.render(machine, figures, arguments.source, measure.load()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
