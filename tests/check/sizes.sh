#!/bin/sh
# Small enough to read: every .c and .h under kiosk/ ui/ drivers/ offline/ tests/ is at most
# 600 lines and every function in them at most 100 (a file or a function past that is
# doing more than one job; split it along a seam).  tests/fuzz/corpus and build/ folders are
# not source.
#
# A function is found the way the code style writes one: a signature that starts at column 0
# (return type, `static` and name on one line or several), its `{` at the end of a signature
# line or alone at column 0, and its end the next `}` at column 0.  Its size counts from the
# signature's first line to that `}`.  Comments, string literals and preprocessor lines
# (with their continuations) are not code here; a declaration with `=` before its `{` is
# data (an initializer), one without `(` a type.
#
# Prints every offender as
#   sizes: FILE: N lines (at most 600)
#   sizes: FILE:LINE NAME: N lines (at most 100)
# then one line with the counts checked and the largest file and function; exit 1 on any
# offender.  Before that it runs the scanner on made-up files of known sizes and exits 2
# when it does not report exactly them (a check that cannot fail checks nothing).
cd "$(dirname "$0")/../.." || exit 2
MAX_FILE=600
MAX_FN=100

# The scanner: reads C files, prints "file FILE N" for each and "fn FILE LINE NAME N" for
# each function.
scan='
function strip(s,    out, i, c, n, q) {
	# Drop comments and the contents of string and character literals.  Only a line with
	# something to drop is walked character by character.
	if (!incomment && s !~ /\/[*\/]|["\047]/)
		return s
	out = ""; n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (incomment) {
			if (c == "*" && substr(s, i + 1, 1) == "/") { incomment = 0; i++ }
			continue
		}
		if (c == "/" && substr(s, i + 1, 1) == "*") { incomment = 1; i++; out = out " "; continue }
		if (c == "/" && substr(s, i + 1, 1) == "/") break
		if (c == "\"" || c == "\047") {
			q = c; out = out q
			for (i++; i <= n; i++) {
				c = substr(s, i, 1)
				if (c == "\\") { i++; continue }
				if (c == q) break
			}
			out = out q
			continue
		}
		out = out c
	}
	return out
}
function fn_name(sig,    p, head) {
	p = index(sig, "(")
	head = substr(sig, 1, p - 1)
	sub(/[ \t]+$/, "", head)
	if (match(head, /[A-Za-z_][A-Za-z_0-9]*$/))
		return substr(head, RSTART, RLENGTH)
	return "?"
}
function is_signature(sig) {
	return index(sig, "(") && sig !~ /=/ && sig !~ /^(typedef|struct|union|enum)[ \t]/ ||
		index(sig, "(") && sig ~ /^(struct|union|enum)[ \t][^(]*[ \t*][A-Za-z_][A-Za-z_0-9]*[ \t]*\(/ && sig !~ /=/
}
function end_file() {
	if (fname != "") print "file", fname, nlines
	fname = ""
}
FNR == 1 {
	end_file()
	fname = FILENAME; incomment = 0; inmacro = 0; infn = 0; sig = ""; nlines = 0
}
{
	nlines = FNR
	raw = $0
	if (inmacro) { inmacro = (raw ~ /\\$/); next }
	line = strip(raw)
	if (line ~ /^[ \t]*#/) { inmacro = (raw ~ /\\$/); next }
	if (infn) {
		if (line ~ /^}/) { print "fn", fname, start, name, FNR - start + 1; infn = 0 }
		next
	}
	if (line ~ /^[ \t]*$/) { sig = ""; next }
	if (sig == "") {
		if (line !~ /^[A-Za-z_]/) next      # indented, or a column-0 brace of data
		sig = line; start = FNR
	} else if (line ~ /^{[ \t]*$/) {
		if (is_signature(sig)) { infn = 1; name = fn_name(sig) }
		sig = ""
		next
	} else {
		sig = sig " " line
	}
	if (sig ~ /{[ \t]*$/) {
		if (is_signature(sig) && sig !~ /}/) { infn = 1; name = fn_name(sig) }
		sig = ""
	} else if (sig ~ /[;}][ \t]*$/) {
		sig = ""
	}
}
END { end_file() }
'

# The verdict on the scanner's output: offenders, then the summary.
judge='
$1 == "file" {
	nf++
	if ($3 > bigf) { bigf = $3; bigfn = $2 }
	if ($3 > maxfile) { print "sizes: " $2 ": " $3 " lines (at most " maxfile ")"; bad++ }
}
$1 == "fn" {
	nfn++
	if ($5 > bigg) { bigg = $5; biggn = $2 ":" $3 " " $4 }
	if ($5 > maxfn) { print "sizes: " $2 ":" $3 " " $4 ": " $5 " lines (at most " maxfn ")"; bad++ }
}
END {
	printf "sizes: %d files, %d functions checked; the largest file %s (%d lines), function %s (%d lines); %d over the limits\n",
		nf, nfn, bigfn, bigf, biggn, bigg, bad + 0
	exit bad > 0
}'

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# The self-test: made-up sources in every style the scanner must read, and what it must say.
body() { # N: N indented statement lines
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) print "\tx += " i "; /* } */" }'
}
{
	printf '/* A header comment\n}\n{\n */\n#define TWICE(x) \\\n\tdo { \\\n} while (0)\n'
	printf 'static const int table[] = {\n{ 1 },\n};\n'          # lines 8-10: data
	printf 'struct pair {\n\tint (*cb)(void);\n};\n'              # 11-13: a type
	printf 'static int\nlong_fn(int a,\n        int b)\n{\n'      # 14-17
	body 96; printf '}\n'                                          # 18-114: 101 lines
	printf 'static gboolean on_cb (GObject *o, gpointer unused) {\n' # 115
	body 98; printf '}\n'                                          # 116-214: 100 lines
	printf 'int proto(int a,\n          int b);\n'                # 215-216: a prototype
	printf 'const char *str_fn(void)\n{\n\tconst char *s = "}{\\"";\n/*\n}\n*/\n' # 217-222
	body 95; printf '}\n'                                          # -318: 102 lines
	printf 'struct pair *pair_new(int n) {\n'                      # 319
	body 99; printf '}\n'                                          # -419: 101 lines
} >"$tmp/fns.c"
body 600 >"$tmp/at_limit.h"
body 601 >"$tmp/over.h"
cat >"$tmp/expected" <<EOF
sizes: $tmp/fns.c:14 long_fn: 101 lines (at most 100)
sizes: $tmp/fns.c:217 str_fn: 102 lines (at most 100)
sizes: $tmp/fns.c:319 pair_new: 101 lines (at most 100)
sizes: $tmp/over.h: 601 lines (at most 600)
sizes: 3 files, 4 functions checked; the largest file $tmp/over.h (601 lines), function $tmp/fns.c:217 str_fn (102 lines); 4 over the limits
EOF
awk "$scan" "$tmp/fns.c" "$tmp/at_limit.h" "$tmp/over.h" |
	awk -v maxfile=$MAX_FILE -v maxfn=$MAX_FN "$judge" >"$tmp/got"
if ! cmp -s "$tmp/expected" "$tmp/got"; then
	echo "sizes: the scanner misreads its self-test (expected, got):"
	diff "$tmp/expected" "$tmp/got"
	exit 2
fi

find kiosk ui drivers offline tests \( -path tests/fuzz/corpus -o -name build \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' \) -print | LC_ALL=C sort >"$tmp/list"
[ -s "$tmp/list" ] || { echo "sizes: no sources found"; exit 2; }
xargs awk "$scan" <"$tmp/list" | awk -v maxfile=$MAX_FILE -v maxfn=$MAX_FN "$judge"
