#!/usr/bin/env bash
# `make screenshots`: PNGs of the main reader and admin pages at desktop
# (1280 px) and phone (390 px) widths in docs/screenshots/, taken in
# Chromium against a fresh `wrangler dev` with the demo seed.
set -euo pipefail
exec bash "$(dirname "$0")/browser.sh" --screenshots
