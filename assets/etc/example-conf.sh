#!/bin/sh
# Prints the example kiosk.conf: every key of `kiosk-tool config-doc` (the one table in
# kiosk/conf/config.c) under its section with its meaning and default, commented out unless
# kiosk.conf.notes sets it.  Usage: example-conf.sh KIOSK-TOOL NOTES
set -eu
tool=$1 notes=$2
cat <<'HEAD'
# /etc/kiosk/kiosk.conf: the payment kiosk's configuration (kiosk(8), docs/config.md).
# INI: [section] then `key = value`; lines starting with # or ; are comments.  Every key is
# listed below with its meaning and default; a commented-out key keeps its default.  An
# unknown key or a bad value stops the kiosk with file:line (exit 2): check a change with
#   kiosk-tool --config /etc/kiosk/kiosk.conf config
#   kiosk-tool --config /etc/kiosk/kiosk.conf doctor
# Secrets never go in this file: only the paths of the files holding them (mode 0600).
HEAD
"$tool" config-doc | awk -v notes="$notes" '
BEGIN {
	while ((getline line < notes) > 0) {
		if (line ~ /^(set|note) /) {
			split(line, w, " ")
			rest = substr(line, length(w[1]) + length(w[2]) + 3)
			if (w[1] == "set") set[w[2]] = rest
			else note[w[2]] = note[w[2]] "# " rest "\n"
		}
	}
}
/^\| `[a-z_]+\.[a-z_]+` \| / {
	n = split($0, c, / \| /)
	key = c[1]; sub(/^\| `/, "", key); sub(/`$/, "", key)
	def = c[2]; meaning = c[3]
	for (i = 4; i <= n; i++) meaning = meaning " | " c[i]
	sub(/ \|$/, "", meaning); gsub(/`/, "", meaning)
	if (def == "(none)") def = ""; else { sub(/^`/, "", def); sub(/`$/, "", def) }
	sec = key; sub(/\..*/, "", sec); k = key; sub(/^[a-z_]+\./, "", k)
	if (sec != last) { printf "\n[%s]\n", sec; last = sec }
	printf "# %s%s\n", meaning, def == "" ? "" : "  Default: " def
	printf "%s", note[key]
	if (key in set) printf "%s = %s\n", k, set[key]
	else if (def == "") printf "#%s =\n", k
	else printf "#%s = %s\n", k, def
	seen[key] = 1
}
END {
	for (key in set) if (!(key in seen)) { print "example-conf.sh: no key " key > "/dev/stderr"; exit 1 }
	for (key in note) if (!(key in seen)) { print "example-conf.sh: no key " key > "/dev/stderr"; exit 1 }
}'
