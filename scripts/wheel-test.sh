#!/usr/bin/env bash
# Prove leaflet installs and runs from its wheel alone: build the sdist and, from
# it, the wheel; check the wheel holds every file leaflet ships; install it into
# a fresh virtual environment outside the repository; then, from an empty folder,
# start a project and build it in every language.
# Usage: ./scripts/wheel-test.sh   (WHEEL_TEST_KEEP=1 keeps the temporary folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# System packages WeasyPrint needs, and .venv with `build` (the test extra).
source "$root/scripts/setup.sh"
cd "$root"

fail() {
  echo "wheel-test: FAILED: $*" >&2
  exit 1
}
step() {
  echo "wheel-test: $*" >&2
}

work="$(mktemp -d "${TMPDIR:-/tmp}/leaflet-wheel-test.XXXXXX")"
if [ "${WHEEL_TEST_KEEP:-}" = "1" ]; then
  trap 'echo "wheel-test: kept $work" >&2' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi
case "$work/" in
  "$root"/*) fail "the temporary folder $work is inside the repository; set TMPDIR elsewhere" ;;
esac

# 1. Build. `python -m build` makes the sdist, then the wheel from the unpacked
# sdist, so a file missing from the sdist is missing from the wheel too.
step "building the sdist and the wheel"
if ! .venv/bin/python -m build --outdir "$work/dist" . >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  fail "python -m build failed (log above)"
fi
shopt -s nullglob
wheels=("$work"/dist/leaflet_rx-*-py3-none-any.whl)
sdists=("$work"/dist/leaflet_rx-*.tar.gz)
shopt -u nullglob
[ ${#wheels[@]} -eq 1 ] || fail "expected one leaflet_rx wheel in $work/dist, got ${#wheels[@]}"
[ ${#sdists[@]} -eq 1 ] || fail "expected one leaflet_rx sdist in $work/dist, got ${#sdists[@]}"
wheel="${wheels[0]}"
sdist="${sdists[0]}"

# 2. Contents: every file in the repository's bundled folders, and the licences.
step "checking the contents of $(basename "$wheel") and $(basename "$sdist")"
.venv/bin/python - "$wheel" "$sdist" "$root/leaflet/_bundled" <<'PY'
import os
import sys
import tarfile
import zipfile
from pathlib import Path

wheel, sdist, bundled = sys.argv[1], sys.argv[2], Path(sys.argv[3])
names = set(zipfile.ZipFile(wheel).namelist())
dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
problems = []


def need(label, found):
    if not found:
        problems.append(label)


def matching(prefix, suffix=""):
    return [n for n in names if n.startswith(prefix) and n.endswith(suffix)]


root = "leaflet/_bundled/"
licences = f"{dist_info}/licenses/"
need(f"templates ({root}templates/*.html)", matching(root + "templates/", ".html"))
need(f"stylesheets ({root}templates/*.css)", matching(root + "templates/", ".css"))
need(f"fonts ({root}fonts/*.ttf)", matching(root + "fonts/", ".ttf"))
need(f"the fonts' licence ({root}fonts/OFL-Noto.txt)", root + "fonts/OFL-Noto.txt" in names)
need(f"the font configuration ({root}fonts/fonts.conf)", root + "fonts/fonts.conf" in names)
need(f"the message template ({root}locales/leaflet.pot)", root + "locales/leaflet.pot" in names)
need(f"an example record ({root}data/*.yaml)", matching(root + "data/", ".yaml"))
need(f"leaflet's licence ({licences}LICENSE)", licences + "LICENSE" in names)
need(f"the fonts' licence ({licences}fonts/OFL-Noto.txt)", licences + "fonts/OFL-Noto.txt" in names)
need("the typing marker (leaflet/py.typed)", "leaflet/py.typed" in names)
need("leaflet serve's pages (leaflet/serve/templates/*.html)", matching("leaflet/serve/templates/", ".html"))
need("leaflet serve's style (leaflet/serve/static/app.css)", "leaflet/serve/static/app.css" in names)
need("leaflet serve's script (leaflet/serve/static/app.js)", "leaflet/serve/static/app.js" in names)
locales = sorted(n.split("/")[3] for n in matching(root + "locales/", "/LC_MESSAGES/leaflet.po"))
need(f"the catalogs ({root}locales/*/LC_MESSAGES/leaflet.po)", locales)
# Every file the repository bundles must be in the wheel: a new kind of file that
# package-data does not match fails here, not for a user. (os.walk, unlike
# Path.rglob before Python 3.13, follows _bundled's links.)
bundled_files = []
for folder, dirs, files in os.walk(bundled, followlinks=True):
    dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
    rel_folder = Path(folder).relative_to(bundled)
    bundled_files += [(rel_folder / f).as_posix() for f in files if not f.startswith(".")]
