"""YAML with lines: text → values (YamlMap, YamlList, scalars) that remember the line they came from.

Refuses what editors never need and attackers love (tags, aliases, merge keys, deep nesting, invisible
characters written as escapes), each as a problem on its line.
"""

from __future__ import annotations

import functools
import re

import yaml

from patientsite.problems import Problems

MAX_NESTING = 40
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


def parse_yaml(text: str, display_name: str, problems: Problems, first_line: int = 1) -> object | None:
    """YAML text → values (YamlMap, YamlList, scalars) with lines, or None after adding a problem."""
    node = _compose(text, display_name, problems, first_line)
    if node is _UNREADABLE:
        return None
    if node is None:
        problems.add(display_name, first_line, "file", "is empty", "fill in the fields this file needs")
        return None
    converter = _NodeConverter(display_name, first_line, problems)
    value = converter.convert(node, depth=0)
    if value is None and not converter.failed:  # '---', '~' or 'null' alone: a document of nothing
        problems.add(display_name, first_line, "file", "is empty", "fill in the fields this file needs")
    return None if converter.failed else value


_UNREADABLE = object()  # what _compose gives after adding the problem it found


def _compose(text: str, display_name: str, problems: Problems, first_line: int) -> yaml.Node | None | object:
    """The node tree of ``text`` as libyaml reads it, or _UNREADABLE after adding the problem.

    libyaml (yaml.CSafeLoader) reads every file: thirty times faster than PyYAML's own reader, and closer to
    the YAML specification where the two differ (a tab between words, a comment straight after '|', a '?'
    inside [ ]: libyaml reads them as an editor means them; tests/test_yaml_reading.py). Where libyaml is
    absent, or would not stop at deep nesting, PyYAML's own reader (yaml.SafeLoader) reads instead.
    A text libyaml refuses is given to PyYAML's reader, for its words: they say which character is wrong,
    and are the ones the editing guide shows. (It reads an escape such as "\\ud800" that libyaml refuses;
    the value is then refused with the character named.)
    """
    if not _libyaml_limits_nesting():
        return _compose_with(_Loader, text, display_name, problems, first_line)
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return _compose_with(_Loader, text, display_name, problems, first_line)


def _compose_with(
    reader: type, text: str, display_name: str, problems: Problems, first_line: int
) -> yaml.Node | None | object:
    try:
        return yaml.compose(text, Loader=reader)
    except yaml.YAMLError as error:
        _add_reading_problem(error, display_name, first_line, problems)
        return _UNREADABLE


def _add_reading_problem(
    error: yaml.YAMLError, display_name: str, first_line: int, problems: Problems
) -> None:
    if isinstance(error, _TooDeep):
        problems.add(
            display_name,
            first_line + error.problem_mark.line,
            "nesting",
            f"is nested more than {MAX_NESTING} levels deep",
            _FLATTEN_HINT,
        )
    elif isinstance(error, yaml.MarkedYAMLError):
        _add_yaml_error(error, display_name, first_line, problems)
    else:
        _add_unreadable(display_name, first_line, str(error).splitlines()[0], _YAML_HINT, problems)


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
    """The safe loader, refusing deep nesting while it reads, before Python's recursion limit is reached."""

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
    """A YAML mistake, told the editor's way first: what to do, then the reader's words for what it found."""
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
