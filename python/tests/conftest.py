"""Shared paths and strategies. The tests import the installed package: pytest runs from
``python/tests`` with ``python/src`` not on sys.path (checked by test_installed.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
SEEDS_JSON = ROOT / "examples" / "data" / "seeds.json"
SEEDS_SWR = ROOT / "examples" / "data" / "seeds.swr"
