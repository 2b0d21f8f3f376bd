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
        [sys.executable, "-m", "qbsync_desktop.cli", "--data-dir", str(tmp_path), "status"],
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
