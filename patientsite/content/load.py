"""Load: content files → raw documents whose every value remembers the line it came from.

Nothing here judges what the content says; that is validate's job. Load only turns bytes into values, and
turns unreadable bytes (bad UTF-8, broken YAML, YAML tricks we refuse) into problems with a line number.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from patientsite.problems import Problems

MAX_FILE_BYTES = 200_000  # ten times the largest page of the guide; Markdown's time grows faster than size
MAX_NESTING = 40
CONTENT_SUFFIXES = (".yaml", ".yml", ".md")
# Characters no text needs: control characters (tab and line ends aside), which YAML refuses, and the line
# separators U+0085, U+2028 and U+2029, which YAML counts as line ends, so its line numbers would be wrong.
INVISIBLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class YamlMap(dict):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.value_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def text_line_of(self, key: str) -> int:
        """The line where a value's text starts: for a '|' or '>' block, the line after the key."""
        return self.value_lines.get(key, self.line_of(key))


class YamlList(list):
    """A YAML sequence that remembers the line of itself and of each item."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class YamlDocument:
    file: str
    data: object


@dataclass(frozen=True)
class MarkdownDocument:
    file: str
    meta: YamlMap
    body: str
    body_line: int  # the file line on which the body's first line stands


Document = YamlDocument | MarkdownDocument


@dataclass(frozen=True)
class LoadedContent:
    documents: dict[str, Document]  # keyed by path relative to content/, e.g. 'leucopenia/causes.md'
    unreadable: frozenset[str]  # keys of files that exist but could not be read (their problems are reported)

    def failed_folders(self) -> frozenset[str]:
        return frozenset(key.rpartition("/")[0] for key in self.unreadable)


def load_content(content_dir: Path, project_dir: Path, problems: Problems) -> LoadedContent:
    """Every content file under content_dir, read into values that remember their lines."""
    documents: dict[str, Document] = {}
    unreadable: set[str] = set()
    for path in sorted(content_dir.rglob("*")):
        if _is_hidden(path, content_dir) or not (path.is_symlink() or path.suffix in CONTENT_SUFFIXES):
            continue
        key = path.relative_to(content_dir).as_posix()
        if path.is_symlink():  # a linked file or folder could bring any file of the machine into the site
            problems.add(
                _display_name(path, project_dir),
                1,
                "file",
                "is a symbolic link",
                "replace the link with the file or folder itself",
            )
            unreadable.add(key)
            continue
        if not path.is_file():
            continue
        document = load_file(path, _display_name(path, project_dir), problems)
        if document is None:
            unreadable.add(key)
        else:
            documents[key] = document
    return LoadedContent(documents, frozenset(unreadable))


def load_file(path: Path, display_name: str, problems: Problems) -> Document | None:
    text = read_text(path, display_name, problems)
    if text is None:
        return None
    if path.suffix == ".md":
        return parse_markdown(text, display_name, problems)
    data = parse_yaml(text, display_name, problems)
    return None if data is None else YamlDocument(display_name, data)


def read_text(path: Path, display_name: str, problems: Problems) -> str | None:
    if path.is_symlink():
        problems.add(display_name, 1, "file", "is a symbolic link", "replace the link with the file itself")
        return None
    try:
        raw = _read_bytes(path)
    except OSError as error:
        problems.add(
            display_name,
            1,
            "file",
            f"cannot be read: {error.strerror or error}",
            "check that the file exists and that you may read it",
        )
        return None
    if raw is None:
        problems.add(
            display_name,
            1,
            "file",
            f"is larger than the limit of {MAX_FILE_BYTES:,} bytes",
            "split it into smaller pages",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(
            display_name,
            line,
            "file",
            "is not valid UTF-8 text (a byte that no character uses)",
            "save the file as UTF-8 in your editor, and retype any odd characters on this line",
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    invisible = INVISIBLE.search(text)
    if invisible:
        problems.add(
            display_name,
            text.count("\n", 0, invisible.start()) + 1,
            "text",
            f"contains an invisible character (U+{ord(invisible.group()):04X})",
            "delete it: retype the words around it (it often comes with text copied from another program)",
        )
        return None
    return text


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it is larger than MAX_FILE_BYTES (found without reading it all)."""
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    return None if len(raw) > MAX_FILE_BYTES else raw


def parse_markdown(text: str, display_name: str, problems: Problems) -> MarkdownDocument | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(
            display_name,
            1,
            "front matter",
            "the file does not start with front matter",
            "start the file with a line '---', then title, summary and updated, then another '---'",
        )
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        problems.add(
            display_name,
            1,
            "front matter",
            "the front matter is never closed",
            "add a line '---' after the last front-matter field",
        )
        return None
    meta = parse_yaml("\n".join(lines[1:closing]), display_name, problems, first_line=2)
    if meta is None:
        return None
    if not isinstance(meta, YamlMap):
        problems.add(
            display_name,
            2,
            "front matter",
            "the front matter is not a list of 'field: value' lines",
            "write each field as 'name: value' on its own line",
        )
        return None
    body = "\n".join(lines[closing + 1 :])
    return MarkdownDocument(display_name, meta, body, closing + 2)


