#!/usr/bin/env bash
# Regenerate requirements.lock: install the project with its test extras into a throwaway venv and freeze it.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_PYTHON="$(command -v python3 || command -v python)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$BASE_PYTHON" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check '.[test]'
{
  echo "# Exact versions the test script (scripts/test.sh) and the app launcher install; pyproject.toml keeps the floors."
  echo "# Regenerate with: bash scripts/lock.sh"
  "$TMP/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^net-checker'
} > requirements.lock
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
