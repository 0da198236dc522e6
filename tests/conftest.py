"""Shared fixtures: real SQLite files, the local PostgreSQL, and the ../shared data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "data"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real data sets not found at {SHARED} (the ../shared folder of the workspace)"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real data sets not found at {SHARED} (the ../shared folder of the workspace)")
    return SHARED
