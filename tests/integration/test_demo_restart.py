"""The demo survives a restart: saved connections follow the sandboxes to their new ports."""

from qbsync_desktop.demo import DemoEnvironment, rebind
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService


def test_demo_restart_keeps_connections_working(tmp_path):
    data = tmp_path / "demo"
    secrets = FileSecretStore(tmp_path / "secrets.json")
    with DemoEnvironment(data) as env:
        svc = SyncService(tmp_path / "app", secrets)
        info = env.connect(svc, env.pairs[0])
        first = svc.run(info.id)
        assert first.created > 0
        svc.close()
    with DemoEnvironment(data) as env:
        svc = SyncService(tmp_path / "app", secrets)
        assert rebind(svc, env) == 1
        again = svc.run(info.id)
        assert again.status in ("ok", "review"), again.message
        assert again.created == 0  # nothing made twice after the restart
        svc.close()
