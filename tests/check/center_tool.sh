#!/bin/sh
# kiosk-tool center-status against build/billing-center: online with the right pins, a pin
# mismatch when the center serves the alternative key, offline when nothing listens; and
# kiosk-tool sync-now delivering a store's outbox (then failing cleanly with nothing listening).
BUILD=${BUILD:-build}
C=$BUILD/certs
tmp=$(mktemp -d)
pass=0 fail=0
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
check() { # name expected-regex output
	if printf '%s\n' "$3" | grep -Eq "$2"; then pass=$((pass + 1)); echo "ok   $1"
	else fail=$((fail + 1)); echo "FAIL $1: $3"; fi
}
start() { # extra args
	"$BUILD/billing-center" --listen 127.0.0.1:0 --db "$tmp/center.db" --certs-dir "$C" "$@" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 50); do grep -q listening "$tmp/out" && break; sleep 0.1; done
	port=$(sed -n 's/^listening 127.0.0.1://p' "$tmp/out")
	cat >"$tmp/kiosk.conf" <<CONF
[center]
url = https://127.0.0.1:$port
ca = $C/center-ca.pem
pins = $(cat $C/pins)
cert = $C/client.pem
key = $C/client.key
hmac_key = $C/hmac-K0001.key
key_id = k1
device_id = K0001
CONF
}
stop() { kill $pid; wait $pid 2>/dev/null; }
# An outbox record written the way outbox_add writes it (the shell has no C API): next seq of
# the current epoch, chain_hash = SHA-256(previous chain hash or 32 zero bytes || body).
add_event() { # body
	db=$tmp/kiosk.db
	sqlite3 "$db" "SELECT writefile('$tmp/chain.in', coalesce((SELECT chain_hash FROM outbox WHERE
		epoch = (SELECT epoch FROM outbox_state) ORDER BY seq DESC LIMIT 1), zeroblob(32))
		|| CAST('$1' AS BLOB))" >/dev/null
	h=$(openssl dgst -sha256 -r "$tmp/chain.in" | cut -c1-64)
	sqlite3 "$db" "INSERT INTO outbox(epoch, seq, idem_key, kind, body, chain_hash, created_ms)
		SELECT epoch, (SELECT coalesce(max(seq), 0) + 1 FROM outbox o WHERE o.epoch = s.epoch),
		randomblob(16), 'event', CAST('$1' AS BLOB), x'$h', strftime('%s', 'now') * 1000
		FROM outbox_state s"
}

start
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status); rc=$?
check "online" "^center=https://127.0.0.1:$port state=online status=ok offset_ms=-?[0-9]+ latency_ms=[0-9]+ epochs=0$" "$out"
check "online exit 0" "^0$" "$rc"
printf '[kiosk]\nstore = %s\n' "$tmp/kiosk.db" >>"$tmp/kiosk.conf"
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" sync-now); rc=$?
check "sync-now, empty store" "^synced batches=0 created=0 duplicate=0 conflict=0 rejected=0 pending=0$" "$out"
add_event '{"event":"door_open"}'
add_event '{"event":"door_closed"}'
check "queue before sync-now: 2 records" "^2$" "$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" queue | grep -c "^event	")"
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" sync-now); rc=$?
check "sync-now delivers" "^synced batches=1 created=2 duplicate=0 conflict=0 rejected=0 pending=0$" "$out"
check "sync-now exit 0" "^0$" "$rc"
check "the center's ledger holds both" "^2$" "$(sqlite3 "$tmp/center.db" "SELECT count(*) FROM ledger WHERE kind='event'")"
check "queue after sync-now: empty" "^0$" "$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" queue | grep -c "^event	")"
stop
add_event '{"event":"power_loss"}'
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" sync-now); rc=$?
check "sync-now, nothing listening" "^not synced: network batches=0 created=0 duplicate=0 conflict=0 rejected=0 pending=1$" "$out"
check "sync-now, nothing listening: exit 1" "^1$" "$rc"
start --server-key-alt
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status); rc=$?
check "pin mismatch" "state=offline error=pin_mismatch curl=90 http=0" "$out"
check "pin mismatch exit 1" "^1$" "$rc"
stop
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status); rc=$?
check "nothing listening" "state=offline error=network curl=7 http=0" "$out"
# libcurl is loaded when the first client is made, not at exec (offline/curl_lib.h): the
# programs do not need it, and a libcurl without its functions is a clear error, exit 2.
for p in kiosk kiosk-tool; do
	check "$p: libcurl not needed at exec" "^0$" "$(readelf -d "$BUILD/$p" | grep -c 'NEEDED.*libcurl')"
done
mkdir "$tmp/lib" && cp "$(ldconfig -p | sed -n 's/.*libz.so.1 (libc6,x86-64) => //p' | head -n 1)" "$tmp/lib/libcurl.so.4"
out=$(LD_LIBRARY_PATH=$tmp/lib "$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status 2>&1); rc=$?
check "a libcurl without curl_global_init" "^kiosk-tool: libcurl.so.4 has no curl_global_init$" "$(printf '%s\n' "$out" | tail -n 1)"
check "a libcurl without curl_global_init: exit 2" "^2$" "$rc"
: >"$tmp/lib/libcurl.so.4"
out=$(LD_LIBRARY_PATH=$tmp/lib "$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status 2>&1); rc=$?
check "an empty libcurl file" "^kiosk-tool: cannot load libcurl.so.4: " "$(printf '%s\n' "$out" | tail -n 1)"
check "an empty libcurl file: exit 2" "^2$" "$rc"
# libcrypto too is loaded as the kiosk's services start, after its first frame
# (offline/crypto_lib.h; exec_libs.sh checks it is not listed at exec): one without its
# functions stops the start with a clear error, exit 2, before the store is touched.
cp "$(ldconfig -p | sed -n 's/.*libz.so.1 (libc6,x86-64) => //p' | head -n 1)" "$tmp/lib/libcrypto.so.3"
printf '[kiosk]\nstore = %s/k.db\nlog_file =\nsyslog = false\nassets = assets\n[pinpad]\ntransport = none\n[printer]\ntransport = none\n' "$tmp" >"$tmp/k.conf"
out=$(LD_LIBRARY_PATH=$tmp/lib "$BUILD/kiosk" --config "$tmp/k.conf" --headless --first-frame-exit 2>&1); rc=$?
check "a libcrypto without EVP_sha256" "^kiosk: libcrypto.so.3 has no EVP_sha256$" "$(printf '%s\n' "$out" | tail -n 1)"
check "a libcrypto without EVP_sha256: exit 2" "^2$" "$rc"
check "a libcrypto without EVP_sha256: no store made" "^absent$" "$([ -e "$tmp/k.db" ] && echo present || echo absent)"
check "a libcrypto without EVP_sha256: the first frame came first" "^first_frame_us [0-9]" "$(printf '%s\n' "$out" | grep first_frame_us)"
sed -i 's/^hmac_key = .*/hmac_key = \/nonexistent/' "$tmp/kiosk.conf"
"$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status >/dev/null 2>&1; rc=$?
check "bad key file: exit 2" "^2$" "$rc"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
