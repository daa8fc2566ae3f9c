#!/bin/sh
# A store that shrank to 0 bytes (or of which only the -wal is left) is a lost store, never
# a first start: the kiosk exits 2 with the reason, kiosk-tool exits 1, and the file is left
# as found.  Only a missing file is a first start: created 0600, nothing else left in its
# directory, and the kiosk starts on it.  Prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
d=$(mktemp -d /tmp/store-lost.XXXXXX)
trap 'rm -rf "$d"' EXIT INT TERM
pass=0; fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
db=$d/lib/kiosk.db
mkdir -p "$d/lib"
cat >"$d/kiosk.conf" <<CONF
[kiosk]
id = K0001
store = $db
log_file = $d/kiosk.log
syslog = false
assets = $PWD/assets
[pinpad]
transport = none
[printer]
transport = none
CONF
why="the store file is empty (0 bytes) or only its -wal is left: lost in a crash or a bad copy, so not a first start; restore it from a backup, or remove it (and its -wal) to start an empty store"
kiosk() { SDL_VIDEODRIVER=dummy timeout 60 "$BUILD/kiosk" --config "$d/kiosk.conf" --headless --first-frame-exit; }

# 0 bytes: refused by the kiosk (exit 2, the reason) and by kiosk-tool (exit 1).
: >"$db"
kiosk >"$d/out" 2>"$d/err"; st=$?
[ $st -eq 2 ] && ok || ko "kiosk on a 0-byte store: exit $st, want 2"
[ "$(cat "$d/err")" = "kiosk: store $db: $why" ] && ok || ko "kiosk's reason: $(cat "$d/err")"
grep -q "level=error mod=store event=lost path=$db why=empty_file$" "$d/kiosk.log" && ok || ko "no event=lost line in the log"
printf '1111\n' | "$BUILD/kiosk-tool" --config "$d/kiosk.conf" passwd cashier anna >"$d/out" 2>"$d/err"; st=$?
[ $st -eq 1 ] && ok || ko "passwd on a 0-byte store: exit $st, want 1"
# (kiosk-tool's log goes to stderr too: the event=lost line, then the reason)
[ "$(tail -n 1 "$d/err")" = "kiosk-tool passwd: store $db: $why" ] && ok || ko "passwd's reason: $(cat "$d/err")"
"$BUILD/kiosk-tool" --config "$d/kiosk.conf" staff-unlock >"$d/out" 2>"$d/err"; st=$?
[ $st -eq 1 ] && [ "$(tail -n 1 "$d/err")" = "kiosk-tool staff-unlock: $db: $why" ] && ok \
	|| ko "staff-unlock on a 0-byte store: exit $st, $(cat "$d/err")"
[ -f "$db" ] && [ ! -s "$db" ] && [ "$(ls "$d/lib")" = kiosk.db ] && ok || ko "the lost store was touched: $(ls -l "$d/lib")"

# Only the -wal left: refused too, the -wal kept.
rm "$db"
printf 'not empty' >"$db-wal"
kiosk >"$d/out" 2>"$d/err"; st=$?
[ $st -eq 2 ] && [ "$(cat "$d/err")" = "kiosk: store $db: $why" ] && ok || ko "kiosk with only a -wal: exit $st, $(cat "$d/err")"
grep -q "event=lost path=$db why=only_wal$" "$d/kiosk.log" && ok || ko "no why=only_wal line"
[ ! -e "$db" ] && [ "$(cat "$db-wal")" = "not empty" ] && ok || ko "the -wal or the store changed"

# Missing: a first start.  kiosk-tool passwd creates it; the kiosk starts on it.
rm "$db-wal"
printf '1111\n' | "$BUILD/kiosk-tool" --config "$d/kiosk.conf" passwd cashier anna >"$d/out" 2>"$d/err"; st=$?
[ $st -eq 0 ] && [ "$(cat "$d/out")" = "PIN set for cashier anna" ] && ok || ko "passwd on a missing store: exit $st, $(cat "$d/err")"
[ -s "$db" ] && [ "$(stat -c %a "$db")" = 600 ] && [ "$(ls "$d/lib")" = kiosk.db ] && ok || ko "first start left: $(ls -l "$d/lib")"
kiosk >"$d/out" 2>"$d/err"; st=$?
[ $st -eq 0 ] && ok || ko "kiosk on the new store: exit $st, $(cat "$d/err")"
[ "$(sqlite3 "$db" "SELECT name || ' ' || role FROM staff")" = "anna cashier" ] && ok || ko "staff rows: $(sqlite3 "$db" 'SELECT * FROM staff')"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
