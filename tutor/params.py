"""Typed scene parameters: parsed from lesson text, nudged by keys, shown on screen.

No NumPy and no Textual here, so `tutor check` validates lessons cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["int", "float", "text", "bool", "choice"]
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


class ParamError(ValueError):
    """A parameter value that does not fit its declaration."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    default: Any
    label: str = ""
    min: float | None = None
    max: float | None = None
    step: float = 1
    choices: tuple[str, ...] = ()
    max_length: int = 300

    def parse(self, raw: str) -> Any:
        """A value from its text form (lesson files, typed input)."""
        text = raw.strip()
        if self.kind == "text":
            return self.check(raw)
        if self.kind == "bool":
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ParamError(f"{self.name}: expected true or false, got {text!r}")
        if self.kind == "choice":
            return self.check(text)
        try:
            value = int(text) if self.kind == "int" else float(text)
        except ValueError:
            raise ParamError(f"{self.name}: expected {'a whole number' if self.kind == 'int' else 'a number'}, got {text!r}") from None
        return self.check(value)

    def check(self, value: Any) -> Any:
        if self.kind == "text":
            if len(value) > self.max_length:
                raise ParamError(f"{self.name}: at most {self.max_length} characters (got {len(value)})")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ParamError(f"{self.name}: expected one of {', '.join(self.choices)}, got {value!r}")
            return value
        if self.kind in ("int", "float"):
            try:
                finite = abs(float(value)) != float("inf")   # NaN fails below
            except OverflowError:   # a whole number too large for a float (310 digits)
                finite = False
            if not finite or value != value:
                raise ParamError(f"{self.name}: expected a finite number, got {_brief(value)}")
            if self.min is not None and value < self.min or self.max is not None and value > self.max:
                raise ParamError(f"{self.name}: must lie between {self.min:g} and {self.max:g}, got {_brief(value)}")
        return value

    def nudge(self, value: Any, direction: int) -> Any:
        """The next value up (+1) or down (-1), clamped to the range."""
        if self.kind == "bool":
            return not value
        if self.kind == "choice":
            i = self.choices.index(value) if value in self.choices else 0
            return self.choices[(i + direction) % len(self.choices)]
        if self.kind in ("int", "float"):
            new = value + direction * self.step
            new = round(new, 10) if self.kind == "float" else int(new)
            lo = self.min if self.min is not None else new
            hi = self.max if self.max is not None else new
            return type(value)(min(max(new, lo), hi))
        return value

    def show(self, value: Any) -> str:
        if self.kind == "bool":
            return "on" if value else "off"
        if self.kind == "float":
            return f"{value:g}"
        return str(value)

    @property
    def adjustable(self) -> bool:
        return self.kind != "text"


def _brief(value: Any) -> str:
    """A number for an error message: never formatted as a float (a huge int cannot be), never long."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 24 else f"{text[:10]}... ({len(text)} digits)"


def describe(param: Param) -> str:
    """One line for `tutor show --list` and the README."""
    if param.kind in ("int", "float"):
        span = f" {param.min:g}..{param.max:g}" if param.min is not None else ""
        return f"{param.name}: {param.kind}{span} (default {param.default})"
    if param.kind == "choice":
        return f"{param.name}: one of {'|'.join(param.choices)} (default {param.default})"
    return f"{param.name}: {param.kind} (default {param.default!r})"
