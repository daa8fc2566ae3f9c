#!/bin/sh
# The libraries the kiosk lists for the loader at exec, against the list it should: each one
# more is mapped and relocated before the first frame (docs/performance.md).  libcurl,
# libcrypto, espeak-ng, SDL_ttf and libqrencode are loaded when first used
# (kiosk/base/dynlib.h); a new
# dependency that slips in at exec fails here.  And a SDL_ttf without its functions stops
# the start with a clear error, exit 2 (the ui loads it while SDL makes the window).
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
pass=0 fail=0
check() { # name expected-regex actual
	if printf '%s\n' "$3" | grep -qE "$2"; then pass=$((pass + 1)); echo "ok   $1"
	else fail=$((fail + 1)); echo "FAIL $1: $3"; fi
}
# The sanitizers' own runtimes (SAN=1) are not the program's.
needed=$(readelf -d "$BUILD/kiosk" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | grep -v -e '^libasan' -e '^libubsan' | sort | tr '\n' ' ')
check "kiosk: the libraries at exec" "^libSDL2-2.0.so.0 libc.so.6 libjansson.so.4 libm.so.6 libpng16.so.16 libsqlite3.so.0 libusb-1.0.so.0 $" "$needed"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/lib" && cp "$(ldconfig -p | sed -n 's/.*libz.so.1 (libc6,x86-64) => //p' | head -n 1)" "$tmp/lib/libSDL2_ttf-2.0.so.0"
printf '[kiosk]\nstore = %s/k.db\nlog_file =\nsyslog = false\nassets = assets\n[pinpad]\ntransport = none\n[printer]\ntransport = none\n' "$tmp" >"$tmp/k.conf"
out=$(LD_LIBRARY_PATH=$tmp/lib SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$tmp/k.conf" --headless --first-frame-exit 2>&1); rc=$?
check "a SDL_ttf without TTF_Init" "^kiosk: libSDL2_ttf-2.0.so.0 has no TTF_Init$" "$(printf '%s\n' "$out" | tail -n 1)"
check "a SDL_ttf without TTF_Init: exit 2" "^2$" "$rc"
check "a SDL_ttf without TTF_Init: no store made" "^absent$" "$([ -e "$tmp/k.db" ] && echo present || echo absent)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
