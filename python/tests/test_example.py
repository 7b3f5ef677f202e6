"""The example script decodes the seed capture, prints its table and writes a CSV."""

from __future__ import annotations

import csv
import subprocess
import sys

from conftest import ROOT, SEEDS_SWR


def test_example_prints_the_table_and_writes_a_csv(tmp_path):
    out = tmp_path / "seeds.csv"
    script = ROOT / "examples" / "python" / "decode_capture.py"
    run = subprocess.run([sys.executable, str(script), str(SEEDS_SWR), "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "civilians_held of UA held by RU: >16000" in run.stdout
    assert "17 records from" in run.stdout
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == 17
    assert rows[8]["record"] == "exchange" and rows[8]["to_a"] == "150" and rows[8]["date"] == "2025-02-05"
    assert rows[9]["quantity"] == ">16000" and rows[9]["holder"] == "RU"
    assert rows[1]["name"] == "Ombudsman Dmytro Lubinets" and rows[1]["retracted"] == "false"
    assert rows[1]["via"] == "1" and rows[6]["name"] == "Volodymyr Zelenskyy" and rows[6]["via"] == "4"
    assert rows[0]["via"] == ""


def test_example_reports_a_damaged_capture(tmp_path):
    bad = tmp_path / "bad.swr"
    bad.write_bytes(SEEDS_SWR.read_bytes()[:-1])
    script = ROOT / "examples" / "python" / "decode_capture.py"
    run = subprocess.run([sys.executable, str(script), str(bad)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "record 16: input ends before the record or frame is complete" in run.stderr
