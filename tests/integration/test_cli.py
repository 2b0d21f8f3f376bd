"""The headless CLI: messages fit for cron, exit codes 0/1/2/3."""

import subprocess
import sys

from qbsync_desktop import cli


def test_cli_demo_connects_every_entity_syncs_and_summarises(tmp_path, capsys):
    code = cli.main(["--data-dir", str(tmp_path), "demo"])
    out = capsys.readouterr().out
    assert code == cli.EXIT_REVIEW, out  # items to review, and one entity blocked (R04)
    assert "Acme OÜ ⇄ Acme OÜ (QuickBooks)" in out
    assert "created" in out
    assert "[currency_mismatch] Invoice 1004" in out
    assert "Acme Ltd" in out and "not activated" in out


def test_cli_status_and_sync_with_nothing_connected(tmp_path, capsys):
    assert cli.main(["--data-dir", str(tmp_path), "--secrets", "memory", "status"]) == 0
    assert "No connections yet." in capsys.readouterr().out
    code = cli.main(["--data-dir", str(tmp_path), "--secrets", "memory", "sync"])
    assert code == cli.EXIT_FAILED
    assert "No active connection" in capsys.readouterr().out


def test_cli_refuses_to_run_without_a_secure_keyring_and_says_what_to_do(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "qbsync_desktop.cli", "--data-dir", str(tmp_path), "sync"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == cli.EXIT_FAILED
    assert "Traceback" not in proc.stderr
    assert "keyring" in proc.stderr.lower() or "secret" in proc.stderr.lower()


def test_cli_version():
    proc = subprocess.run(
        [sys.executable, "-m", "qbsync_desktop.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and "qbsync" in proc.stdout


# -- the command line as people type it -----------------------------------------------------


def qbsync(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    environ = {k: v for k, v in os.environ.items() if k != "QBSYNC_SECRET_STORE"}
    return subprocess.run(
        [sys.executable, "-m", "qbsync_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environ, **(env or {})},
    )


def test_global_options_work_before_and_after_the_command(tmp_path, capsys):
    before = tmp_path / "before"
    after = tmp_path / "after"
    assert cli.main(["--data-dir", str(before), "--secrets", "memory", "status"]) == 0
    assert cli.main(["status", "--data-dir", str(after), "--secrets", "memory", "-v"]) == 0
    assert (before / "qbsync.sqlite3").exists() and (after / "qbsync.sqlite3").exists()
    # A value given before the command is kept when the command does not repeat it.
    args = cli._parser().parse_args(["--data-dir", "X", "log", "--limit", "5"])
    assert args.data_dir == "X" and args.verbose is False
    args = cli._parser().parse_args(["-v", "review", "list", "--data-dir", "Y"])
    assert args.data_dir == "Y" and args.verbose is True


def test_cli_demo_accepts_the_data_folder_after_the_command(tmp_path, capsys):
    code = cli.main(["demo", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == cli.EXIT_REVIEW, out
    assert "Acme OÜ ⇄ Acme OÜ (QuickBooks)" in out


def test_every_help_shows_an_example_and_every_option_has_a_help_line():
    parser = cli._parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in [("", parser), *subparsers.items()]:
        text = sub.format_help()
        assert "example" in text, name
        assert f"qbsync {name}".strip() in text.split("example", 1)[1], name
        for action in sub._actions:
            if action.dest in ("help", "version", "command"):
                continue
            assert action.help, f"{name or 'qbsync'} {action.option_strings or action.dest}"
    proc = qbsync("sync", "--help")
    assert proc.returncode == 0
    assert "show what would change" in proc.stdout and "qbsync sync --connection 1" in proc.stdout


def test_without_a_keyring_the_cli_advises_its_own_option_not_the_apps(tmp_path):
    proc = qbsync("--data-dir", str(tmp_path), "sync")
    assert proc.returncode == cli.EXIT_FAILED
    assert "--secrets file" in proc.stderr
    assert "--insecure-file-secrets" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_commands_that_need_no_secret_work_without_a_keyring(tmp_path):
    proc = qbsync("status", "--data-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "No connections yet" in proc.stdout and "qbsync connect" in proc.stdout
    assert qbsync("log", "--data-dir", str(tmp_path)).returncode == 0
    proc = qbsync("review", "list", "--data-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr


def test_a_mistyped_option_says_what_the_command_accepts(tmp_path):
    proc = qbsync("reconcile", "--from", "31.01.2026", "--data-dir", str(tmp_path))
    assert proc.returncode == cli.EXIT_FAILED
    assert "YYYY-MM-DD" in proc.stderr and "qbsync reconcile --help" in proc.stderr
    assert "Traceback" not in proc.stderr
