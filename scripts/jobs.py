"""The benchmark jobs as one executable: builds `examples/instructions.rs` (the jobs of
`benches/codecs.rs`), which `instr-table.py` runs under callgrind and `wall-time.py` times."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build():
    """Builds the example; the path of the executable cargo reports."""
    run = subprocess.run(["cargo", "build", "-q", "--release", "--features", "peers", "--example", "instructions",
                          "--message-format=json"], cwd=ROOT, check=True, capture_output=True, text=True)
    for line in run.stdout.splitlines():
        message = json.loads(line)
        if message.get("target", {}).get("name") == "instructions" and message.get("executable"):
            return Path(message["executable"])
    sys.exit("cargo built no `instructions` example")
