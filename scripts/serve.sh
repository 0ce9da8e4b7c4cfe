#!/usr/bin/env bash
# Start leaflet in the browser: http://127.0.0.1:8080 (this machine only).
# Set-up as build.sh does it, the first time. Extra arguments go to `leaflet serve`,
# e.g. ./scripts/serve.sh --port 9000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"
exec .venv/bin/leaflet serve "$@"
