#!/usr/bin/env bash
# The browser tests drive Debian's Chromium: Playwright's own browser download cannot work here.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "ERROR: Chromium is missing. Install it (Debian/Ubuntu: sudo apt-get install chromium)" \
       "or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi
