"""Where files go: an override beats the environment, which beats the platform folders."""

from __future__ import annotations

import os
import stat

from qbsync_desktop import paths


def test_override_beats_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert paths.data_dir() == tmp_path / "from-env"


def test_one_override_moves_everything(tmp_path):
    resolved = paths.Paths.resolve(tmp_path / "demo")
    assert resolved.data == tmp_path / "demo"
    for location in (resolved.logs, resolved.config, resolved.db):
        assert location.is_relative_to(tmp_path / "demo")
    assert resolved.db.name == paths.DB_FILE_NAME


def test_platform_dirs_without_override(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    # conftest points XDG_* into tmp_path/home, so this is still not the real user's folder.
    home = tmp_path / "home"
    assert paths.data_dir().is_relative_to(home)
    assert paths.data_dir().name == paths.APP_NAME
    assert paths.log_dir().is_relative_to(home)
    assert paths.config_dir().is_relative_to(home / ".config")


def test_created_directories_are_private(tmp_path):
    resolved = paths.Paths.resolve(tmp_path / "new" / "data")
    for directory in (resolved.data, resolved.logs, resolved.config):
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700


def test_an_existing_directory_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)  # noqa: S103 - the point: a folder the user shares on purpose
    paths.data_dir(shared)
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o755
