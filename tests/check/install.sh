# make install into a staging root: the tree and its modes, placeholders filled in, the
# example configuration loads and documents every key, the unit verifies, the sysusers and
# tmpfiles snippets apply, the man pages render cleanly, an edited config survives reinstall.
BUILD=${BUILD:-build}
pass=0; fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { echo "skip $*"; }

if PREFIX=/usr DESTDIR="$t/root" BUILD="$BUILD" sh assets/install.sh > "$t/install.log" 2>&1; then ok
else bad "install.sh: $(cat "$t/install.log")"; fi
R=$t/root

# mode path
while read -r mode path; do
	if [ ! -e "$R$path" ]; then bad "missing $path"; continue; fi
	m=$(stat -c %a "$R$path")
	if [ "$m" = "$mode" ]; then ok; else bad "$path has mode $m, expected $mode"; fi
done <<'LIST'
755 /usr/bin/kiosk
755 /usr/bin/kiosk-tool
755 /usr/lib/kiosk/kiosk-link
644 /usr/share/kiosk/strings/ru.strings
644 /usr/share/kiosk/strings/en.strings
644 /usr/share/kiosk/themes/default.theme
644 /usr/share/kiosk/themes/high-contrast.theme
644 /usr/share/man/man8/kiosk.8
644 /usr/share/man/man8/kiosk-tool.8
644 /usr/lib/systemd/system/kiosk.service
644 /usr/lib/sysusers.d/kiosk.conf
644 /usr/lib/tmpfiles.d/kiosk.conf
750 /etc/kiosk
640 /etc/kiosk/kiosk.conf
644 /etc/udev/rules.d/70-kiosk.rules
644 /etc/pam.d/kiosk
644 /etc/logrotate.d/kiosk
LIST

left=$(grep -rl '@BINDIR@\|@DATADIR@\|@LIBDIR@\|@VERSION@' "$R" 2>/dev/null)
if [ -z "$left" ]; then ok; else bad "placeholders left in: $left"; fi
if grep -q '^ExecStart=/usr/bin/cage -d -- /usr/bin/kiosk --config /etc/kiosk/kiosk.conf$' "$R/usr/lib/systemd/system/kiosk.service"; then ok
else bad "ExecStart: $(grep ExecStart "$R/usr/lib/systemd/system/kiosk.service")"; fi
for k in Type=notify WatchdogSec=30 Restart=on-failure User=kiosk NotifyAccess=all; do
	if grep -qx "$k" "$R/usr/lib/systemd/system/kiosk.service"; then ok; else bad "unit lacks $k"; fi
done

# The installed example loads with the installed tool, with the installed paths in it.
if out=$("$R/usr/bin/kiosk-tool" --config "$R/etc/kiosk/kiosk.conf" config 2>&1); then ok
else bad "example config does not load: $out"; fi
for want in "kiosk.assets = /usr/share/kiosk" "pinpad.transport = usb" "pinpad.address = 1d6b:0104" \
	    "printer.address = 0416:5011" "scanner.address = 05e0:1200"; do
	if printf '%s\n' "$out" | grep -qxF "$want"; then ok; else bad "config lacks '$want'"; fi
