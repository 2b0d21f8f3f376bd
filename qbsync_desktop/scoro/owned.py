"""What the app owns of a Scoro object, and the `modify` body that changes only that.

As on the QuickBooks side (docs/owned-fields.md): the body our mapping makes of the wanted
record is compared with the body it makes of Scoro's current copy, and only keys whose values
differ are sent. Scoro keeps what a `modify` does not name, but replaces lists whole: lines,
e-mail addresses, phone numbers and addresses are rebuilt from Scoro's own copy, so a second
e-mail, a line's unit, second comment, discount or custom fields stay as they were.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

# Set when the object is made: a contact does not turn from company into person because a
# mapping on the other side guessed differently.
CREATE_ONLY = frozenset({"contact_type"})
# What a line carries that Scoro works out itself; stale once the owned fields change.
LINE_DERIVED = ("sum", "vat_sum", "vat")
ADDRESS_OWNED = ("street", "city", "zipcode", "county", "country")


def build_update(desired: Mapping, before: Mapping, raw: Mapping) -> dict[str, Any] | None:
    """The `modify` body, or None when nothing we own changed."""
    body: dict[str, Any] = {}
    for key in dict.fromkeys([*desired, *before]):
        if key in CREATE_ONLY:
            continue
        want, had = desired.get(key), before.get(key)
        if want == had:
            continue
        if key == "lines":
            body[key] = _lines(want or [], had or [], raw.get("lines"))
        elif key == "means_of_contact":
            body[key] = _means(want or {}, had or {}, raw.get(key))
        elif key == "addresses":
            body[key] = _addresses(want or [], raw.get(key))
        elif want is None:
            continue  # our mapping leaves it out: never a reason to clear Scoro's value
        else:
            body[key] = want
    return body or None


def _lines(desired: list, before: list, raw: object) -> list:
    kept = [dict(line) for line in raw] if isinstance(raw, list) else []
    out = []
    for index, want in enumerate(desired):
        base = kept[index] if index < len(kept) else None
        had = before[index] if index < len(before) else None
        if base is None:
            out.append(dict(want))
        elif want == had:
            out.append(copy.deepcopy(base))  # unchanged: exactly as Scoro has it
        else:
            line = {k: v for k, v in base.items() if k not in LINE_DERIVED}
            line.update(want)
            out.append(line)
    return out


def _means(desired: Mapping, before: Mapping, raw: Mapping | None) -> dict:
    """Our one e-mail and phone replace the first of Scoro's; the others stay."""
    out = {k: list(v) if isinstance(v, list) else v for k, v in (raw or {}).items()}
    for channel in dict.fromkeys([*desired, *before]):
        values = list(out.get(channel) or [])
        want = (desired.get(channel) or [None])[0]
        if want is None:
            values = values[1:]
        elif values:
            values[0] = want
        else:
            values = [want]
        out[channel] = values
    return out


def _addresses(desired: list, raw: object) -> list:
    kept = [dict(a) for a in raw] if isinstance(raw, list) else []
    if not desired:
        return kept
    first = dict(kept[0]) if kept else {}
    first.update({k: v for k, v in desired[0].items() if k in ADDRESS_OWNED})
    return [first, *kept[1:]]
