"""The benchmark jobs as one executable: builds `examples/instructions.rs` (the jobs of
`benches/codecs.rs`), which `instr-table.py` runs under callgrind and `wall-time.py` times, or
`examples/paired.rs` (the same jobs timed in turn), which `paired-table.py` runs."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(example="instructions"):
    """Builds the example (`instructions`, or `paired`); the path of the executable cargo
    reports."""
    run = subprocess.run(["cargo", "build", "-q", "--release", "--features", "peers", "--example", example,
                          "--message-format=json"], cwd=ROOT, check=True, capture_output=True, text=True)
    for line in run.stdout.splitlines():
        message = json.loads(line)
        if message.get("target", {}).get("name") == example and message.get("executable"):
            return Path(message["executable"])
    sys.exit(f"cargo built no `{example}` example")
