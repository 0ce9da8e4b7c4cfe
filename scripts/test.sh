#!/usr/bin/env bash
# Lint, type-check and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh" test
cd "$root"
.venv/bin/ruff check leaflet tests scripts benchmarks
.venv/bin/ruff format --check leaflet tests scripts benchmarks
.venv/bin/mypy
exec .venv/bin/pytest "$@"
