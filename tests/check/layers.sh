#!/bin/sh
# The layers hold (docs/internals.md, Layers):
#  1. every #include of the program's sources points down or sideways, never up, and SDL
#     is included only by ui/ and kiosk/shell/ (tests/check/layers.py);
#  2. the checker sees a wrong-way edge: a copy of a few real files with one upward include
#     (the flow core including the store) and one SDL include in a service must fail;
#  3. the flow's unit tests are linked from the flow core alone: no SDL_, sqlite3_ or curl_
#     symbol in build/tests/test_flow*.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
status=0

python3 tests/check/layers.py . || status=1

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/kiosk/flow" "$tmp/kiosk/svc" "$tmp/offline"
cp offline/store.h "$tmp/offline/"
printf '#include "kiosk/flow/flow.h"\n#include "offline/store.h"\n' >"$tmp/kiosk/flow/wrong.c"
printf '#include <SDL.h>\n#include "offline/store.h"\n' >"$tmp/kiosk/svc/sdl.c"
out=$(python3 tests/check/layers.py "$tmp")
if [ $? -ne 1 ] ||
   ! echo "$out" | grep -qx 'layers: kiosk/flow/wrong.c:2: includes "offline/store.h" (offline) from the domain layer' ||
   ! echo "$out" | grep -qx 'layers: kiosk/svc/sdl.c:1: includes <SDL.h>: SDL belongs to ui/ and kiosk/shell/' ||
   echo "$out" | grep -q 'sdl.c:2'; then
	echo "layers: the checker missed a planted wrong-way include:"
	echo "$out"
	status=1
fi

n=0
for t in "$BUILD"/tests/test_flow "$BUILD"/tests/test_flow_*; do
	[ -x "$t" ] || continue
	n=$((n + 1))
	bad=$(nm "$t" | grep -E ' [A-Za-z] (SDL_|sqlite3_|curl_)' | head -3)
	if [ -n "$bad" ]; then
		echo "layers: $t links more than the flow core:"
		echo "$bad"
		status=1
	fi
done
[ "$n" -ge 7 ] || { echo "layers: expected the 7 flow test programs in $BUILD/tests, found $n"; status=1; }
echo "layers: $n flow test programs link the flow core only"
exit $status
