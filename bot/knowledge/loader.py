"""Read ``knowledge/*.yaml`` into validated models, reporting every problem as ``file:line``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

__all__ = ["Document", "Problem", "load_document"]

# libyaml's parser when PyYAML was built with it (several times faster); marks keep line numbers.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the knowledge, where an editor can find it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(slots=True)
class Document:
    """One parsed YAML file: its data, and the line where each path inside it starts."""

    path: Path
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.path)

    def line_of(self, loc: Iterable[str | int]) -> int:
        """The line of the deepest part of ``loc`` that exists in the file (1 if none)."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        found = Problem(self.name, self.line_of(loc), message)
        self.problems.append(found)
        return found

    def parse(self, model: type[M]) -> M | None:
        """Validate the data against ``model``; on failure record each error and return None."""
        if self.problems:
            return None
        try:
            return model.model_validate(self.data)
        except ValidationError as error:
            for detail in error.errors():
                loc = tuple(detail["loc"])
                self.problem(loc, _describe(loc, detail))
            return None


def _describe(loc: Loc, detail: Any) -> str:
    where = ".".join(str(part) for part in loc) or "file"
    kind = detail["type"]
    if kind == "missing":
        return f"missing required field '{where}'"
    if kind == "extra_forbidden":
        return f"unknown key '{where}'"
    if kind == "literal_error" and loc[-1:] == ("[key]",) and "facets" in loc:
        return f"unknown facet '{loc[-2]}': {detail['msg'].lower()}"
    return f"{where}: {detail['msg']}"


def _index_lines(node: yaml.Node, loc: Loc, doc: Document) -> None:
    """Record the line of every path in the node tree, and flag duplicate mapping keys."""
    doc.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                doc.problems.append(Problem(doc.name, line, f"duplicate key '{key}'"))
            seen.add(key)
            doc.lines[(*loc, key)] = line
            _index_lines(value_node, (*loc, key), doc)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), doc)


def load_document(path: Path) -> Document:
    """Parse one YAML file, keeping line numbers; syntax errors become problems, not exceptions."""
    doc = Document(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        doc.problem((), f"cannot read file: {error}")
        return doc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            doc.problem((), "file is empty")
            return doc
        _index_lines(node, (), doc)
        doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "invalid YAML"
        doc.problems.append(Problem(doc.name, line, f"YAML syntax error: {reason}"))
    except yaml.YAMLError as error:
        doc.problem((), f"YAML error: {error}")
    finally:
        loader.dispose()
    return doc
