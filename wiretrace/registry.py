"""The shipped outlet registry: names, aliases and web domains of major outlets
and wire agencies (wiretrace/data/outlets.json; sources in data/SOURCES.md)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    agency: bool = False            # a wire agency (credited in datelines)
    aggregator: bool = False        # its pages carry other publishers' stories (MSN, Yahoo News)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    raw = json.loads(resources.files("wiretrace.data").joinpath("outlets.json").read_text("utf-8"))
    return tuple(Outlet(o["name"], tuple(o.get("aliases", ())), tuple(o.get("domains", ())),
                        bool(o.get("agency", False)), bool(o.get("aggregator", False))) for o in raw)


@lru_cache(maxsize=1)
def _by_domain() -> dict[str, Outlet]:
    return {d.lower(): o for o in outlets() for d in o.domains}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Outlet]:
    return {n.lower(): o for o in outlets() for n in o.names()}


def by_domain(host: str) -> Outlet | None:
    """The outlet whose domain is ``host`` or a parent of it (www.bbc.co.uk -> BBC)."""
    host = host.lower().split(":")[0].strip(".")
    parts = host.split(".")
    table = _by_domain()
    for i in range(len(parts) - 1):
        hit = table.get(".".join(parts[i:]))
        if hit:
            return hit
    return None


def by_name(name: str) -> Outlet | None:
    """The outlet called ``name`` (or one of its aliases), ignoring case, spacing
    and a leading "the" ("the Washington Post" -> The Washington Post)."""
    key = re.sub(r"\s+", " ", (name or "").strip()).lower()
    table = _by_name()
    hit = table.get(key)
    if hit is None and key.startswith("the "):
        hit = table.get(key[4:])
    if hit is None and key:
        hit = table.get("the " + key)
    return hit


def aliases_for(name: str | None) -> tuple[str, ...]:
    """Every way to write an outlet's name (the name itself, aliases, domains);
    just ``(name,)`` for an outlet the registry does not know."""
    if not name:
        return ()
    o = by_name(name)
    if o is None:
        return (name,)
    return (*o.names(), *o.domains)