def parse_yaml(text: str, display_name: str, problems: Problems, first_line: int = 1) -> object | None:
    """YAML text → values (YamlMap, YamlList, scalars) with lines, or None after adding a problem."""
    node = _compose_quickly(text)
    if node is _UNSURE:
        node = _compose_precisely(text, display_name, problems, first_line)
        if node is _UNSURE:
            return None  # unreadable: the problem is added
    if node is None:
        problems.add(display_name, first_line, "file", "is empty", "fill in the fields this file needs")
        return None
    converter = _NodeConverter(display_name, first_line, problems)
    value = converter.convert(node, depth=0)
    if value is None and not converter.failed:  # '---', '~' or 'null' alone: a document of nothing
        problems.add(display_name, first_line, "file", "is empty", "fill in the fields this file needs")
    return None if converter.failed else value


_UNSURE = object()  # what _compose_quickly gives when only the pure-Python loader can tell


# What libyaml reads and PyYAML refuses, or reads otherwise: a tab anywhere, a byte-order mark inside the
# text, a comment straight after a block scalar's '|' or '>', anything that may be a tag ('!' starting a
# word); and a '?' inside [ ] or { }, which PyYAML takes for the end of a word (_FLOW finds brackets).
_READ_DIFFERENTLY = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#|(?:^|[\s,\[\]{}:-])!")
_FLOW = re.compile(r"[\[{]")


def _compose_quickly(text: str) -> yaml.Node | None | object:
    """The node tree as libyaml reads it (thirty times faster than PyYAML's own reader), or _UNSURE.

    The two readers disagree at the edges (see _READ_DIFFERENTLY), and libyaml words its errors its own way.
    So text at those edges, text libyaml cannot read, and a tree that is not plain (nested too deep, or with
    an alias) are left to _compose_precisely, whose problems are the ones editors see. Otherwise the tree is
    the one PyYAML makes, with the same marks, and the rest (what is refused, the lines) is the same code.
    """
    if (
        not _libyaml_limits_nesting()
        or _READ_DIFFERENTLY.search(text)
        or ("?" in text and _FLOW.search(text))
    ):
        return _UNSURE
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return _UNSURE
    finally:
        loader.dispose()
    return node if node is None or _plain_tree(node) else _UNSURE


def _compose_precisely(
    text: str, display_name: str, problems: Problems, first_line: int
) -> yaml.Node | None | object:
    """The node tree as PyYAML's pure-Python loader reads it, or _UNSURE after adding the problem it found."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except _TooDeep as error:
        problems.add(
            display_name,
            first_line + error.problem_mark.line,
            "nesting",
            f"is nested more than {MAX_NESTING} levels deep",
            _FLATTEN_HINT,
        )
    except yaml.MarkedYAMLError as error:
        _add_yaml_error(error, display_name, first_line, problems)
    except yaml.YAMLError as error:
        _add_unreadable(display_name, first_line, str(error).splitlines()[0], _YAML_HINT, problems)
    finally:
        loader.dispose()
    return _UNSURE


def _plain_tree(root: yaml.Node) -> bool:
    """Whether no node is more than MAX_NESTING levels below the root and none appears twice (an alias
    repeats a node, and may even hold itself): the two things PyYAML's loader words its own way."""
    seen = {id(root)}
    level, nodes = 0, [root]
    while nodes:
        children = [child for node in nodes for child in _children(node)]
        if children and level + 1 > MAX_NESTING:
            return False
        for child in children:
            if id(child) in seen:
                return False
            seen.add(id(child))
        level, nodes = level + 1, children
    return True


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


