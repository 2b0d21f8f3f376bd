"""Where qbsync keeps its database, logs and settings.

One override (a command-line option, or `QBSYNC_DATA_DIR` for tests and demo mode) moves
everything into one folder, so a demo or a test never touches the user's real files
(Vorta's development-directory switch). Without it the platform's usual folders are used.
Every directory created here is private to the user (0700): it holds the sync database and
logs, which name customers and amounts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "qbsync-desktop"
ENV_DATA_DIR = "QBSYNC_DATA_DIR"
DB_FILE_NAME = "qbsync.sqlite3"

PathLike = str | os.PathLike[str]


def _override_root(override: PathLike | None) -> Path | None:
    if override is not None and str(override) != "":
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    return Path(env).expanduser() if env else None


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; a directory we create is 0700.

    An existing directory keeps its mode: it may be one the user chose and shares on purpose.
    """
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is filtered through the umask; set it explicitly.
        os.chmod(path, 0o700)
    return path


def data_dir_path(override: PathLike | None = None) -> Path:
    """Where data_dir() is, without creating it (for commands that must change nothing)."""
    root = _override_root(override)
    if root is None:
        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return root


def data_dir(override: PathLike | None = None) -> Path:
    """override > $QBSYNC_DATA_DIR > the platform's user data directory."""
    return ensure_private_dir(data_dir_path(override))


def log_dir(override: PathLike | None = None) -> Path:
    root = _override_root(override)
    if root is not None:
        return ensure_private_dir(data_dir(root) / "logs")
    return ensure_private_dir(Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)))


def config_dir(override: PathLike | None = None) -> Path:
    root = _override_root(override)
    if root is not None:
        return ensure_private_dir(data_dir(root) / "config")
    return ensure_private_dir(Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def db_path(override: PathLike | None = None) -> Path:
    return data_dir(override) / DB_FILE_NAME


@dataclass(frozen=True, slots=True)
class Paths:
    """All locations resolved once at start-up and passed around (no module globals)."""

    data: Path
    logs: Path
    config: Path
    db: Path

    @classmethod
    def resolve(cls, override: PathLike | None = None) -> Paths:
        return cls(
            data=data_dir(override),
            logs=log_dir(override),
            config=config_dir(override),
            db=db_path(override),
        )
