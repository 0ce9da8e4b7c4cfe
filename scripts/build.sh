#!/usr/bin/env bash
# Build every leaflet (all languages, audiences, paper sizes, standard and large
# print, and a booklet per language) into out/.
# Extra arguments go to `leaflet build`, e.g. ./scripts/build.sh --audience patient
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"
exec .venv/bin/leaflet build --lang all --paper all --large-print --booklet "$@"
