# `make run` opens a real window: the kiosk in windowed mode on an X server (Xvfb), driven
# by a short script, takes a screenshot that is the attract screen (not a blank frame).
# Twice: with the renderer SDL picks, and with SDL's software renderer, whose window
# surface the kiosk draws fills and text into itself (ui/soft.c) on a kiosk without a GPU.
BUILD=${BUILD:-build}
if ! command -v Xvfb >/dev/null; then echo "Xvfb not installed"; echo "0 passed, 1 failed"; exit 1; fi
d=$(mktemp -d)
disp=:$((90 + $$ % 100))
Xvfb "$disp" -screen 0 1280x1024x24 -nolisten tcp >"$d/xvfb.log" 2>&1 &
xp=$!
i=0; while [ $i -lt 50 ] && [ ! -e "/tmp/.X11-unix/X${disp#:}" ]; do sleep 0.1; i=$((i + 1)); done
printf '[kiosk]\nstore = %s/k.db\nlog_file = %s/k.log\nsyslog = false\nassets = assets\n[pinpad]\ntransport = none\n[printer]\ntransport = none\n' "$d" "$d" > "$d/k.conf"
printf 'wait attract\nexpect Оплатить квитанцию\nshot %s/win.png\ntap help\nwait help\n' "$d" > "$d/s.script"
pass=0; fail=0
for renderer in default software; do
	rm -f "$d/win.png" "$d/k.log"
	# X11's client libraries (libdbus, the GL loader) keep allocations LeakSanitizer reports
	# at exit; our own code's leaks are caught by every headless run.
	if [ $renderer = software ]; then export SDL_RENDER_DRIVER=software; fi
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 DISPLAY=$disp SDL_VIDEODRIVER=x11 "$BUILD/kiosk" --config "$d/k.conf" --windowed --script "$d/s.script"
	rc=$?
	unset SDL_RENDER_DRIVER
	if [ $rc -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the windowed kiosk ($renderer renderer) exited $rc"; fi
	# A PNG of a scaled window (the 1080x1920 screen fitted into 1280x1024), not a blank one.
	if [ -s "$d/win.png" ] && [ "$(od -An -tx1 -N8 "$d/win.png" | tr -d ' ')" = "89504e470d0a1a0a" ] &&
	   [ "$(stat -c %s "$d/win.png")" -gt 20000 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: no real screenshot ($renderer renderer)"; fi
	grep -q "event=started" "$d/k.log" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: no start in the log ($renderer renderer)"; }
	if [ $renderer = software ]; then
		grep -q "event=renderer name=software .* direct=1" "$d/k.log" && pass=$((pass + 1)) ||
			{ fail=$((fail + 1)); echo "FAIL: the software renderer did not draw directly: $(grep event=renderer "$d/k.log")"; }
	fi
done
kill $xp 2>/dev/null; wait $xp 2>/dev/null
rm -rf "$d"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
