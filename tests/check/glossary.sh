#!/bin/sh
# One word per thing: the string files use the terms docs/glossary.md fixes.  The glossary's
# ```glossary-forbid block lists, per language, the variants it rules out and the term to use
# instead; a string whose text (after " = ") contains one is a failure.  Prints every hit as
# file:line: key: the variant -> the term, then a count; exit 1 on any hit, 2 when the
# glossary has no forbid list (a check that reads nothing cannot fail).
cd "$(dirname "$0")/../.." || exit 2
glossary=docs/glossary.md
rules=$(mktemp) || exit 2
trap 'rm -f "$rules"' EXIT INT TERM

awk '/^```glossary-forbid/ { on = 1; next } /^```/ { on = 0 } on && NF' "$glossary" > "$rules"
n=$(wc -l < "$rules")
[ "$n" -gt 0 ] || { echo "FAIL $glossary: no glossary-forbid block"; exit 2; }

hits=0
for lang in ru en; do
	file=assets/strings/$lang.strings
	[ -f "$file" ] || { echo "FAIL $file: missing"; exit 2; }
	out=$(awk -F '\t' -v lang="$lang" -v file="$file" '
		FNR == NR { if ($1 == lang) { bad[++nb] = $2; use[nb] = $3 } next }
		/^[ \t]*#/ || !/ = / { next }
		{
			key = substr($0, 1, index($0, " = ") - 1)
			text = substr($0, index($0, " = ") + 3)
			for (i = 1; i <= nb; i++)
				if (index(text, bad[i]))
					printf "%s:%d: %s: «%s» -> %s\n", file, FNR, key, bad[i], use[i]
		}' "$rules" "$file")
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		hits=$((hits + $(printf '%s\n' "$out" | wc -l)))
	fi
done
echo "glossary: $n forbidden variants, $hits hits"
[ "$hits" -eq 0 ]
