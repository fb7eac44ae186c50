"""Problems: content mistakes as data, each with the file, line and field it is about and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    hint: str
    is_warning: bool = False

    def __str__(self) -> str:
        label = "warning: " if self.is_warning else ""
        return f"{self.file}:{self.line}: {label}{self.field}: {self.message} — {self.hint}"


@dataclass
class Problems:
    """Collects every problem found, so an editor sees them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, field_name: str, message: str, hint: str) -> None:
        self.items.append(Problem(file, line, field_name, message, hint))

    def warn(self, file: str, line: int, field_name: str, message: str, hint: str) -> None:
        self.items.append(Problem(file, line, field_name, message, hint, is_warning=True))

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if not p.is_warning)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.is_warning)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors, self.warnings)


class ContentError(Exception):
    """Carries the content problems from any stage to the command, which prints them."""

    def __init__(self, errors: list[Problem], warnings: list[Problem] | None = None):
        self.errors = errors
        self.warnings = warnings or []
        super().__init__("\n".join(str(p) for p in errors))
