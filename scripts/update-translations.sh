#!/usr/bin/env bash
# Extract the strings from the code and templates and merge them into the lv and en catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header --sort-output .
.venv/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
