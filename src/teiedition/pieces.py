"""A part of the book laid out in pieces at once: its first piece in this process, each other in a
fork of it.

print.css begins each document and each part of print.xsl's book (contents, introduction, each
index) on a new page, so a part cut before some of them lays out, piece by piece, into the very
pages of the whole: only each piece's pages are numbered from its own start. WeasyPrint lays out
every page of a piece before it makes the margin boxes, which print the page numbers. As each
piece's pages are laid out, the number of pages before it is passed along a chain of pipes: this
process tells the second piece how many pages the first has, the second tells the third how many
the first two have, and so on; each fork numbers its pages on from there and sends them, pickled,
to this process, which puts the pages of all the pieces together (Document.copy). The PDF is byte
for byte that of the part laid out at once (tests/test_pdf_pieces.py).

Forks are made only where it is safe and gains: on Linux, in a process that runs no thread but
its own and has not loaded Saxon (whose runtime must not cross a fork; the PDF's own process
never loads it), as many pieces as the build may use processes (--jobs), none smaller than
SMALLEST_PIECE. Should a fork fail in any way, this process lays the whole part out, as without
them.
"""

from __future__ import annotations

import copyreg
import logging
import os
import pickle
import signal
import sys
import threading
from contextlib import contextmanager
from itertools import accumulate

# The classes of the parts of print.xsl's book that print.css begins on a new page.
CUT_CLASSES = {"doc", "part", "section-head"}
# The time a piece takes is counted in characters of text, and each element in it takes about as
# long as this many more (fitted to the layout of each document and part of the edition alone:
# WeasyPrint lays out about 50 characters of justified, hyphenated text in a millisecond, and each
# name, note, link or paragraph adds a box or more to every line it is on).
ELEMENT_COST = 75
# About a tenth of a second of layout: a smaller piece is laid out here sooner than a fork is made
# for it and its pages sent back.
SMALLEST_PIECE = 5000


