"""qbsync_desktop: keeps a Scoro site and QuickBooks Online in sync, from the desktop."""

__version__ = "0.1.0"