done
# Every key of the table appears (set or commented out) under its section.
missing=""
for key in $("$BUILD/kiosk-tool" config-doc | sed -n 's/^| `\([a-z_]*\.[a-z_]*\)`.*/\1/p'); do
	sec=${key%%.*}; k=${key#*.}
	awk -v s="[$sec]" -v k="$k" '$0 == s { in_s = 1; next } /^\[/ { in_s = 0 }
		in_s && ($0 ~ "^#?" k " =") { found = 1 } END { exit !found }' "$R/etc/kiosk/kiosk.conf" ||
		missing="$missing $key"
done
if [ -z "$missing" ]; then ok; else bad "example config does not document:$missing"; fi
# The udev rules' example VID:PIDs are the configuration's.
for id in 'ATTR{idVendor}=="1d6b", ATTR{idProduct}=="0104".*SYMLINK+="pinpad"' \
	  'ATTR{idVendor}=="0416", ATTR{idProduct}=="5011".*SYMLINK+="receipt-printer"' \
	  'ATTR{idVendor}=="05e0", ATTR{idProduct}=="1200".*SYMLINK+="scanner"'; do
	if grep -q "^SUBSYSTEM==\"usb\", .*$id" "$R/etc/udev/rules.d/70-kiosk.rules"; then ok; else bad "rules lack $id"; fi
done
# kiosk-tool udev-rules prints the same rule for the installed configuration.
gen=$("$R/usr/bin/kiosk-tool" --config "$R/etc/kiosk/kiosk.conf" udev-rules)
rule=$(grep '^SUBSYSTEM=="usb".*"pinpad"$' "$R/etc/udev/rules.d/70-kiosk.rules")
if printf '%s\n' "$gen" | grep -qxF "$rule"; then ok; else bad "udev-rules output differs: $gen"; fi

# Unit: systemd-analyze verify needs the binaries to exist, so a copy points cage and the
# kiosk into the staging root.  Warnings (unknown keys) are failures too.
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$t/unit" && printf '#!/bin/sh\n' > "$t/cage" && chmod 755 "$t/cage"
	sed -e "s|/usr/bin/cage|$t/cage|" -e "s| /usr/bin/kiosk | $R/usr/bin/kiosk |" \
		"$R/usr/lib/systemd/system/kiosk.service" > "$t/unit/kiosk.service"
	if v=$(systemd-analyze verify --man=no "$t/unit/kiosk.service" 2>&1) && [ -z "$v" ]; then ok
	else bad "systemd-analyze verify: $v"; fi
	if command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
		mkdir -p "$t/sys/etc" && echo 'adm:x:4:' > "$t/sys/etc/group"
		if v=$(systemd-sysusers --root="$t/sys" "$R/usr/lib/sysusers.d/kiosk.conf" 2>&1) &&
		   grep -q '^kiosk:x:[0-9]*:[0-9]*:Payment kiosk:/var/lib/kiosk:/usr/sbin/nologin$' "$t/sys/etc/passwd"; then ok
		else bad "sysusers: $v"; fi
		if v=$(systemd-tmpfiles --root="$t/sys" --create "$R/usr/lib/tmpfiles.d/kiosk.conf" 2>&1) &&
		   [ "$(stat -c %a "$t/sys/var/lib/kiosk")" = 700 ] && [ "$(stat -c %a "$t/sys/var/log/kiosk")" = 750 ]; then ok
		else bad "tmpfiles: $v"; fi
	fi
else
	skip "systemd-analyze not installed: unit not verified"
fi

# The installed kiosk-tool finds the installed kiosk-link, as the kiosk will.
if "$R/usr/bin/kiosk-tool" --config "$R/etc/kiosk/kiosk.conf" doctor 2>&1 | grep -q "^ok    link .*$R/usr/bin/../lib/kiosk/kiosk-link$"; then ok
else bad "doctor does not find the installed kiosk-link: $("$R/usr/bin/kiosk-tool" --config "$R/etc/kiosk/kiosk.conf" doctor 2>&1 | grep link)"; fi

# Man pages: no groff warnings, and they render with their names.
if command -v groff >/dev/null; then
	for m in kiosk kiosk-tool; do
		w=$(groff -man -Tutf8 -ww -z "$R/usr/share/man/man8/$m.8" 2>&1)
		if [ -z "$w" ]; then ok; else bad "groff warnings in $m.8: $w"; fi
		txt=$(MANWIDTH=80 man -l "$R/usr/share/man/man8/$m.8" 2>/dev/null | col -b 2>/dev/null)
		if printf '%s' "$txt" | grep -q "^NAME" && printf '%s' "$txt" | grep -q "$m - "; then ok
		else bad "man -l $m.8 does not render"; fi
	done
else
	skip "groff not installed: man pages not rendered"
fi
if grep -q 'udev\\-rules' "$R/usr/share/man/man8/kiosk-tool.8" && grep -q '^\.B doctor' "$R/usr/share/man/man8/kiosk-tool.8"; then ok
else bad "kiosk-tool.8 lacks doctor/udev-rules"; fi

# Reinstall over an edited configuration keeps it and puts the new one beside it.
echo '# edited on site' >> "$R/etc/kiosk/kiosk.conf"
PREFIX=/usr DESTDIR="$R" BUILD="$BUILD" sh assets/install.sh > "$t/install2.log" 2>&1
if tail -n 1 "$R/etc/kiosk/kiosk.conf" | grep -q 'edited on site' && [ -f "$R/etc/kiosk/kiosk.conf.new" ] &&
   [ "$(stat -c %a "$R/etc/kiosk/kiosk.conf.new")" = 640 ]; then ok
else bad "reinstall replaced the edited configuration"; fi
if [ ! -e "$R/etc/udev/rules.d/70-kiosk.rules.new" ]; then ok; else bad "unchanged rules got a .new"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