@functools.cache
def _libyaml_limits_nesting() -> bool:
    """Whether libyaml is here and refuses deep nesting itself (the one PyYAML's wheels carry stops at 1,000).

    Its reader calls itself once a level: without that limit, a file of 200,000 '[' would overflow the
    C stack, which no exception catches. An older libyaml (or none) leaves all reading to PyYAML.
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return False
    depth = 1_500
    try:
        yaml.compose("[" * depth + "]" * depth, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return True
    return False


class _TooDeep(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing deep nesting while it reads, before Python's own recursion limit is reached."""

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        self.depth += 1
        try:
            if self.depth > MAX_NESTING + 1:
                raise _TooDeep(problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_FLATTEN_HINT = "flatten the structure: no content field needs this many levels"
_QUOTE_HINT = (
    'text that starts with * & ! @ ` % [ { | > or a quote must be in quotes: put " before and after the '
    'whole text, e.g. - "**Bold** words"'
)
# What YAML says when a value starts with a character that means something to YAML (e.g. Markdown's **).
_QUOTE_CLUES = (
    "cannot start any token",
    "scanning an alias",
    "scanning an anchor",
    "scanning a block scalar",
    "but found '<scalar>'",
)
_YAML_HINT = (
    "check the indentation (spaces, not tabs), that every 'name:' has a space after the colon, "
    "and that text with a colon or # is in quotes"
)


def _add_yaml_error(
    error: yaml.MarkedYAMLError, display_name: str, first_line: int, problems: Problems
) -> None:
    # A simple key ('summary' with no ':') is found wanting only on a later line: the key's own line, where
    # the ':' is missing, is the one to fix. Elsewhere the problem's mark is where the reading stopped.
    key_missing_colon = error.context == "while scanning a simple key" and error.context_mark
    mark = error.context_mark if key_missing_colon else error.problem_mark or error.context_mark
    line = first_line + (mark.line if mark else 0)
    what = " ".join(part for part in (error.context, error.problem) if part)
    hint = _YAML_HINT
    if "\\t" in what or "\t" in what:
        hint = "replace the tab characters at the start of the line with spaces"
    elif any(clue in what for clue in _QUOTE_CLUES):
        hint = _QUOTE_HINT
    _add_unreadable(display_name, line, what, hint, problems)


def _add_unreadable(display_name: str, line: int, what: str, fix: str, problems: Problems) -> None:
    """A YAML mistake, told the editor's way first: what to do, then the reader's own words for what it found."""
    problems.add(display_name, line, "YAML", f"cannot be read: {fix}", f"the YAML reader says: {what}")


class _NodeConverter:
    """Turns a composed YAML node tree into values, refusing what editors never need and attackers love."""

    _MAP = "tag:yaml.org,2002:map"
    _SEQ = "tag:yaml.org,2002:seq"

    def __init__(self, display_name: str, first_line: int, problems: Problems):
        self.display_name = display_name
        self.first_line = first_line
        self.problems = problems
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()
        self.failed = False

    def convert(self, node: yaml.Node, depth: int) -> object:
        line = self._line(node)
        if depth > MAX_NESTING:
            return self._refuse(
                line, "nesting", f"is nested more than {MAX_NESTING} levels deep", _FLATTEN_HINT
            )
        if id(node) in self.seen:
            return self._refuse(
                line,
                "YAML",
                "uses an alias (*name) to repeat an anchored value",
                "write the value out in full instead of using & anchors and * aliases",
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._convert_mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._convert_sequence(node, depth)
        return self._convert_scalar(node)

    def _convert_mapping(self, node: yaml.MappingNode, depth: int) -> YamlMap | None:
        line = self._line(node)
        if node.tag != self._MAP:
            return self._refuse_tag(node)
        mapping = YamlMap(line)
        for key_node, value_node in node.value:
            refused = len(self.problems.items)
            key = self.convert(key_node, depth + 1)
            key_line = self._line(key_node)
            if len(self.problems.items) > refused:
                continue  # the key itself is refused (a tag, an invisible character): said once is enough
            if key == "<<":
                self._refuse(key_line, "YAML", "uses a merge key (<<)", "write the fields out in full")
                continue
            if not isinstance(key, str):
                self._refuse(
                    key_line,
                    "YAML",
                    f"a field name must be text, not {repr(key)[:60]}",
                    "put the field name in quotes or correct it",
                )
                continue
            if key in mapping:
                self._refuse(
                    key_line,
                    key,
                    f"appears twice (first on line {mapping.line_of(key)})",
                    "keep one of them and delete the other",
                )
                continue
            mapping[key] = self.convert(value_node, depth + 1)
            mapping.key_lines[key] = key_line
            block = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
            mapping.value_lines[key] = self._line(value_node) + (1 if block else 0)
        return mapping

    def _convert_sequence(self, node: yaml.SequenceNode, depth: int) -> YamlList | None:
        if node.tag != self._SEQ:
            return self._refuse_tag(node)
        sequence = YamlList(self._line(node))
        for item in node.value:
            sequence.append(self.convert(item, depth + 1))
            sequence.item_lines.append(self._line(item))
        return sequence

    def _convert_scalar(self, node: yaml.ScalarNode) -> object:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            return self._refuse_tag(node)
        except (ValueError, OverflowError):
            return node.value  # looks like a date or number but is none (2026-13-45): the fields say so
        invisible = INVISIBLE.search(value) if isinstance(value, str) else None
        if invisible:  # typed as an escape in quotes ("\0", "\x1b", "\ud800"): refused as if typed raw
            return self._refuse(
                self._line(node),
                "text",
                f"contains an invisible character (U+{ord(invisible.group()):04X}), "
                "written as an escape such as \\x1b or \\u2028 in quotes",
                "delete the escape: no text needs it",
            )
        return value

    def _refuse_tag(self, node: yaml.Node) -> None:
        return self._refuse(
            self._line(node),
            "YAML",
            f"uses the tag {node.tag[:80]!r}, which is not allowed",
            "remove the '!!…' or '!…' tag and write a plain value; text that starts with ! must be in quotes",
        )

    def _refuse(self, line: int, field_name: str, message: str, hint: str) -> None:
        self.failed = True
        self.problems.add(self.display_name, line, field_name, message, hint)

    def _line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line


def _display_name(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
