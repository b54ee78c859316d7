"""Read content files: YAML nodes that keep their line numbers, and Markdown pages."""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .markup import refused_links
from .problems import Problem, shown_path, unreadable
from .references import written_targets

logger = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "empty",
}


MAX_DEPTH = 20  # a workbook nests four levels; libyaml's composer crashes on tens of thousands
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same rules, 10x faster


@dataclass(frozen=True)
class Reference:
    """A cross-reference written in content, where it stands: checked once the whole workbook is read."""

    path: str
    line: int
    target: str

    def problem(self, message: str) -> Problem:
        """Say what is wrong with it, at its line."""
        return Problem(self.path, self.line, message)


class Source:
    """One content file being read; it records problems against its lines, and the cross-references on them."""

    def __init__(
        self, path: Path, shown: str, problems: list[Problem], root: Path, references: list[Reference] | None = None
    ) -> None:
        self.path = path
        self.shown = shown
        self.problems = problems
        self.root = root  # the project: nothing outside it is read
        self.offset = 0  # lines before the YAML, for a header inside a Markdown page
        self.lines: list[str] = []  # the file's lines, once read: where a cross-reference stands
        self.references = references if references is not None else []

    def problem(self, at: Node | int, message: str) -> None:
        """Record a problem at a node's line, or at a line number."""
        line = at if isinstance(at, int) else at.start_mark.line + 1 + self.offset
        self.problems.append(Problem(self.shown, line, message))

    def read_text_file(self) -> str | None:
        """Return the file's text, or record why it cannot be read."""
        why = unreadable(self.path, self.root)
        if why is not None:
            self.problem(1, f"the file {why}")
            return None
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self.problem(1, f"cannot read the file ({error.strerror})")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.problem(line, f"byte 0x{data[error.start]:02x} is not UTF-8 (save the file as UTF-8)")
            return None
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        if not text.strip():
            self.problem(1, "the file is empty (expected content)")
            return None
        self.lines = text.split("\n")
        return text

    def note_references(self, text: str, first_line: int) -> None:
        """Keep the cross-references in a text that starts at a line, each at the line that writes it."""
        line = first_line
        for target in written_targets(text):
            written = f"page:{target}"
            line = next((n for n in range(line, len(self.lines) + 1) if written in self.lines[n - 1]), line)
            self.references.append(Reference(self.shown, line, target))

    def parse_yaml(self, text: str, first_line: int = 1) -> Node | None:
        """Parse YAML text into a node tree, or record the syntax error."""
        self.offset = first_line - 1
        try:
            if not self._plain_events(text):
                return None
            node = yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            self.problem(
                (mark.line + 1 if mark else 1) + self.offset, f"YAML syntax: {error.problem} (expected valid YAML)"
            )
            return None
        except yaml.YAMLError as error:
            self.problem(first_line, f"YAML syntax: {error} (expected valid YAML)")
            return None
        if node is None:
            self.problem(first_line, "the file has no content (expected a mapping of keys)")
            return None
        return node

    def _plain_events(self, text: str) -> bool:
        """Check YAML before it is composed: no anchors or aliases, nesting no deeper than MAX_DEPTH."""
        depth = 0
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 + self.offset if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                self.problem(line, "anchors and aliases (& and *) are not allowed (write the value out)")
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    self.problem(line, f"the YAML nests deeper than {MAX_DEPTH} levels (expected a workbook's shape)")
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return True

    def read_yaml(self) -> Node | None:
        """Read the whole file as YAML."""
        text = self.read_text_file()
        return None if text is None else self.parse_yaml(text)

    def mapping(
        self, node: Node, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        """Return a mapping's values by key; record missing, unknown and duplicate keys."""
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what} should be a mapping of keys (expected {', '.join(required + optional)})")
            return None
        allowed = required + optional
        values: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != STR_TAG:
                self.problem(key_node, f"a key in {what} is not a name (expected one of: {', '.join(allowed)})")
            elif key in values:
                self.problem(key_node, f"duplicate key '{key}' in {what} (expected each key once)")
            elif key not in allowed:
                self.problem(key_node, f"unknown key '{key}' in {what}{_suggest(key, allowed)}")
            else:
                values[key] = value_node
        for key in required:
            if key not in values:
                self.problem(node, f"missing key '{key}' in {what} (expected {', '.join(required)})")
        return values

    def text(self, node: Node, what: str) -> str | None:
        """Return a text value; record a value YAML read as something else."""
        if isinstance(node, ScalarNode) and node.tag == STR_TAG:
            value = str(node.value).strip()
            for message in refused_links(value):
                self.problem(node, f"{what}: {message}")
            self.note_references(value, node.start_mark.line + 1 + self.offset)
            if value:
                return value
            self.problem(node, f"{what} is empty (expected text)")
            return None
        if isinstance(node, ScalarNode) and node.tag in TAG_NAMES:
            if node.tag.endswith(":null"):
                self.problem(node, f"{what} is empty (expected text)")
            else:
                read_as = TAG_NAMES[node.tag]
                self.problem(node, f"{what} '{node.value}' is read as {read_as}, not text (put it in quotes)")
            return None
        self.problem(node, f"{what} should be text (expected a single value, not a list or mapping)")
        return None

    def integer(self, node: Node, what: str, low: int, high: int) -> int | None:
        """Return a whole number in low..high, or record what is wrong."""
        if isinstance(node, ScalarNode) and node.tag == INT_TAG:
            try:
                value = int(str(node.value), 10)
            except ValueError:
                value = None
            if value is not None and low <= value <= high:
                return value
        self.problem(node, f"{what} '{_shown(node)}' is out of range (expected a whole number from {low} to {high})")
        return None

    def sequence(self, node: Node, what: str) -> list[Node]:
        """Return a list's items, or record that it is not a list."""
        if isinstance(node, SequenceNode):
            if not node.value:
                self.problem(node, f"{what} is an empty list (expected at least one entry)")
            return list(node.value)
        self.problem(node, f"{what} should be a list (expected entries starting with '- ')")
        return []

    def texts(self, node: Node, what: str) -> list[str]:
        """Return a list of text values."""
        values = (self.text(item, f"an entry of {what}") for item in self.sequence(node, what))
        return [value for value in values if value is not None]

    def ident(self, node: Node, what: str) -> str | None:
        """Return an id: lower-case letters, digits and hyphens."""
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(node, f"{what} '{value}' is not a valid id (expected lower-case letters, digits and hyphens)")
            return None
        return value

    def idents(self, node: Node, what: str) -> list[tuple[str, Node]]:
        """Return a list of ids, each with its node for later reference checks."""
        found = []
        for item in self.sequence(node, what):
            value = self.ident(item, f"an entry of {what}")
            if value is not None:
                found.append((value, item))
        return found


def _suggest(key: str, allowed: tuple[str, ...]) -> str:
    """Say which known key a mistyped one was probably meant to be."""
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (expected one of: {', '.join(allowed)})"


def _shown(node: Node) -> str:
    """Show a node's value briefly in a message."""
    return str(node.value) if isinstance(node, ScalarNode) else "a list or mapping"


def split_front_matter(source: Source, text: str) -> tuple[Node | None, str, int]:
    """Split a Markdown page into its YAML header node, body and the body's first line."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        source.problem(1, "the page has no header (expected '---', a 'title:' line, then '---')")
        return None, text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            header = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            if not header.strip():
                source.problem(1, "the page header is empty (expected a 'title:' line)")
                return None, body, index + 2
            return source.parse_yaml(header, first_line=2), body, index + 2
    source.problem(1, "the page header is not closed (expected a line '---' after it)")
    return None, text, 1


def find_line(root: Path, needle: str) -> tuple[str, int] | None:
    """Return the first content file and line that holds a text, to point a message at it."""
    for path in sorted((root / "content").rglob("*")):
        if path.suffix in (".yaml", ".md") and unreadable(path, root) is None:
            for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), start=1):
                if needle in line:
                    return shown_path(path, root), number
    return None
