"""Conformance tests: shows how long the external validators took (see validators.TIMINGS)."""
from __future__ import annotations


def pytest_configure(config):
    # also registered by tests/conftest.py; repeated here so this folder runs on its own
    config.addinivalue_line("markers", "conformance: runs the external Open Badges validators")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    try:
        from validators import TIMINGS
    except ImportError:  # pragma: no cover
        return
    if not TIMINGS:
        return
    terminalreporter.write_sep("-", "external validator calls (wall time per subprocess)")
    by_kind: dict[str, list[tuple[float, int]]] = {}
    for kind, seconds, n in TIMINGS:
        by_kind.setdefault(kind, []).append((seconds, n))
    for kind, calls in sorted(by_kind.items()):
        secs = [s for s, _ in calls]
        items = sum(n for _, n in calls)
        terminalreporter.write_line(
            f"{kind:<10} {len(calls):3d} calls, {items:3d} documents: "
            f"min {min(secs):.2f}s  mean {sum(secs) / len(secs):.2f}s  max {max(secs):.2f}s  "
            f"({sum(secs) / max(items, 1):.2f}s per document)")
