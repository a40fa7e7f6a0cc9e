"""Run XSLT 3.0 stylesheets through saxonche: one processor per process, each stylesheet compiled once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmValue

_FEATURE = "http://saxon.sf.net/feature/parserFeature?uri=http%3A//xml.org/sax/features/"
# Saxon's own parser resolves external entities by default; teiedition never lets it.
SAFE_PARSER_FEATURES = {
    _FEATURE + "external-general-entities": "false",
    _FEATURE + "external-parameter-entities": "false",
    "http://saxon.sf.net/feature/parserFeature?uri=http%3A//apache.org/xml/features/"
    "nonvalidating/load-external-dtd": "false",
}
XINCLUDE = "http://saxon.sf.net/feature/xinclude-aware"


class RenderError(Exception):
    """A stylesheet failed to compile or to run; the message names the stylesheet."""


@cache
def processor() -> PySaxonProcessor:
    saxon = PySaxonProcessor(license=False)
    for name, value in SAFE_PARSER_FEATURES.items():
        saxon.set_configuration_property(name, value)
    saxon.set_configuration_property(XINCLUDE, "false")
    return saxon


@cache
def compiled(stylesheet: str):
    """The compiled executable for a stylesheet path; compiled once per process."""
    compiler = processor().new_xslt30_processor()
    try:
        return compiler.compile_stylesheet(stylesheet_file=stylesheet)
    except PySaxonApiError as exc:
        raise RenderError(f"{stylesheet}: cannot compile: {' '.join(str(exc).split())}") from None


def xdm_value(value):
    """A Python value as a typed XDM value; an XDM value (a parsed document, say) as it is."""
    if isinstance(value, PyXdmValue):
        return value
    saxon = processor()
    if isinstance(value, bool):
        return saxon.make_boolean_value(value)
    if isinstance(value, int):
        return saxon.make_integer_value(value)
    if isinstance(value, Path):
        return saxon.make_string_value(value.resolve().as_uri())
    return saxon.make_string_value(str(value))


def run(executable, label: str, call, parameters: dict, messages: bool = False,
        empty_ok: bool = False) -> tuple[str, list[str]]:
    """Run call(executable) with typed parameters set afresh; its text and, if asked, xsl:messages.

    Parameter names use '_' for '-' (html_base -> html-base); None leaves a parameter unset. A
    Saxon error becomes a one-line RenderError starting with label.
    """
    executable.clear_parameters()
    for name, value in parameters.items():
        if value is not None:
            executable.set_parameter(name.replace("_", "-"), xdm_value(value))
    if messages:
        executable.set_save_xsl_message(True, None)
        executable.clear_xsl_messages()
    try:
        result = call(executable)
    except PySaxonApiError as exc:
        raise RenderError(f"{label}: {' '.join(str(exc).split())}") from None
    if result is None and not empty_ok:
        raise RenderError(f"{label}: the transform produced nothing")
    found = executable.get_xsl_messages() if messages else None
    return result or "", [str(message) for message in found] if found else []


def render(stylesheet: Path, source: Path, **parameters) -> str:
    """Transform one source file and return the principal result as text.

    Parameters are typed from their Python values: bool, int, str, and Path (passed as a file: URI).
    """
    executable = compiled(str(Path(stylesheet).resolve()))
    text, _messages = run(executable, f"{source}: {Path(stylesheet).name}",
                          lambda e: e.transform_to_string(source_file=str(Path(source).resolve())),
                          parameters)
    return text
