"""Markers used by the matrix plugin's tests."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "install: builds a fresh virtualenv from the distributions (slow, "
        "a few seconds; needs uv and the package index or uv's cache)")