def lay_out(root, render, fonts, jobs: int):
    """WeasyPrint's document for a part of the book, parsed (root), laid out by render(root): in
    pieces when jobs allows more than one process and the part has where to cut (see above).
    fonts: the FontConfiguration that render lays out with."""
    body = root.find("body")
    cuts = _cuts(body, jobs) if body is not None and jobs > 1 and _can_fork() else []
    if not cuts:
        return render(root)
    children = list(body)
    bounds = [0, *cuts, len(children)]
    pieces = [children[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
    try:
        forks = _Forks(root, body, pieces[1:], render)
    except OSError:
        return render(root)
    for element in children[cuts[0]:]:
        body.remove(element)
    try:
        with _margin_boxes(forks.numbered_first):
            first = render(root)
        forks.tell_first_pages(len(first.pages))  # when no margin box was made
        pages = forks.pages(len(first.pages), fonts)
    finally:
        forks.end()
        body.extend(children[cuts[0]:])  # the tree as it was given
    if pages is None:
        return render(root)
    return first.copy(first.pages + pages)


def _cuts(body, jobs: int) -> list[int]:
    """Where to cut the part: before children that begin a page, into at most jobs pieces whose
    largest is as small as can be (the slowest piece sets the time), none smaller than
    SMALLEST_PIECE. The children's positions, in order."""
    children = list(body)
    costs = [len("".join(child.itertext())) + ELEMENT_COST * sum(1 for _ in child.iter())
             for child in children]
    before = [0, *accumulate(costs)]  # the cost of the children before each position
    total = before[-1]
    allowed = [position for position, child in enumerate(children)
               if position and CUT_CLASSES & set((child.get("class") or "").split())]
    count = min(jobs, total // SMALLEST_PIECE)
    if count < 2 or not allowed:
        return []
    starts = [0, *allowed]  # the runs of children that no cut can divide
    runs = [before[end] - before[start] for start, end in zip(starts, [*allowed, len(children)],
                                                               strict=True)]

    def packed(largest: int) -> list[int]:
        """The cuts that fill each piece up to largest, in turn."""
        cuts, size = [], 0
        for start, run in zip(starts, runs, strict=True):
            if size and size + run > largest:
                cuts.append(start)
                size = 0
            size += run
        return cuts

    low, high = max(runs), total  # the smallest largest piece that count pieces allow
    while low < high:
        middle = (low + high) // 2
        if len(packed(middle)) < count:
            high = middle
        else:
            low = middle + 1
    cuts = packed(low)
    # The smallest piece, while too small, joins the smaller of its neighbours.
    while cuts:
        sizes = [before[end] - before[start]
                 for start, end in zip([0, *cuts], [*cuts, len(children)], strict=True)]
        smallest = min(range(len(sizes)), key=sizes.__getitem__)
        if sizes[smallest] >= SMALLEST_PIECE:
            break
        after = sizes[smallest + 1] if smallest + 1 < len(sizes) else None
        if smallest == 0 or (after is not None and after < sizes[smallest - 1]):
            del cuts[smallest]  # joins the piece after it
        else:
            del cuts[smallest - 1]  # joins the piece before it
    return cuts


def _can_fork() -> bool:
    """Linux only: elsewhere, the system's font and text libraries are not known to survive a fork
    (macOS's do not, as a rule) and the part is laid out at once."""
    return sys.platform.startswith("linux") and "saxonche" not in sys.modules \
        and threading.active_count() == 1


@contextmanager
def _margin_boxes(numbered):
    """WeasyPrint's layout with each page's margin boxes made from numbered(page_count, state),
    the page's state (its counters) as they should number it. WeasyPrint makes the margin boxes
    once every page is laid out: its page maker then holds a state for each, after one for the
    start, so page_count is the part's number of pages."""
    import weasyprint.layout

    made = weasyprint.layout.make_margin_boxes

    def making(context, page, state):
        return made(context, page, numbered(len(context.page_maker) - 1, state))

    weasyprint.layout.make_margin_boxes = making
    try:
        yield
    finally:
        weasyprint.layout.make_margin_boxes = made


class _Forks:
    """The forks laying out every piece but the first, all started at once; the chain of pipes
    that tells each how many pages come before it; the pipes that bring back their pages."""

    def __init__(self, root, body, pieces: list[list], render):
        chain = [os.pipe() for _ in pieces]  # chain[i]: pages before pieces[i], from the piece before
        returns = [os.pipe() for _ in pieces]  # returns[i]: pieces[i]'s pages, to this process
        opened = [end for pipe in chain + returns for end in pipe]
        self.told: int | None = None
        self.pids: list[int] = []
        try:
            for position, piece in enumerate(pieces):
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:  # a fork: it lays out its piece, sends its pages and ends, whatever happens
                    status = 1
                    try:
                        _end_with_parent()
                        ahead = chain[position + 1][1] if position + 1 < len(pieces) else None
                        keep = {chain[position][0], returns[position][1], ahead}
                        for end in opened:
                            if end not in keep:
                                os.close(end)
                        body[:] = piece
                        status = _piece(root, render, chain[position][0], ahead,
                                        returns[position][1])
                    finally:
                        os._exit(status)
                self.pids.append(pid)
        finally:
            for end in opened:  # this process keeps the head of the chain and the returns
                if end != chain[0][1] and end not in (pipe[0] for pipe in returns):
                    os.close(end)
        self.first = os.fdopen(chain[0][1], "wb")
        self.returns = [os.fdopen(pipe[0], "rb") for pipe in returns]
        if len(self.pids) < len(pieces):  # a fork could not be made: none is waited for
            self.end()
            raise OSError("not every piece has its fork")

    def numbered_first(self, count: int, state):
        """The first piece's page state, as it is (_margin_boxes): the second piece is told how
        many pages the first has."""
        self.tell_first_pages(count)
        return state

    def tell_first_pages(self, count: int) -> None:
        """Tell the second piece how many pages the first has (once: later calls are ignored)."""
        if self.told is not None:
            return
        self.told = count
        try:
            self.first.write(f"{count}\n".encode())
            self.first.close()
        except OSError:
            pass  # the fork has ended: pages() finds out

    def pages(self, first_count: int, fonts):
        """The other pieces' pages, each numbered on from the pages before it, their WeasyPrint
        warnings logged here; None when a fork failed or a count passed along was not right."""
        if self.told != first_count:
            return None
        pages: list = []
        warnings: list[str] = []
        for returned in self.returns:
            try:
                outcome = _Unpickler(returned, fonts).load()
            except Exception:  # noqa: BLE001 - a failed fork: the part is laid out here
                return None
            if not isinstance(outcome, tuple) or outcome[0] != "done" \
                    or outcome[1] != first_count + len(pages):
                return None
            pages.extend(outcome[2])
            warnings.extend(outcome[3])
        for message in warnings:
            logging.getLogger("weasyprint").warning("%s", message)
        return pages

    def end(self) -> None:
        for stream in (self.first, *self.returns):
            try:
                stream.close()
            except OSError:
                pass
        for pid in self.pids:
            try:
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _piece(root, render, before: int, ahead: int | None, results: int) -> int:
    """A fork's work: lay out its piece; once told how many pages come before it, tell the next
    piece how many come before that one, number its own pages on, and send them. Returns the exit
    status."""
    offset: list[int] = []

    def numbered_on(count: int, state):
        if not offset:
            with os.fdopen(before, "rb") as stream:
                offset.append(int(stream.readline()))
            if ahead is not None:
                with os.fdopen(ahead, "wb") as stream:
                    stream.write(f"{offset[0] + count}\n".encode())
        quote_depth, counters, *rest = state
        counters = dict(counters, page=[value + offset[0] for value in counters["page"]])
        return type(state)((quote_depth, counters, *rest))

    warnings: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    for handler in list(logger.handlers):  # the parent's handlers report into its build
        logger.removeHandler(handler)
    logger.addHandler(Collector())
    with os.fdopen(results, "wb") as stream:
        try:
            with _margin_boxes(numbered_on):
                document = render(root)
        except Exception as exc:  # noqa: BLE001 - the parent lays the part out itself
            _send(stream, ("failed", f"{type(exc).__name__}: {exc}"))
            return 1
        # Pickled straight into the pipe: a book of thousands of pages is not held twice here. Should
        # the pickling fail halfway, the parent cannot read the pages and lays the part out itself.
        _send(stream, ("done", offset[0], document.pages, warnings))
    return 0


def _end_with_parent() -> None:
    """Have the kernel end a fork should its parent end first (Linux); elsewhere, the fork ends
    when it finds the pipe it reads from closed."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _send(stream, outcome) -> None:
    """A fork's outcome pickled into stream, its pages' font configuration (live Pango objects) not
    pickled but named: the receiving process gives its own (_Unpickler). Named through the
    pickler's dispatch table, not persistent_id: a Python call for every object pickled took three
    times as long."""
    from weasyprint.text.fonts import FontConfiguration

    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[FontConfiguration] = lambda fonts: (_fonts_here, ())
    pickler.dump(outcome)


def _fonts_here():
    """Stands for the font configuration in a fork's pickle (read by _Unpickler only)."""
    raise pickle.UnpicklingError("laid-out pages are read with their process's fonts")


class _Unpickler(pickle.Unpickler):
    """Pages from a fork, given this process's font configuration (the one all laid out with: a
    fork's is its copy)."""

    def __init__(self, file, fonts):
        super().__init__(file)
        self.fonts = fonts

    def find_class(self, module, name):
        if (module, name) == (__name__, _fonts_here.__name__):
            return lambda: self.fonts
        return super().find_class(module, name)
