# A bad configuration stops the kiosk before its window opens: file:line and exit 2.
BUILD=${BUILD:-build}
pass=0; fail=0
d=$(mktemp -d)
check() { # name expected-status expected-text config-text
	printf '%s' "$4" > "$d/k.conf"
	out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/k.conf" --headless 2>&1)
	st=$?
	if [ "$st" -eq "$2" ] && printf '%s' "$out" | grep -qF "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL $1: status $st, output: $out"
	fi
}
check unknown-key 2 "$d/k.conf:2: unknown key 'screen.colour'" "[screen]
colour = blue
"
check bad-int 2 "$d/k.conf:3: screen.width must be a whole number, not 'abc'" "[screen]
height = 1920
width = abc
"
check bad-enum 2 "$d/k.conf:2: kiosk.lang must be one of ru|en, not 'fr'" "[kiosk]
lang = fr
"
check bad-allow 2 "$d/k.conf:2: payee.allow must be INN/Account/BIC" "[payee]
allow = 1/2/3
"
check bad-timezone 2 "$d/k.conf: kiosk.timezone: unknown time zone 'Mars/Olympus'" "[kiosk]
timezone = Mars/Olympus
"
# The loader refuses rather than guesses: a repeated key, a plain-http center, a center with
# no pinned key, malformed hex, a paper width that does not exist, a payee with a bad check digit.
check duplicate-key 2 "$d/k.conf:4: duplicate key center.url, first on line 2" "[center]
url =
[center]
url =
"
check http-center 2 "$d/k.conf:3: center.url must be empty (offline) or https://host[:port][/path], not 'http://center.example/kiosk'" "[center]
pins = sha256//qoDOgNkgyTdgvnkku+CR6I1EIiJar0CXnk6lsQgnBkY=
url = http://center.example/kiosk
"
check no-pins 2 "$d/k.conf:3: center.url is set but center.pins is empty" "[center]
key_id = k1
url = https://127.0.0.1:8443
device_id = K0001
"
check bad-hex 2 "$d/k.conf:2: scanner.suffix must be an even number of hex digits (e.g. 0d0a), not '0g'" "[scanner]
suffix = 0g
"
check bad-width 2 "$d/k.conf:3: printer.width_mm must be one of 58|80, not 70" "[printer]
transport = none
width_mm = 70
"
check bad-inn 2 "$d/k.conf:2: payee.allow: INN 5037008736 has a wrong check digit" "[payee]
allow = 5037008736/40702810640000012345/044525225
"
check bad-account-key 2 "$d/k.conf:3: payee.allow: account 40702810640000012346 does not match BIC 044525225" "[payee]
allow = 5037008735/40702810640000012345/044525225
allow = 5037008735/40702810640000012346/044525225
"
check yes-boolean 2 "$d/k.conf:2: kiosk.syslog must be true or false, not 'yes'" "[kiosk]
syslog = yes
"
out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/missing.conf" --headless 2>&1); st=$?
if [ $st -eq 2 ] && printf '%s' "$out" | grep -qF "$d/missing.conf:0: cannot read"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL unreadable: $st $out"; fi
out=$("$BUILD/kiosk" --bogus 2>&1); st=$?
if [ $st -eq 2 ] && printf '%s' "$out" | grep -qF "unknown argument '--bogus'"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL bad-arg: $st $out"; fi
# A malformed script names its line and exits 1 before anything runs.
printf '[kiosk]\nstore = %s/k.db\nlog_file =\nsyslog = false\nassets = assets\n[pinpad]\ntransport = none\n' "$d" > "$d/ok.conf"
printf 'wait attract\ntap\n' > "$d/bad.script"
out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/ok.conf" --headless --script "$d/bad.script" 2>&1); st=$?
if [ $st -eq 1 ] && printf '%s' "$out" | grep -qF "script:2: missing argument to: tap"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL bad-script: $st $out"; fi
# A failing command: script:LINE: what was expected, what was seen.
printf 'wait attract\nexpect Нет такого текста\n' > "$d/fail.script"
out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/ok.conf" --headless --script "$d/fail.script" 2>&1); st=$?
if [ $st -eq 1 ] && printf '%s' "$out" | grep -qF "script:2: expected text 'Нет такого текста' on the screen, seen:"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL failing-command: $st $out"; fi
printf 'tap no_such_widget\n' > "$d/fail2.script"
out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/ok.conf" --headless --script "$d/fail2.script" 2>&1); st=$?
if [ $st -eq 1 ] && printf '%s' "$out" | grep -qF "script:1: expected widget 'no_such_widget' on screen 'attract', seen widgets:"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL missing-widget: $st $out"; fi
# The themes and strings load beside the window (ui/gfx.c): a missing one still stops the
# start with its path, exit 2, and no store is made.
mkdir -p "$d/assets/themes" && cp -r assets/strings "$d/assets/" && cp assets/themes/default.theme "$d/assets/themes/"
printf '[kiosk]\nstore = %s/t.db\nlog_file =\nsyslog = false\nassets = %s/assets\n[pinpad]\ntransport = none\n' "$d" "$d" > "$d/t.conf"
out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/t.conf" --headless --first-frame-exit 2>&1); st=$?
if [ $st -eq 2 ] && printf '%s' "$out" | grep -qF "$d/assets/themes/high-contrast.theme:0: cannot read" && [ ! -e "$d/t.db" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL missing-theme: $st $out"; fi
cp assets/themes/high-contrast.theme "$d/assets/themes/" && rm "$d/assets/strings/en.strings"
out=$(SDL_VIDEODRIVER=dummy "$BUILD/kiosk" --config "$d/t.conf" --headless --first-frame-exit 2>&1); st=$?
if [ $st -eq 2 ] && printf '%s' "$out" | grep -qF "$d/assets/strings/en.strings" && [ ! -e "$d/t.db" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL missing-strings: $st $out"; fi
rm -rf "$d"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
