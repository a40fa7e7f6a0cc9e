"""Targets built in a process of their own, beside the others: a new interpreter that loads its
modules and stylesheets while the build validates, then builds into the staging folder."""

from __future__ import annotations

import importlib
import os
import sys

from teiedition.build import TARGETS, BuildContext, BuildFailed
from teiedition.diagnostics import Diagnostic

# The targets that run apart (the PDF is one long layout in one process); the modules each imports
# and the stylesheets it compiles while the build validates.
APART: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {"pdf": (("weasyprint",), ("print.xsl",))}


class Apart:
    """A target built in a process of its own, started before validation so that its imports and
    its stylesheets are ready when the staging folder is. A new interpreter (python -c), neither
    forked (saxonche must not cross a fork) nor multiprocessing's spawn (which imports the caller's
    main module again). It writes into the staging folder; the swap waits for it."""

    def __init__(self, target: str):
        import subprocess

        self.target = target
        # The caller's import path: the same teiedition, wherever it was imported from.
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", f"from teiedition.apart import serve; serve({target!r})"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        except OSError as exc:
            raise BuildFailed(f"{target}: cannot start a process for it: {exc}") from None

    def start(self, context: BuildContext) -> None:
        import pickle

        job = {"sources": context.sources, "out": context.out, "previous": context.previous,
               "jobs": context.jobs, "options": context.options, "digests": context.digests,
               "changed": context.changed, "verified": context.verified}
        try:
            self.process.stdin.write(pickle.dumps(job))
            self.process.stdin.close()
        except OSError:
            pass  # the process has ended: finish() says so

    def finish(self) -> list[Diagnostic]:
        """Wait for the target: its diagnostics, or the exception it stopped with."""
        import pickle

        try:
            kind, value = pickle.load(self.process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError, ValueError):
            raise BuildFailed(f"{self.target}: the process building it stopped (exit status "
                              f"{self.process.wait()})") from None
        self.process.wait()
        if kind == "failed":
            raise value
        return value

    def stop(self) -> None:
        """End the process, whatever it is doing (the build stopped), and close its pipes."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


def serve(target: str) -> None:
    """A target's own process (Apart): import and compile, then build the job read from standard
    input and write the outcome, pickled, to standard output."""
    import pickle
    import signal

    from teiedition import render, resources

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupted build ends this process itself
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else written to standard output goes to standard error
    module = importlib.import_module(TARGETS[target][0])
    modules, stylesheets = APART[target]
    try:
        for name in modules:
            importlib.import_module(name)
        for name in stylesheets:
            render.compiled(str(resources.stylesheet(name).resolve()))
    except Exception:  # noqa: BLE001 - a failure here shows again, reported, when the target runs
        pass
    try:
        job = pickle.load(sys.stdin.buffer)
    except (EOFError, OSError, pickle.UnpicklingError):
        return  # the build stopped before this target's turn
    context = BuildContext(**job)
    try:
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
