"""Targets built in a process of their own, beside the others: a new interpreter, started as soon as
the command knows its targets, that imports its modules while the build validates, then builds
into the staging folder, asking the main process for what that one does better."""

from __future__ import annotations

import atexit
import importlib
import os
import pickle
import queue
import sys
import threading

# The targets that run apart (the PDF is one long layout in one process): the module that builds
# each, the modules it imports while the build validates, and the module whose Answers answers in
# the main process what the target asks (context.ask).
APART: dict[str, tuple[str, tuple[str, ...], str]] = {
    "pdf": ("teiedition.pdf", ("weasyprint",), "teiedition.paged"),
}

_started: dict[str, Apart] = {}  # started early (start_early), not yet taken by a build


class Apart:
    """A target built in a process of its own. A new interpreter (python -c), neither forked
    (saxonche must not cross a fork) nor multiprocessing's spawn (which imports the caller's main
    module again). It writes into the staging folder; the swap waits for it."""

    def __init__(self, target: str, command: list[str] | None = None):
        """command: the target's process (by default this interpreter running serve(target))."""
        import subprocess

        from teiedition.context import BuildFailed

        self.target = target
        self.answers = None
        self.asking = False  # the target will ask questions before it goes quiet (start)
        self.outcome = None  # the target's outcome, when read before finish()
        self.outbox: queue.SimpleQueue | None = None  # messages sent, not yet written (_send)
        self.writer: threading.Thread | None = None  # writing them
        # The caller's import path: the same teiedition, wherever it was imported from.
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
        try:
            self.process = subprocess.Popen(
                command or [sys.executable, "-c",
                            f"from teiedition.apart import serve; serve({target!r})"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        except OSError as exc:
            raise BuildFailed(f"{target}: cannot start a process for it: {exc}") from None

    @classmethod
    def take(cls, target: str) -> Apart:
        """The target's process started early, or a new one."""
        return _started.pop(target, None) or cls(target)

    def start(self, context) -> None:
        """Send the job, with the answers the main process made ahead (see paged.Answers)."""
        from teiedition import cache

        self.answers = importlib.import_module(APART[self.target][2]).Answers(context)
        job = {"sources": context.sources, "out": context.out, "previous": context.previous,
               "jobs": context.jobs, "options": context.options, "digests": context.digests,
               "changed": context.changed, "verified": context.verified}
        ready = self.answers.ready()
        self.asking = bool(ready)  # nothing made ahead: the target reuses its output, asking nothing
        self._send((job, cache.fingerprint(), ready))
        if not self.asking:
            self._sent()  # a short job: no thread outlives this

    def answer_until_quiet(self) -> None:
        """Answer the target's questions until it says it has what it needs (or ends). The PDF's
        layout asks for the parts of the book as it goes and cannot wait for the build's other
        targets; it then writes alone, and the other targets are built beside that."""
        if self.asking and self._answer("quiet")[0] == "failed":
            self.finish()  # raises: the build stops before building the others
        self._sent()  # read by now: the target asks for nothing it has not read

    def finish(self) -> list:
        """Answer the target's questions until it is done: its diagnostics, or the exception it
        stopped with."""
        try:
            kind, value = self.outcome or self._answer("done", "failed")
        finally:
            self.answers.close()
        self._sent()
        self.process.wait()
        if kind == "failed":
            raise value
        return value

    def _answer(self, *until: str) -> tuple:
        """Answer questions until a message of a kind in until (or the outcome) arrives: that
        message."""
        from teiedition.context import BuildFailed

        while True:
            try:
                kind, value = pickle.load(self.process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):
                raise BuildFailed(f"{self.target}: the process building it stopped (exit "
                                  f"status {self.process.wait()})") from None
            if kind in ("done", "failed"):
                self.outcome = (kind, value)
                return self.outcome
            if kind in until:
                return kind, value
            # An answer that fails stops the build; the caller ends the waiting process.
            self._send(self.answers.answer(value))

    def _send(self, message) -> None:
        """Send a message without waiting for the target to read it: one thread writes the
        messages, in turn. The target may meanwhile be writing long questions (a large book's
        mention pages run to megabytes), waiting for this process to read them: were this process
        to wait for the target to read its answers first, neither would read."""
        if self.writer is None:
            self.outbox = queue.SimpleQueue()
            self.writer = threading.Thread(target=self._write, args=(self.outbox,), daemon=True)
            self.writer.start()
        self.outbox.put(pickle.dumps(message))

    def _write(self, outbox) -> None:
        while (data := outbox.get()) is not None:
            try:
                self.process.stdin.write(data)
                self.process.stdin.flush()
            except (OSError, ValueError):
                pass  # the process has ended, or its pipe is closed: finish() says so

    def _sent(self, timeout: float | None = None) -> None:
        """Wait until every message sent is written, and end the thread writing them."""
        if self.writer is not None:
            self.outbox.put(None)
            self.writer.join(timeout)
            self.writer = None

    def stop(self) -> None:
        """End the process, whatever it is doing (the build stopped), and close its pipes."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        self._sent(timeout=5)  # its write fails now that the process has ended
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()
        if self.answers is not None:
            self.answers.close()


def start_early(targets) -> None:
    """Start the process of each target that runs apart, before the build has imported what it
    needs: its imports then overlap the build's. A build takes them (Apart.take); stop_early ends
    those it did not take."""
    if not sys.executable:  # no interpreter to start (embedded): the build runs them in turn
        return
    for target in targets:
        if target in APART and target not in _started:
            try:
                _started[target] = Apart(target)
            except Exception:  # noqa: BLE001 - the build starts it again and reports why it cannot
                pass


@atexit.register
def stop_early() -> None:
    """End the processes started early that no build took."""
    while _started:
        _started.popitem()[1].stop()


def serve(target: str) -> None:
    """A target's own process (Apart): import, then build the job read from standard input, asking
    the main process (context.ask) through standard output and reading its answers from standard
    input; last, write the outcome, pickled, to standard output."""
    import signal

    from teiedition import cache
    from teiedition.context import BuildContext, BuildFailed

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupted build ends this process itself
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else written to standard output goes to standard error
    name, modules, _ = APART[target]
    try:
        module = importlib.import_module(name)
        for imported in modules:
            importlib.import_module(imported)
    except Exception as exc:  # noqa: BLE001 - sent to the main process with the outcome
        module = exc
    try:
        job, fingerprint, ready = pickle.load(sys.stdin.buffer)
    except (EOFError, OSError, pickle.UnpicklingError, ValueError):
        return  # the build stopped before this target's turn
    cache.same_toolkit(fingerprint)

    asked = []  # questions sent and not yet answered; the main process answers them in turn

    def ask(question, wait: bool = True):
        """The main process's answer; with wait=False the question is only sent, and the answer,
        made meanwhile, is read when the question is asked again. ask(None, wait=False) tells the
        main process that the target has what it needs (Apart.answer_until_quiet)."""
        if question is None:
            pickle.dump(("quiet", None), results)
            results.flush()
            return None
        if question not in ready and question not in asked:
            pickle.dump(("ask", question), results)
            results.flush()
            asked.append(question)
        if not wait:
            return None
        while question not in ready:
            ready[asked.pop(0)] = pickle.load(sys.stdin.buffer)
        return ready.pop(question)

    context = BuildContext(**job, ask=ask)
    try:
        if isinstance(module, Exception):
            raise module
        module.build(context)
        outcome = ("done", context.diagnostics)
    except Exception as exc:  # noqa: BLE001 - sent to the main process, which raises it
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an exception that cannot cross processes
            exc = BuildFailed(f"{target}: {type(exc).__name__}: {exc}")
        outcome = ("failed", exc)
    try:
        pickle.dump(outcome, results)
        results.close()
    except OSError:
        pass  # the build has stopped
    # The outcome is sent and every file is written and closed: the process ends at once. Tearing
    # down the interpreter (the PDF's laid-out pages, WeasyPrint's modules) took 0.4 s, for which
    # the build waited.
    sys.stderr.flush()
    os._exit(0)
