"""Run the desktop app from a checkout: `python main.py [--demo]`."""

from qbsync_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
