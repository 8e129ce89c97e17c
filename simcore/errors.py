"""The one error type that loading, validating and building a circuit raise."""
from __future__ import annotations

import re


class CircuitError(ValueError):
    """A circuit file or description is not acceptable.

    ``path`` is a JSON path into the file (``$.regions[1].size``), ``reason`` says what is wrong,
    ``source`` names the file when there is one. ``str(err)`` is the one-line message users see.
    """

    def __init__(self, path: str, reason: str, source: str | None = None):
        self.path = path or "$"
        self.reason = reason
        self.source = source
        super().__init__(self.message())

    def message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.path}: {self.reason}"

    def with_source(self, source: str) -> "CircuitError":
        return CircuitError(self.path, self.reason, source)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def join_path(base: str, key: "str | int") -> str:
    """Extend a JSON path by an object key or array index, as jsonschema writes them:
    ``$.regions[0]``, ``$.layout.E``, ``$.layout['E 1']``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if _IDENT.match(key):
        return f"{base}.{key}"
    return f"{base}[{key!r}]"
