"""Jobs the operating system runs for us while the app is closed: a scheduled `qbsync sync`
(systemd user timer, launchd agent, Task Scheduler task) and starting the app in the tray at
login. No Qt here: the command line and the window share it.

definitions: the text of each platform's definition (pure). install: plans, the runner, and
each platform's steps. facade: OsJobs, what the callers use.
"""

from __future__ import annotations

from .definitions import FREQUENCIES, Command
from .facade import OsJobs
from .install import JobStatus, OsJobError, Plan

__all__ = ["FREQUENCIES", "Command", "JobStatus", "OsJobError", "OsJobs", "Plan"]
