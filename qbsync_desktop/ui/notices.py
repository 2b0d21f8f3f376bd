"""What a finished sync says on the desktop, outside the window: a notification when it needs
the bookkeeper (items to review, a sign-in to renew, a failure), none when all went well.

Plain Python, no Qt: the decision is tested without a system tray. The words go through the
`translate` the caller passes (the ui's, in the window); lupdate finds them in the literal
`translate(` calls below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..sync.types import RunResult


def untranslated(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """The English as written: what a notice says where no translation is loaded."""
    return text.replace("%n", str(n)) if n >= 0 else text


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    # Clicking the notification opens the Review tab (else just the window).
    opens_review: bool = False


def run_notice(
    result: RunResult | None,
    entity: str,
    *,
    to_review: int | None = None,
    reason: str = "",
    translate: Callable[..., str] = untranslated,
) -> Notice | None:
    """The notification for a run of `entity` that ended as `result`, or None.

    `result` None: the run stopped with an error before it could report (`reason` says why).
    `to_review`: the connection's open review items now, so the count matches the Review tab;
    only said when this run held something back. `reason`: the failure in plain words."""
    if result is None or result.status == "failed":
        why = first_sentence(reason or (result.message if result else "")) or translate(
            "Notices", "it stopped early."
        )
        return Notice(
            translate("Notices", "The sync failed"),
            translate(
                "Notices",
                "The sync of {entity} failed: {why} Nothing was lost: what was not done is tried "
                "again on the next sync.",
            ).format(entity=entity, why=why),
        )
    if result.status == "reconnect_needed":
        return Notice(
            translate("Notices", "QuickBooks needs reconnecting"),
            translate(
                "Notices",
                "QuickBooks no longer accepts the sign-in saved for {entity}. Open QBSync and "
                "click Reconnect…; nothing synced so far is lost.",
            ).format(entity=entity),
        )
    if not (result.held or result.status == "review"):
        return None  # ok, or cancelled by the bookkeeper: nothing to say
    count = result.held + result.totals_differ if to_review is None else to_review
    if not count:
        return None  # resolved already (another window, the command line)
    # Two messages, not one %n message: without Qt (tests) no plural form would be chosen.
    if count == 1:
        return Notice(
            translate("Notices", "1 item needs your review"),
            translate(
                "Notices", "The sync of {entity} held it back. Click to see it in the Review tab."
            ).format(entity=entity),
            opens_review=True,
        )
    return Notice(
        translate("Notices", "{count} items need your review").format(count=count),
        translate(
            "Notices", "The sync of {entity} held them back. Click to see them in the Review tab."
        ).format(entity=entity),
        opens_review=True,
    )


def first_sentence(text: str) -> str:
    """A notification has room for little: the first line of `text`, ending in a full stop."""
    lines = (text or "").strip().splitlines()
    line = lines[0].strip() if lines else ""
    if line and line[-1] not in ".!?…":
        line += "."
    return line
