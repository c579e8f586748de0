#!/usr/bin/env bash
# The verifier page's browser test drives Debian's Chromium (a test tool's own browser download
# does not work on these machines). Installs it when missing and this user may; else says how.
set -euo pipefail
CHROMIUM="${CERTLEDGER_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "certledger: the browser test needs Chromium at $CHROMIUM: install Debian's chromium package (apt-get install -y chromium) or set CERTLEDGER_CHROMIUM" >&2
  exit 1
fi
echo "certledger: installing Debian's chromium for the browser test..." >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
echo "certledger: chromium installed at $(command -v chromium)" >&2
