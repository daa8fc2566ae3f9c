#!/bin/sh
# kiosk-tool queue and journal against a store filled through sqlite3: header, one
# tab-separated line per record, oldest first, ages in seconds; errors for a missing store
# and for a 0-byte (lost) one.
BUILD=${BUILD:-build}
tool="$BUILD/kiosk-tool"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# No store: refused, nothing created.
if "$tool" queue --store "$dir/none.db" 2>"$dir/err"; then ko "queue on a missing store succeeded"; else ok; fi
grep -q "no store at" "$dir/err" && ok || ko "missing-store message: $(cat "$dir/err")"
[ ! -e "$dir/none.db" ] && ok || ko "a store was created"
"$tool" queue --bogus 2>/dev/null; [ $? -eq 2 ] && ok || ko "bad argument not a usage error"

# A 0-byte store is a lost one: refused (exit 1, the reason), left as it was.
: > "$dir/lost.db"
if "$tool" queue --store "$dir/lost.db" >"$dir/out" 2>"$dir/err"; then ko "queue on a 0-byte store succeeded"; else
	[ $? -eq 1 ] && ok || ko "0-byte store: exit status not 1"; fi
grep -q "^kiosk-tool queue: $dir/lost.db: the store file is empty (0 bytes)" "$dir/err" && ok \
	|| ko "0-byte store message: $(cat "$dir/err")"
[ ! -s "$dir/lost.db" ] && [ ! -e "$dir/lost.db-wal" ] && ok || ko "the 0-byte store was rewritten"

# An empty store: headers only (the tool migrates a database with no tables first).
db="$dir/kiosk.db"
sqlite3 "$db" 'PRAGMA journal_mode = WAL;' >/dev/null
out=$("$tool" queue --store "$db") && [ "$out" = "$(printf 'kind\tseq\tage_s\tattempts')" ] && ok \
	|| ko "empty queue: $out"
out=$("$tool" journal --store "$db") && [ "$out" = "$(printf 'txn_id\tstate\ttotal_kop\tage_s')" ] && ok \
	|| ko "empty journal: $out"

now=$(($(date +%s) * 1000))
sqlite3 "$db" <<SQL
INSERT INTO journal(txn_id, state, total, created_ms, updated_ms) VALUES
 ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'AUTHORIZED', 523416, $now - 90000, $now),
 ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'CONFIRMED', 100, $now - 80000, $now),
 ('cccccccccccccccccccccccccccccccc', 'INTENT', 700, $now - 30000, $now),
 ('dddddddddddddddddddddddddddddddd', 'NEEDS_OPERATOR', 900, $now - 120000, $now);
INSERT INTO outbox(epoch, seq, idem_key, kind, body, chain_hash, created_ms, attempts)
 SELECT epoch, 1, randomblob(16), 'payment', '{}', zeroblob(32), $now - 65000, 3 FROM outbox_state;
INSERT INTO outbox(epoch, seq, idem_key, kind, body, chain_hash, created_ms, attempts, acked_at,
 disposition, server_ref)
 SELECT epoch, 2, randomblob(16), 'event', '{}', zeroblob(32), $now - 60000, 1, $now, 'created', 'L-1'
 FROM outbox_state;
INSERT INTO outbox(epoch, seq, idem_key, kind, body, chain_hash, created_ms)
 SELECT epoch, 3, randomblob(16), 'reading', '{}', zeroblob(32), $now - 5000 FROM outbox_state;
SQL

out=$("$tool" queue --store "$db")
echo "$out" | awk -F'\t' 'NR == 2 && $1 == "payment" && $2 == 1 && $3 >= 64 && $3 <= 70 && $4 == 3 { a = 1 }
	NR == 3 && $1 == "reading" && $2 == 3 && $3 >= 4 && $3 <= 10 && $4 == 0 { b = 1 }
	END { exit !(a && b && NR == 3) }' && ok || ko "queue output:
$out"

out=$("$tool" journal --store "$db")
echo "$out" | awk -F'\t' 'NR == 2 && $1 == "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" && $2 == "AUTHORIZED" && $3 == 523416 && $4 >= 89 { a = 1 }
	NR == 3 && $1 == "cccccccccccccccccccccccccccccccc" && $2 == "INTENT" && $3 == 700 { b = 1 }
	NR == 4 && $2 == "NEEDS_OPERATOR" && $3 == 900 && $4 >= 119 { c = 1 }
	END { exit !(a && b && c && NR == 4) }' && ok || ko "journal output:
$out"

# The store path from the configuration.
printf '[kiosk]\nstore = %s\n' "$db" > "$dir/kiosk.conf"
n=$("$tool" --config "$dir/kiosk.conf" queue | wc -l)
[ "$n" -eq 3 ] && ok || ko "queue via --config printed $n lines"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
