"""``Record``: a dataclass written to its contract shape field by field.

``to_dict`` gives each field under its name, in field order (``SORTED``: in
alphabetical order, the order of what the per-document stage stores), records
inside as dicts; a field in ``OPTIONAL`` is left out while it is None, and a
field named ``extra`` (a dict) is written after the others, key by key: the
extension keys of open-ended evidence.  ``from_dict`` reads that shape back
(``NESTED`` names the fields that hold a record or a list of records; a key
that is missing takes the field's default, or None).
"""
from __future__ import annotations

from dataclasses import MISSING, fields
from typing import ClassVar


class Record:
    __slots__ = ()        # subclasses made with ``dataclass(slots=True)`` then carry no __dict__
    NESTED: ClassVar[dict[str, type]] = {}
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()
    SORTED: ClassVar[bool] = False

    def to_dict(self) -> dict:
        d: dict = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "extra" or (v is None and f.name in self.OPTIONAL):
                continue
            d[f.name] = _plain(v)
        if self.SORTED:
            d = dict(sorted(d.items()))
        d.update(getattr(self, "extra", None) or {})
        return d

    @classmethod
    def from_dict(cls, d: dict):
        kw: dict = {}
        names = {f.name for f in fields(cls)}
        for f in fields(cls):
            if f.name == "extra":
                kw["extra"] = {k: v for k, v in d.items() if k not in names}
            elif f.name in d:
                kw[f.name] = _read(cls.NESTED.get(f.name), d[f.name])
            elif f.default is MISSING and f.default_factory is MISSING:
                kw[f.name] = None
        return cls(**kw)


def from_optional(kind: type, d: dict | None):
    """``kind.from_dict(d)``, or None for a null."""
    return None if d is None else kind.from_dict(d)


def _plain(v):
    if hasattr(v, "to_dict"):               # a record, or a model object with its own shape
        return v.to_dict()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _read(kind: type | None, v):
    if kind is None or v is None:
        return list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v
    return [kind.from_dict(x) for x in v] if isinstance(v, list) else kind.from_dict(v)