need("the repository's bundled files (leaflet/_bundled/*)", bundled_files)
for rel in sorted(bundled_files):
    need(f"{root}{rel}", f"{root}{rel}" in names)

with tarfile.open(sdist) as tar:
    top = tar.getnames()[0].split("/")[0]
    sdist_names = set(tar.getnames())
for rel in ("LICENSE", "fonts/OFL-Noto.txt", "pyproject.toml", "README.md"):
    need(f"{rel} in the sdist", f"{top}/{rel}" in sdist_names)

if problems:
    print("wheel-test: FAILED: the distribution lacks:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    print("Add the files to [tool.setuptools.package-data] in pyproject.toml.", file=sys.stderr)
    sys.exit(1)
summary = f"{len(names)} files in the wheel, catalogs for {', '.join(locales)}"
print(f"wheel-test: {summary}", file=sys.stderr)
PY

# 3. Install into a fresh virtual environment outside the repository.
step "installing the wheel into a fresh virtual environment"
"${PYTHON:-python3}" -m venv "$work/venv"
if ! "$work/venv/bin/python" -m pip install --quiet "$wheel" -c "$root/constraints.txt" \
  >"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  fail "pip install of the wheel failed (log above)"
fi

# 4. From an empty folder, with nothing of the repository on the path.
mkdir "$work/empty"
cd "$work/empty"
unset PYTHONPATH
export VIRTUAL_ENV="$work/venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
hash -r
[ "$(command -v leaflet)" = "$VIRTUAL_ENV/bin/leaflet" ] || fail "leaflet is not the installed command"
imported="$(python -c 'import leaflet; print(leaflet.__file__)')"
case "$imported" in
  "$VIRTUAL_ENV"/*) ;;
  *) fail "leaflet was imported from $imported, not from the fresh environment" ;;
esac

wheel_version="$(basename "$wheel" | cut -d- -f2)"
step "leaflet --version"
version="$(leaflet --version)"
echo "$version"
case "$version" in
  *"$wheel_version"*) ;;
  *) fail "leaflet --version printed '$version'; the wheel is version $wheel_version" ;;
esac

step "leaflet new clinic && cd clinic && leaflet check && leaflet build --lang all"
leaflet new clinic || fail "leaflet new clinic"
cd clinic
leaflet check || fail "leaflet check"
leaflet build --lang all || fail "leaflet build --lang all"

[ -d out ] || fail "leaflet build wrote no out/ folder in $(pwd)"
pdfs="$(find out -type f -name '*.pdf' | wc -l)"
[ "$pdfs" -gt 0 ] || fail "leaflet build --lang all wrote no PDF under out/"
# --lang all means English and every language leaflet ships a catalog for.
shipped=(en)
shopt -s nullglob
for po in "$(dirname "$imported")"/_bundled/locales/*/LC_MESSAGES/leaflet.po; do
  shipped+=("$(basename "$(dirname "$(dirname "$po")")")")
done
shopt -u nullglob
missing=()
for lang in "${shipped[@]}"; do
  [ -n "$(find "out/$lang" -type f -name '*.pdf' 2>/dev/null | head -n 1)" ] || missing+=("$lang")
done
[ ${#missing[@]} -eq 0 ] ||
  fail "leaflet build --lang all wrote no PDF in out/<lang>/ for: ${missing[*]} (leaflet ships ${shipped[*]})"
step "OK: $pdfs PDFs in ${#shipped[@]} languages (${shipped[*]}) built from the installed wheel"

step "leaflet serve: the pages and the API from the installed wheel"
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
leaflet serve --port "$port" --workers 1 >"$work/serve.log" 2>&1 &
server=$!
served=""
for _ in $(seq 1 300); do
  if python - "$port" <<'PY' 2>/dev/null; then served=1; break; fi
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
drugs = json.load(urllib.request.urlopen(base + "/api/drugs", timeout=2))["drugs"]
assert drugs and drugs[0]["id"] == "baclofen", drugs
page = urllib.request.urlopen(base + "/taper?drug=baclofen", timeout=10).read().decode()
assert "Taper calendar" in page, page[:200]
css = urllib.request.urlopen(base + "/static/app.css", timeout=2).read()
assert css, "no stylesheet"
PY
  kill -0 "$server" 2>/dev/null || break
  sleep 0.2
done
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
[ -n "$served" ] || { cat "$work/serve.log" >&2; fail "leaflet serve did not answer with its pages and API"; }
step "OK: leaflet serve answered /api/drugs, /taper and /static/app.css"
