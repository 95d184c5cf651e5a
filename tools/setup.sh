#!/usr/bin/env bash
# Set up everything the book and its tests need on a fresh Debian machine with Python 3.11, 3.12 or 3.13
# (PYTHON=python3.13 bash tools/setup.sh picks the interpreter). Elsewhere (macOS, other Linux) the
# Python environment is made the same way and what needs apt is skipped, with a one-line note.
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
VENV="${VENV:-.venv}"   # another folder for a second interpreter, e.g. VENV=.venv-3.13 PYTHON=python3.13
if [ ! -x $VENV/bin/python ]; then
    echo "setup: creating $VENV with $($PYTHON --version)"
    if ! $PYTHON -m venv $VENV 2>/dev/null; then
        rm -rf $VENV
        command -v apt-get >/dev/null || { echo "setup: $PYTHON cannot make a virtual environment; install its venv module"; exit 1; }
        apt_install python3-venv
        $PYTHON -m venv $VENV
    fi
fi

# The lock is the whole environment, so it is installed as it is (--no-deps), and what it does not
# pin is removed. It leaves out on purpose rfc3987-syntax and lark, which jupyter-events pulls in
# through jsonschema's optional "format-nongpl" extra: with them, every import of jsonschema
# (every build, test worker and nbval run) compiles 38 IRI grammars, 1.4 s, to check a format
# that nothing here uses. pip check then proves the environment complete.
stamp=$VENV/.installed-lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp" || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing the pinned environment (requirements.lock)"
    $VENV/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements.lock
    unpinned=$($VENV/bin/python -m pip freeze --disable-pip-version-check --exclude-editable | grep -v -x -F -f requirements.lock | sed 's/[=@ ].*//' || true)
    if [ -n "$unpinned" ]; then
        echo "setup: removing what the lock does not pin: $(echo $unpinned)"
        $VENV/bin/python -m pip uninstall -q -y --disable-pip-version-check $unpinned
    fi
    if ! $VENV/bin/python -m pip install -q --disable-pip-version-check --no-deps -e . >$VENV/install-project.log 2>&1; then
        cat $VENV/install-project.log; exit 1
    fi
    if ! $VENV/bin/python -m pip check --disable-pip-version-check >$VENV/pip-check.log 2>&1; then
        cat $VENV/pip-check.log; echo "setup: requirements.lock misses a dependency (see above): add it to the lock"; exit 1
    fi
    cp requirements.lock "$stamp"
fi

# Chromium prints the PDF of the book and drives the browser tests; the CJK font renders
# the Chinese terms of the glossary in both. Without apt (macOS, other Linux) they are skipped:
# the HTML builds without them.
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    if command -v apt-get >/dev/null; then
        echo "setup: installing Chromium and a CJK font from Debian"
        apt_install chromium fonts-dejavu-core fonts-wqy-zenhei fontconfig
    else
        echo "setup: no apt-get here: skipped Chromium and the CJK font, so no PDF and no browser tests; install Chromium (as 'chromium' on PATH) and WenQuanYi Zen Hei, then run this again"
    fi
fi

if $want_test; then
    if ! command -v npm >/dev/null && command -v apt-get >/dev/null; then
        echo "setup: installing Node.js and npm from Debian"
        apt_install nodejs npm
    fi
    if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
        if command -v npm >/dev/null; then
            echo "setup: installing axe-core from npm"
            npm ci --prefix tests/browser --no-audit --no-fund --silent
        else
            echo "setup: no npm here: skipped axe-core, so no accessibility audit; install Node.js and npm, then run this again"
        fi
    fi
fi
echo "setup: done"
