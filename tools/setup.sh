#!/usr/bin/env bash
# Set up everything the book and its tests need on a fresh Debian machine with Python 3.11.
#   bash tools/setup.sh           Python environment (.venv), Chromium and a CJK font (Debian) for building the book and its PDF
#   bash tools/setup.sh --test    ... plus axe-core (npm) for the browser tests
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
apt_updated=false
apt_install() {
    if ! $apt_updated; then $SUDO apt-get update -qq; apt_updated=true; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $($PYTHON --version)"
    if ! $PYTHON -m venv .venv 2>/dev/null; then
        rm -rf .venv
        apt_install python3-venv
        $PYTHON -m venv .venv
    fi
fi

stamp=.venv/.installed-lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp" || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing the pinned environment (requirements.lock)"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e . >.venv/install-project.log 2>&1; then
        cat .venv/install-project.log; exit 1
    fi
    cp requirements.lock "$stamp"
fi

# Chromium prints the PDF of the book and drives the browser tests; the CJK font renders
# the Chinese terms of the glossary in both.
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    echo "setup: installing Chromium and a CJK font from Debian"
    apt_install chromium fonts-dejavu-core fonts-wqy-zenhei fontconfig
fi

if $want_test; then
    if ! command -v npm >/dev/null; then
        echo "setup: installing Node.js and npm from Debian"
        apt_install nodejs npm
    fi
    if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
        echo "setup: installing axe-core from npm"
        npm ci --prefix tests/browser --no-audit --no-fund --silent
    fi
fi
echo "setup: done"
