#!/bin/sh
# Regenerate the walk-through's pictures: memhp run --html on the BiscuitOS session, each
# picture of the report saved as docs/walkthrough/biscuitos-N.svg (N: the report's order).
# Usage: sh docs/walkthrough/pictures.sh [MEMHP]   (default build/memhp)
set -e
memhp=${1:-build/memhp}
dir=$(dirname "$0")
tmp=$(mktemp) && trap 'rm -f "$tmp"' EXIT
"$memhp" run --html "$tmp" examples/biscuitos.scn >/dev/null
python3 - "$tmp" "$dir" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
for i, svg in enumerate(re.findall(r'<svg.*?</svg>\n', html, re.S), 1):
    with open('%s/biscuitos-%d.svg' % (sys.argv[2], i), 'w') as f:
        f.write(svg)
PY
