"""Rule mention.untagged: register names that stand in a document's text outside the elements
that tag them, found in the workers with one pattern over every register name."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from teiedition import corpus
from teiedition.corpus import TEI, FileIndex
from teiedition.diagnostics import Diagnostic, warning
from teiedition.rules import Facts

# Where a register name may occur in document text without being reported as untagged.
TAGGED = {TEI + name for name in ("persName", "placeName", "orgName", "rs", "name", "note",
                                   "title")}
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"(?<!\w)[^\W\d_a-z]\w*")


def register_names(indexes: Iterable[FileIndex]) -> tuple[tuple[str, str], ...]:
    """(name, entry id) for every register name, in corpus order: what NameTable looks for."""
    return tuple(name for file_index in indexes if isinstance(file_index.facts, Facts)
                 for name in file_index.facts.names)


class NameTable:
    """The register names the mention check looks for, compiled once (and handed to the workers)."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        self.owners: dict[str, str] = {}
        for name, identifier in names:
            self.owners.setdefault(name, identifier)
        # Index names by their first word: a run of text is scanned word by word, not name by name.
        self.by_first_word: dict[str, list[str]] = defaultdict(list)  # longest names first
        for name in sorted(self.owners, key=len, reverse=True):
            first = _WORD.match(name)
            if first:
                self.by_first_word[first[0]].append(name)
        self.first_words = frozenset(self.by_first_word)
        # Names usually start with a capital: then only capitalised words need a look-up.
        self.words = _CAPITALISED if all(w[0].isupper() for w in self.first_words) else _WORD
        self.anywhere = _any_of(name for named in self.by_first_word.values() for name in named)
        self.patterns: dict[str, re.Pattern] = {}  # each name's own, compiled when first needed

    def pattern(self, name: str) -> re.Pattern:
        """The name, its words apart by any spaces, not followed by a word character."""
        found = self.patterns.get(name)
        if found is None:
            found = self.patterns[name] = re.compile(
                r"\s+".join(map(re.escape, name.split())) + r"(?!\w)")
        return found

    def __bool__(self) -> bool:
        return bool(self.first_words)

    def may_occur_in(self, text: etree._Element) -> bool:
        """Whether a register name may occur untagged in text: false means it surely does not.

        Cuts the tagged elements out of text itself (a copy of the tree costs more than every
        other check of a document) and looks at what is left in one pass.
        """
        for tagged in text.iter(*TAGGED):
            if tagged.tail:  # the text after a tagged element starts a run: no word runs into it
                tagged.tail = " " + tagged.tail
        etree.strip_elements(text, *TAGGED, with_tail=False)
        # Runs joined by a character that is no word character: a word ends where its run ends.
        # (A name found across two runs is a false alarm, which the exact walk then drops.)
        return self.anywhere.search("\x00".join(text.itertext())) is not None


def _any_of(names: Iterable[str]) -> re.Pattern:
    """One pattern that finds each name where its own pattern would (words apart by any spaces),
    shaped as a trie: a position of the text is tried against a few branches, not every name."""
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for character in " ".join(name.split()):
            node = node.setdefault(character, {})
        node[""] = {}  # a name ends here

    def branches(node: dict[str, dict]) -> str:
        found = [(r"\s+" if character == " " else re.escape(character)) + branches(child)
                 for character, child in node.items() if character]
        if "" in node:
            found.append(r"(?!\w)")
        return found[0] if len(found) == 1 else "(?:" + "|".join(found) + ")"

    return re.compile(branches(trie) if trie else r"(?!)")


def check_mentions(path: str, tree: etree._ElementTree, names: NameTable) -> list[Diagnostic]:
    """Register names in a document's text outside persName, placeName, ... (mention.untagged).

    The last check made on a tree: it leaves the tree without its tagged elements. Where a name
    may occur (rarely), the file is parsed again for the walk that counts lines exactly.
    """
    text = tree.getroot().find(f"{TEI}text")
    if not names or text is None or not names.may_occur_in(text):
        return []
    try:
        text = corpus.parse(Path(path)).getroot().find(f"{TEI}text")
    except corpus.ParseFailure:  # changed since it was parsed: its next check will tell
        return []
    return [] if text is None else list(_untagged_mentions(path, text, names))


def _untagged_mentions(path: str, text: etree._Element, names: NameTable) -> Iterator[Diagnostic]:
    by_first_word, words, owners = names.by_first_word, names.words, names.owners
    for line, run in untagged_text(text):
        end = 0
        for word in words.finditer(run):
            if word.start() < end or word[0] not in by_first_word:
                continue
            for name in by_first_word[word[0]]:
                match = names.pattern(name).match(run, word.start())
                if match:
                    end = match.end()
                    yield warning(path, line + run.count("\n", 0, word.start()),
                                  f"'{name}' names register entry '#{owners[name]}' but is "
                                  "not tagged (persName/placeName/orgName/rs with @ref)",
                                  "mention.untagged")
                    break


def untagged_text(element: etree._Element) -> Iterator[tuple[int, str]]:
    """(line, text) for each run of text outside the tagged elements, lines counted exactly."""
    line = element.sourceline or 0
    inside = 0  # how many tagged elements enclose the current node
    for event, node in etree.iterwalk(element, events=("start", "end")):
        named = isinstance(node.tag, str)
        if event == "start":
            line = (node.sourceline or line) if named else line
            if node.tag in TAGGED:
                inside += 1
            if node.text:
                if named and not inside:
                    yield line, node.text
                line += node.text.count("\n")
        else:
            if node.tag in TAGGED:
                inside -= 1
            if node.tail and node is not element:
                if not inside:
                    yield line, node.tail
                line += node.tail.count("\n")
