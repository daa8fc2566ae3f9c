# kiosk-tool doctor on a throwaway installation: a sound one passes (exit 0); a broken one
# (world-readable key, missing CA, absent USB device, and more) names each problem, with a
# fix, and exits 1.  kiosk-tool udev-rules for the configured devices.
BUILD=${BUILD:-build}
TOOL=$BUILD/kiosk-tool
pass=0; fail=0
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# has OUTPUT REGEX: a line of the output matches (grep -E)
has() { if printf '%s\n' "$1" | grep -qE "$2"; then ok; else bad "no line /$2/ in:"; printf '%s\n' "$1" | sed 's/^/    /'; fi; }

umask 077
mkdir -p "$d/etc" "$d/lib" "$d/receipts"
q() { "$@" > "$d/openssl.log" 2>&1 || { echo "openssl failed: $*"; cat "$d/openssl.log"; exit 1; }; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/etc/ca.key" -out "$d/etc/center-ca.pem" -days 30 -subj "/CN=Test center CA"
q openssl req -newkey rsa:2048 -nodes -keyout "$d/etc/client.key" -out "$d/client.csr" -subj "/CN=K0042"
q openssl x509 -req -in "$d/client.csr" -CA "$d/etc/center-ca.pem" -CAkey "$d/etc/ca.key" -CAcreateserial -days 365 -out "$d/etc/client.pem"
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/etc/other.key"
openssl rand -hex 32 > "$d/etc/hmac.key"
pin=$(openssl x509 -in "$d/etc/center-ca.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
: > "$d/lib/kiosk.db"
chmod 600 "$d/etc/"*.key "$d/lib/kiosk.db"
chmod 700 "$d/lib"

# The loader refuses a key given twice, so an extra line replaces the base line of its key:
# the last line of each section.key is kept, the earlier ones dropped.
last_wins() {
	awk '/^\[/ { sec = $0 } /^[a-z_]+ *=/ { k = sec $1 } { line[NR] = $0; key[NR] = k; last[k] = NR; k = "" }
	     END { for (i = 1; i <= NR; i++) if (key[i] == "" || last[key[i]] == i) print line[i] }'
}
conf() { # extra lines; a key in them replaces the base one
	last_wins <<CONF
[kiosk]
id = K0042
store = $d/lib/kiosk.db
log_file =
syslog = false
[pinpad]
transport = tcp
address = 127.0.0.1:7001
[printer]
transport = file
address = $d/receipts
[scanner]
transport = tty
address = /dev/null
[center]
url = https://center.example:8443/kiosk/v1
ca = $d/etc/center-ca.pem
cert = $d/etc/client.pem
key = $d/etc/client.key
hmac_key = $d/etc/hmac.key
device_id = K0042
pins = sha256//$pin;sha256//$pin
$1
CONF
}

# ---- a sound installation
conf "" > "$d/good.conf"
out=$("$TOOL" --config "$d/good.conf" doctor 2>&1); st=$?
if [ $st -eq 0 ]; then ok; else bad "good config: status $st"; fi
has "$out" "^ok    config +$d/good.conf loads$"
has "$out" "^ok    store-dir +$d/lib mode 0700$"
has "$out" "^ok    store +$d/lib/kiosk.db mode 0600"
has "$out" "^ok    center.key +$d/etc/client.key mode 0600"
has "$out" "^ok    center.hmac_key +$d/etc/hmac.key mode 0600"
has "$out" "^ok    center.ca +$d/etc/center-ca.pem: 1 certificate$"
has "$out" "^ok    center.cert +$d/etc/client.pem \(CN K0042\) valid, expires in 36[45] days$"
has "$out" "^ok    center.key +matches the client certificate$"
has "$out" "^ok    center.pins +2 pins$"
has "$out" "^ok    libcurl +libcurl.so.4 loads$"
has "$out" "^ok    link +.*/kiosk-link$"
has "$out" "^ok    pinpad +tcp 127.0.0.1:7001 \(not probed: network\)$"
has "$out" "^ok    printer +file: receipts written to $d/receipts$"
has "$out" "^ok    scanner +tty /dev/null present$"
has "$out" "^(ok  |warn)  clock +20[0-9][0-9]-"
has "$out" "^(ok  |warn)  disk +[0-9]+ MB free"
has "$out" "^ok    kiosk.timezone +Europe/Moscow: [0-3][0-9]\.[01][0-9]\.20[0-9][0-9] [0-2][0-9]:[0-5][0-9] local time$"
has "$out" "^doctor: [0-9]+ ok, [0-9]+ warn, 0 FAIL$"
# Every check line has the documented shape.
shape=$(printf '%s\n' "$out" | grep -vE '^doctor: ' | grep -vE '^(ok  |warn|FAIL)  [a-z._-]+ +[^ ].*$')
if [ -z "$shape" ]; then ok; else bad "lines not 'level  check  detail': $shape"; fi
# No secret reaches the output.
if printf '%s' "$out" | grep -qF "$(cat "$d/etc/hmac.key")"; then bad "hmac key printed"; else ok; fi

# ---- a broken one
chmod 644 "$d/etc/client.key"
chmod 644 "$d/lib/kiosk.db"
conf "ca = $d/etc/missing-ca.pem
[printer]
transport = usb
address = 1234:5678
[scanner]
address = $d
[kiosk]
timezone = Mars/Olympus" > "$d/bad.conf"
out=$("$TOOL" --config "$d/bad.conf" doctor 2>&1); st=$?
if [ $st -eq 1 ]; then ok; else bad "broken config: status $st, expected 1"; fi
# libcurl is loaded at the first billing-center client: doctor says when it is not there.
mkdir "$d/nolib" && : > "$d/nolib/libcurl.so.4"
nolib=$(LD_LIBRARY_PATH=$d/nolib "$TOOL" --config "$d/good.conf" doctor 2>&1)
has "$nolib" "^FAIL  libcurl +cannot load libcurl.so.4: .*  fix: apt install libcurl4$"
# The kiosk's network process belongs beside it (or in ../lib/kiosk): a kiosk-tool alone says so.
mkdir "$d/alone" && cp "$TOOL" "$d/alone/kiosk-tool"
alone=$("$d/alone/kiosk-tool" --config "$d/good.conf" doctor 2>&1)
has "$alone" "^FAIL  link +center: kiosk-link is neither in $d/alone nor in $d/alone/../lib/kiosk  fix: make install puts it in LIBDIR/kiosk/$"
has "$out" "^FAIL  center.key +$d/etc/client.key has mode 0644: a secret must be 0600  fix: chmod 600 $d/etc/client.key$"
has "$out" "^FAIL  center.ca +$d/etc/missing-ca.pem: No such file or directory  fix: install"
has "$out" "^FAIL  printer +USB device 1234:5678 not present  fix: plug it in .*printer.address"
has "$out" "^FAIL  store +$d/lib/kiosk.db has mode 0644.*fix: chmod 600 $d/lib/kiosk.db$"
has "$out" "^FAIL  scanner +tty $d is not a character device  fix: "
has "$out" "^FAIL  kiosk.timezone +unknown time zone 'Mars/Olympus' .*  fix: install tzdata"
has "$out" "^doctor: [0-9]+ ok, [0-9]+ warn, 6 FAIL$"
chmod 600 "$d/etc/client.key" "$d/lib/kiosk.db"

# ---- a key that is not the certificate's, a CN that is not the device id, a bad hmac key
printf 'not hex\n' > "$d/etc/bad-hmac.key"; chmod 600 "$d/etc/bad-hmac.key"
conf "key = $d/etc/other.key
hmac_key = $d/etc/bad-hmac.key
device_id = K0001
pins = sha256//$pin" > "$d/mismatch.conf"
out=$("$TOOL" --config "$d/mismatch.conf" doctor 2>&1); st=$?
if [ $st -eq 1 ]; then ok; else bad "mismatch: status $st"; fi
has "$out" "^FAIL  center.key +$d/etc/other.key does not match $d/etc/client.pem"
has "$out" "^FAIL  center.hmac_key +$d/etc/bad-hmac.key does not hold 64 hex digits"
has "$out" "^warn  center.device_id +'K0001' differs from the certificate's CN 'K0042'"
has "$out" "^warn  center.pins +1 pin \(no backup\)"

# ---- a configuration that does not load stops at the first check
printf '[pinpad]\ntransport = carrier-pigeon\n' > "$d/broken.conf"
out=$("$TOOL" --config "$d/broken.conf" doctor 2>&1); st=$?
if [ $st -eq 1 ]; then ok; else bad "unloadable: status $st"; fi
has "$out" "^FAIL  config +$d/broken.conf:2: pinpad.transport must be one of tcp\|tty\|usb\|none, not 'carrier-pigeon'  fix: "
# A malformed pin no longer loads (the loader refuses it before doctor's own pin check).
conf "pins = sha256//tooshort" > "$d/badpin.conf"
out=$("$TOOL" --config "$d/badpin.conf" doctor 2>&1); st=$?
if [ $st -eq 1 ]; then ok; else bad "bad pin: status $st"; fi
has "$out" "^FAIL  config +$d/badpin.conf:[0-9]+: center.pins: pin 1 'sha256//tooshort' is not sha256// and the 44 base64 characters of a 32-byte digest  fix: "
out=$("$TOOL" --config "$d/none.conf" doctor 2>&1); st=$?
if [ $st -eq 1 ]; then ok; else bad "missing config: status $st"; fi
has "$out" "^FAIL  config +$d/none.conf:0: cannot read"

# ---- udev-rules for the configured USB devices
out=$("$TOOL" --config "$d/bad.conf" udev-rules 2>&1); st=$?
if [ $st -eq 0 ]; then ok; else bad "udev-rules: status $st"; fi
has "$out" '^SUBSYSTEM=="usb", ENV\{DEVTYPE\}=="usb_device", ATTR\{idVendor\}=="1234", ATTR\{idProduct\}=="5678", GROUP="kiosk", MODE="0660", SYMLINK\+="receipt-printer"$'
has "$out" '^# pinpad: transport tcp needs no device rule$'
has "$out" '^ACTION=="remove", GOTO="kiosk_end"$'
has "$out" '^LABEL="kiosk_end"$'
conf "[pinpad]
transport = usb
address = 1D6B:0104
[scanner]
transport = hidpos
address = 05e0:1200" > "$d/usb.conf"
out=$("$TOOL" --config "$d/usb.conf" udev-rules 2>&1)
has "$out" 'ATTR\{idVendor\}=="1d6b", ATTR\{idProduct\}=="0104", GROUP="kiosk", MODE="0660", SYMLINK\+="pinpad"$'
has "$out" 'ATTR\{idVendor\}=="05e0", ATTR\{idProduct\}=="1200", GROUP="kiosk", MODE="0660", SYMLINK\+="scanner"$'
conf "[pinpad]
transport = usb
address = 1d6b0104" > "$d/badid.conf"
out=$("$TOOL" --config "$d/badid.conf" udev-rules 2>&1); st=$?
if [ $st -eq 1 ]; then ok; else bad "bad VID:PID: status $st"; fi
has "$out" "pinpad.address '1d6b0104' is not VID:PID"
out=$("$TOOL" --config "$d/badid.conf" doctor 2>&1)
has "$out" "^FAIL  pinpad +usb address '1d6b0104' is not VID:PID  fix: "

conf "[pinpad]
transport = tty
address = /dev/null" > "$d/tty.conf"
out=$("$TOOL" --config "$d/tty.conf" udev-rules 2>&1)
has "$out" "^# pinpad: tty /dev/null is not a USB serial device present now: no rule$"

# ---- a present USB device, in a umockdev testbed (a fake /sys with one PIN-pad)
if command -v umockdev-run >/dev/null; then
	cat > "$d/pinpad.umockdev" <<'DEV'
P: /devices/pci0000:00/0000:00:14.0/usb1/1-1
N: bus/usb/001/002
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
A: idVendor=1d6b
A: idProduct=0104
A: busnum=1
A: devnum=2
DEV
	conf "[pinpad]
transport = usb
address = 1d6b:0104
[printer]
transport = usb
address = 1d6b:0105" > "$d/present.conf"
	# The sanitized build must tolerate the preload library coming before ASan's runtime.
	out=$(ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" timeout 60 \
		umockdev-run --device "$d/pinpad.umockdev" -- "$TOOL" --config "$d/present.conf" doctor 2>&1)
	has "$out" "^ok    pinpad +USB device 1d6b:0104 present at 1-1$"
	has "$out" "^FAIL  printer +USB device 1d6b:0105 not present"
else
	echo "skip umockdev-run not installed: present-device case not run"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
