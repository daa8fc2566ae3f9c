#!/bin/sh
# The repository explains itself: no file may cite a document that is not in it.  Every
# contract the code relies on is described under docs/ (docs/kpp1.md, docs/api.md,
# docs/epd.md, docs/screens.md, docs/demo.md …) and cited from there; a citation of a
# design note or specification kept somewhere else is a dead end for whoever clones the
# repository.
#
# Looks through the tracked files (git ls-files; outside a git checkout, every file under
# the source folders) for
#   - a specs folder's markdown file  (a path such as <specs>/<name>.md),
#   - the old design note             (the word written in capitals: D-E-S-I-G-N),
#   - the shared folder               (the absolute /work/... path, or ../ relative to us).
# Prints every hit as file:line: text, then one line with the count; exit 1 on any hit.
# This file itself is not searched: it has to name what it looks for.
cd "$(dirname "$0")/../.." || exit 2
self=tests/check/self_contained.sh

# The patterns, put together from parts so that this file's own lines do not read as
# citations to a human either.
specs='specs/[A-Za-z0-9_.-]+\.md'
design='\<DES''IGN\>'
shared='(/work/sha''red|\.\./sha''red)\>'
pattern="$specs|$design|$shared"

list=$(mktemp) || exit 2
hits=$(mktemp) || { rm -f "$list"; exit 2; }
trap 'rm -f "$list" "$hits"' EXIT INT TERM

# NUL-separated names, this file left out.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z
else
	find Makefile README.md assets docs drivers kiosk offline tests ui \
		-type f ! -path '*/build/*' -print0 2>/dev/null
fi | tr '\0' '\n' | grep -vxF "$self" | tr '\n' '\0' >"$list"
nfiles=$(tr -cd '\0' <"$list" | wc -c | tr -d ' ')

# -I: binary files (images, fonts, corpora) are not text that cites anything; -H: the
# file name even when xargs passes a single file.  A name a deleted file left in the
# index is not an error.
xargs -0 grep -nIHE -- "$pattern" <"$list" 2>/dev/null >"$hits"

n=$(wc -l <"$hits" | tr -d ' ')
if [ "$n" -gt 0 ]; then
	cat "$hits"
	nf=$(cut -d: -f1 "$hits" | sort -u | wc -l | tr -d ' ')
	echo "self_contained: $n references to documents outside the repository in $nf files ($nfiles files checked); cite docs/ instead"
	exit 1
fi
echo "self_contained: 0 references to documents outside the repository ($nfiles files checked)"
exit 0
