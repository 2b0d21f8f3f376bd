"""Helpers shared by the test suites: constants, worlds, fakes. Fixtures stay in conftest.py."""
