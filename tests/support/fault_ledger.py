"""Which requests the in-process sandboxes hit with a fault, counted as the client sees them."""

from __future__ import annotations

import collections
import threading

from qbsync_desktop.demo import DemoEnvironment


class FaultLedger:
    """Which requests the in-process sandboxes hit with a fault, one entry per request.

    A request may draw two faults at once (e.g. slow and 429): the client sees one failure,
    so failures are counted per request, by the fault the client actually experiences."""

    def __init__(self, env: DemoEnvironment, *, client_timeout: float) -> None:
        self.qbo: collections.Counter = collections.Counter()
        self.scoro: collections.Counter = collections.Counter()
        self._lock = threading.Lock()
        qf, sf = env.qbo.faults, env.scoro.faults
        orig_fire, orig_draw = qf.fire, sf.draw

        def fire(method, path, realm_id):
            rules = orig_fire(method, path, realm_id)
            types = {r.type for r in rules}
            slow = any(r.type == "slow" and r.seconds > client_timeout for r in rules)
            seen = None
            if slow:
                seen = "timeout"
            elif types & {"throttle", "system_error", "drop_after_commit", "drop_before_commit"}:
                seen = sorted(types - {"xml_bodies", "slow"})[0]
            if seen:
                with self._lock:
                    self.qbo[seen] += 1
            return rules

        def draw(module, action):
            fired = orig_draw(module, action)
            seen = None
            if "slow" in fired and fired["slow"].seconds > client_timeout:
                seen = "timeout"
            elif "429" in fired:
                seen = "429"
            elif "5xx" in fired and fired["5xx"].phase == "before":
                seen = "5xx"
            elif "drop" in fired:
                seen = "drop"
            elif "5xx" in fired:
                seen = "5xx"
            if seen:
                with self._lock:
                    self.scoro[seen] += 1
            return fired

        qf.fire = fire
        sf.draw = draw
