#!/usr/bin/env bash
# Set up everything leaflet needs, once: system libraries, a virtual environment
# in .venv and the Python packages. Safe to run again: it only redoes the work
# when pyproject.toml or constraints.txt changed. Sourced by build.sh and test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# System packages: WeasyPrint's Pango stack; libharfbuzz-subset0 makes it about
# 3x faster and its output byte-identical; poppler-utils renders page previews;
# gettext provides msgfmt, which the tests use to prove catalogs are valid.
# Usage: source scripts/setup.sh [test]
system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils gettext python3-venv)
# The tests also open the HTML edition in a real browser (headless Chromium).
if [ "${1:-}" = "test" ]; then
  system_packages+=(chromium)
fi
missing=()
for pkg in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "leaflet setup: installing system packages: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "leaflet setup: missing system packages: ${missing[*]}" >&2
    echo "Run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

python="${PYTHON:-python3}"
stamp=".venv/.leaflet-installed"
# Reinstall when the dependencies or the pinned versions change.
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "leaflet setup: installing Python packages into .venv" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
  # The distribution was called "leaflet" before it became "leaflet-rx"; both
  # would claim the `leaflet` package and command.
  if .venv/bin/python -m pip show --quiet leaflet >/dev/null 2>&1; then
    .venv/bin/python -m pip uninstall --quiet --yes leaflet
  fi
  # constraints.txt: the exact versions CI tests, so PDFs match byte for byte.
  .venv/bin/python -m pip install --quiet -e ".[test]" -c constraints.txt
  echo "$want" > "$stamp"
fi
