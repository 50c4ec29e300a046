#!/usr/bin/env bash
# Install the app into ./.venv and start it on http://localhost:8501. Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
# Exact versions from requirements.lock (bash scripts/lock.sh); the floors in pyproject.toml if the lock cannot install.
"$PY" -m pip install --quiet --disable-pip-version-check -c requirements.lock -e . \
  || "$PY" -m pip install --quiet --disable-pip-version-check -e .
exec "$PY" -m streamlit run app.py --browser.gatherUsageStats false "$@"
