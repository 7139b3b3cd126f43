#!/usr/bin/env bash
# Renders the PNG icon sizes from hybridlens.svg (developer tool; the PNGs are committed). Needs librsvg2-bin.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for s in 16 24 32 48 64 128 256 512; do rsvg-convert -w "$s" -h "$s" hybridlens.svg -o "hybridlens-$s.png"; done
