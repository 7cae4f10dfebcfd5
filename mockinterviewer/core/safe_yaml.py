"""YAML from files a user was given, read within bounds: a bank is hostile until checked.

PyYAML's composer recurses once per nesting level (libyaml's C composer too: 100,000 nested
``[`` crash the process), shares aliased nodes so that "billion laughs" and recursive aliases
explode or loop in whatever walks the tree, and keeps the last of two equal keys silently. So
the document is built here from the parser's event stream, which is flat, and every bound is
checked as the events arrive, before anything large is made:

- the file: a regular file (never a pipe or a device, which would block) of at most MAX_BYTES;
- nesting depth at most MAX_DEPTH;
- at most MAX_VALUES values, each alias counted as a copy of what it repeats, so that aliases
  cannot multiply the work of whatever walks the tree; no alias inside the value it names;
- each scalar at most MAX_SCALAR_CHARS characters, with no lone surrogate (``"\\ud800"``).

Mappings and lists come back as ``Located`` and ``LocatedList``, which know their line
numbers (1-based). docs/question-bank.md lists the limits.
"""

from __future__ import annotations

import os
import re
import stat
import types

import yaml

MAX_BYTES = 32 * 1024 * 1024      # a 10,000-question bank is about 11.5 MB
MAX_DEPTH = 20                    # a bank nests 6 deep
MAX_VALUES = 4_000_000            # each alias counted as a copy; 10,000 questions: about 800,000
MAX_SCALAR_CHARS = 100_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster
_STR = "tag:yaml.org,2002:str"
_SURROGATE = re.compile("[\ud800-\udfff]")


class Refused(ValueError):
    """A file or document past a bound; ``reason`` is a sentence fragment, ``line`` 1-based or None."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


class Located(dict):
    """A mapping that knows the line it starts on and the line of each key."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    def __init__(self, line: int):
        super().__init__()
        self.line = line


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_file(path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Opened without blocking and checked before reading: a FIFO would wait for a writer forever,
    a device never ends. Raises Refused with the reason, or the OSError of a file that cannot
    be opened (IsADirectoryError for a folder).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb", buffering=0) as file:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file (a pipe, socket or device), so it was not read")
        if info.st_size > limit:
            raise Refused(f"is {_megabytes(info.st_size)}; a bank may be at most {_megabytes(limit)}")
        chunks, size = [], 0
        while chunk := file.read(min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew while being read
                raise Refused(f"is over {_megabytes(limit)}; a bank may be at most {_megabytes(limit)}")
        return b"".join(chunks)


def load(text: str) -> tuple[object, list[tuple[str, int]]]:
    """The single document in ``text`` as plain values, and its duplicate keys as (problem, line).

    Raises Refused past a bound, yaml.YAMLError for a syntax error.
    """
    resolve = yaml.resolver.Resolver().resolve
    constructor = yaml.constructor.SafeConstructor()
    constructors = constructor.yaml_constructors
    duplicates: list[tuple[str, int]] = []
    anchors: dict[str, tuple[object, int]] = {}  # anchor -> (value, values it holds, itself included)
    open_anchors: set[str] = set()
    # One frame per open collection: [container, anchor, awaiting a key?, the key, its line, values].
    stack: list[list] = []
    root, documents, values, alias_values = None, 0, 0, 0

    def add(value, size: int, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        frame[5] += size
        container = frame[0]
        if isinstance(container, LocatedList):
            container.append(value)
        elif frame[2]:  # a key
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                value = str(value)
            frame[2], frame[3], frame[4] = False, value, line
        else:
            key = frame[3]
            if key in container:
                duplicates.append((f"the key {key!r} appears twice in one mapping (first on line "
                                   f"{container.key_lines[key]})", frame[4]))
            else:
                container.key_lines[key] = frame[4]
            container[key] = value
            frame[2] = True

    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.ScalarEvent):
            values += 1
            value = event.value
            if len(value) > MAX_SCALAR_CHARS:
                raise Refused(f"a value is {len(value):,} characters long; at most {MAX_SCALAR_CHARS:,} are allowed", line)
            if _SURROGATE.search(value):
                raise Refused("a value holds an invalid character (a lone surrogate, such as \"\\ud800\")", line)
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(yaml.ScalarNode, value, event.implicit)
            if tag != _STR:
                make = constructors.get(tag, constructors.get(None))
                value = make(constructor, yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style))
                if isinstance(value, types.GeneratorType):  # a collection's tag (!!map) on a scalar
                    raise Refused(f"YAML error: the tag {tag} cannot be given to a plain value", line)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            add(value, 1, line)
        elif isinstance(event, yaml.CollectionStartEvent):
            values += 1
            if len(stack) >= MAX_DEPTH:
                raise Refused(f"the values nest more than {MAX_DEPTH} deep", line)
            is_map = isinstance(event, yaml.MappingStartEvent)
            container = Located(line) if is_map else LocatedList(line)
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            stack.append([container, event.anchor, is_map, None, line, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            container, anchor, _awaiting, _key, _line, size = stack.pop()
            if anchor is not None:
                open_anchors.discard(anchor)
                anchors[anchor] = (container, size)
            add(container, size, container.line)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise Refused(f"the alias *{event.anchor} refers to a value that contains it", line)
            if event.anchor not in anchors:
                raise Refused(f"YAML syntax error: found undefined alias {event.anchor!r}", line)
            value, size = anchors[event.anchor]
            alias_values += size
            add(value, size, line)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise Refused("YAML syntax error: expected a single document in the stream, found a second", line)
        if values + alias_values > MAX_VALUES:
            why = ", counting what each alias repeats (a \"billion laughs\" file?)" if alias_values else ""
            raise Refused(f"there are more than {MAX_VALUES:,} values{why}", line)
    return root, duplicates
