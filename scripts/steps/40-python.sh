#!/usr/bin/env bash
# The Python package: a fresh venv, `pip install ./python` exactly as the README says (maturin
# builds the C API's cdylib in release and cffi's bindings from the header it generates), then
# pytest against the installed package, the example, and a short smoke run of the benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  source scripts/need-debs.sh
  need_debs python3-venv
fi

venv=$root/.venv-python
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
py=$venv/bin/python
"$py" -m pip install -q --disable-pip-version-check 'maturin>=1.16,<2' 'cffi>=1.15' 'pytest>=7' 'hypothesis>=6' \
  'numpy>=1.21' 'msgpack>=1.0' 'cbor2>=5.4'
# Reinstall every run, so the tests see this checkout's package and library.
"$py" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./python

# From python/tests, where python/src is not on sys.path: the installed package is what runs
# (test_installed.py asserts it). pytest exits 5 when it collected no test; that is a failure.
status=0
(cd python/tests && "$py" -m pytest -p no:cacheprovider) || status=$?
if [[ $status -eq 5 ]]; then
  echo "pytest collected no tests"
  exit 1
elif [[ $status -ne 0 ]]; then
  exit "$status"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "--- python examples/python/decode_capture.py examples/data/seeds.swr"
"$py" examples/python/decode_capture.py examples/data/seeds.swr -o "$out/seeds.csv"
echo "--- python python/bench.py --records 2000 --repeat 1 (smoke run; README figures use 100,000)"
"$py" python/bench.py --records 2000 --repeat 1
