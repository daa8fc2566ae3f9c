# Test hooks (kiosk/base/hooks.h) are in build/kiosk-test only.  The production programs,
# build/kiosk and build/kiosk-tool, define no crash point or knob code and none of the
# simulators' or test helpers' symbols; build/kiosk-test has the hooks.  The script command
# `pinpad` stays in the language: the production kiosk refuses it with a message that
# names the test build, the test build reaches for the simulator.
BUILD=${BUILD:-build}
pass=0; fail=0
d=$(mktemp -d)
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
defined() { nm --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u; }
# Every global symbol the simulators, the test helpers and the hooks define (but main: the
# test program's own).
nm -g --defined-only "$BUILD"/libpinpadsim.a "$BUILD"/libkktsim.a "$BUILD"/libcenter.a \
	"$BUILD"/libtesthelp.a "$BUILD"/obj/tests/hooks/*.o 2>/dev/null |
	awk 'NF == 3 && $3 != "main" { print $3 }' | sort -u >"$d/test-only"
[ -s "$d/test-only" ] && ok || bad "no test-only symbols read from $BUILD's archives"
for p in kiosk kiosk-tool; do
	defined "$BUILD/$p" >"$d/$p.syms"
	[ -s "$d/$p.syms" ] || { bad "$p: no symbols (nm $BUILD/$p)"; continue; }
	hits=$(grep -iE 'crash|knob' "$d/$p.syms" | tr '\n' ' ')
	[ -z "$hits" ] && ok || bad "$p defines crash point or knob code: $hits"
	hits=$(comm -12 "$d/test-only" "$d/$p.syms" | tr '\n' ' ')
	[ -z "$hits" ] && ok || bad "$p defines simulator or test symbols: $hits"
done
defined "$BUILD/kiosk-test" >"$d/kiosk-test.syms"
for s in crash_at knob_client_send; do
	grep -qx "$s" "$d/kiosk-test.syms" && ok || bad "kiosk-test lacks the hook $s"
done

# `pinpad` in each build: no simulator is configured, so even the test build fails, but
# only the production one for want of hooks.
printf '[kiosk]\nstore = %s/k.db\nlog_file =\nsyslog = false\nassets = assets\n[pinpad]\ntransport = none\n' "$d" >"$d/k.conf"
printf 'wait attract\npinpad delay=0\n' >"$d/p.script"
run() { SDL_VIDEODRIVER=dummy "$BUILD/$1" --config "$d/k.conf" --headless --script "$d/p.script" 2>&1; }
out=$(run kiosk); st=$?
if [ $st -eq 1 ] && printf '%s' "$out" | grep -qF "script:2: pinpad: expected the simulator to take 'delay=0', seen: this build has no test hooks: run build/kiosk-test"
then ok; else bad "kiosk: pinpad without hooks: status $st, output: $out"; fi
out=$(run kiosk-test); st=$?
if [ $st -eq 1 ] && printf '%s' "$out" | grep -qF "seen: no PIN-pad simulator control address (pinpad.control)"
then ok; else bad "kiosk-test: pinpad with no simulator: status $st, output: $out"; fi
rm -rf "$d"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
