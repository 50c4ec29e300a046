#!/usr/bin/env bash
# Install everything the test suite needs (Python extras and Debian's chromium for the browser tests),
# then run the whole suite in ./.venv. Used by the README and by CI (.ci/run). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh  # ./.venv: a stock Debian/Ubuntu Python refuses system-wide installs

# Exact versions from requirements.lock (a constraints file; bash scripts/lock.sh regenerates it).
# A Python the lock has no wheels for falls back to the floors in pyproject.toml, loudly.
if ! "$PY" -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'; then
  echo "requirements.lock does not install on this Python; using the floors in pyproject.toml" >&2
  "$PY" -m pip install --quiet --disable-pip-version-check -e '.[test]'
fi

# Debian packages: chromium (browser tests), nginx (the multi-replica scale-out test), postgresql (the live-class
# store's tests start a throwaway cluster of their own; the package's default cluster is not used) and openssl.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)  # a throwaway certificate for the embedding test
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages for the browser, scale-out and PostgreSQL tests: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$PY" -m ruff check .
"$PY" -m ruff format --check .  # one code style, kept by the formatter
"$PY" -m mypy  # checker/ and app_pages/ (pyproject.toml [tool.mypy])

set +e
"$PY" -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"
