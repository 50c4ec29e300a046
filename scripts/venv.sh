#!/usr/bin/env bash
# Sourced by scripts/app.sh and scripts/test.sh: make sure ./.venv exists (a stock Debian/Ubuntu Python refuses
# system-wide pip installs) and set PY to its interpreter. Installs Debian's python3-venv when venv is missing.
set -euo pipefail
BASE_PYTHON="$(command -v python3 || command -v python)"
if [ ! -x .venv/bin/python ]; then
  if ! "$BASE_PYTHON" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    echo "python -m venv is not available; installing Debian's python3-venv (needs root or sudo)" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    "$BASE_PYTHON" -m venv .venv
  fi
fi
PY="$PWD/.venv/bin/python"
export PY
