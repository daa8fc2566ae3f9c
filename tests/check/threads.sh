#!/bin/sh
# One worker skeleton (docs/internals.md, Threads):
#  1. the program's sources (kiosk/ drivers/ offline/ ui/) start threads only in
#     kiosk/base/worker.c: every other thread is a worker built on it.  The simulators, test
#     programs and benches under tests/ are not the program and are not looked at;
#  2. the skeleton itself does start its thread there (a check that passes because the
#     skeleton moved checks nothing);
#  3. the checker sees a hand-made thread: a copy of the skeleton plus one planted
#     pthread_create in a driver must fail, naming that file and line and nothing else.
# Prints one line per finding (threads: FILE:LINE: ...), then a summary line; exit 1 on any.
cd "$(dirname "$0")/../.." || exit 2
status=0
SKELETON=kiosk/base/worker.c

# scan ROOT: one line per pthread_create call outside the skeleton under ROOT.
scan() {
	(cd "$1" && grep -rnE --include='*.c' --include='*.h' 'pthread_create[[:space:]]*\(' \
		kiosk drivers offline ui 2>/dev/null) |
		grep -v "^$SKELETON:" |
		sed 's/^\([^:]*:[0-9]*\):.*/threads: \1: pthread_create outside the worker skeleton ('"$(echo "$SKELETON" | sed 's#/#\\/#g')"')/'
}

out=$(scan .)
if [ -n "$out" ]; then
	echo "$out"
	status=1
fi
n=$(grep -cE 'pthread_create[[:space:]]*\(' "$SKELETON" 2>/dev/null)
n=${n:-0}
if [ "$n" -lt 1 ]; then
	echo "threads: $SKELETON starts no thread: where did the skeleton go?"
	status=1
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/kiosk/base" "$tmp/drivers" "$tmp/tests/sim"
cp "$SKELETON" "$tmp/$SKELETON"
printf '#include <pthread.h>\n/* a comment about pthread_create is not a call */\nstatic int f(pthread_t *t, void *(*m)(void *)) { return pthread_create(t, NULL, m, NULL); }\n' \
	>"$tmp/drivers/planted.c"
cp "$tmp/drivers/planted.c" "$tmp/tests/sim/exempt.c"
got=$(scan "$tmp")
if [ "$got" != "threads: drivers/planted.c:3: pthread_create outside the worker skeleton ($SKELETON)" ]; then
	echo "threads: the checker missed a planted thread (or saw more):"
	echo "$got"
	status=1
fi

echo "threads: pthread_create in kiosk/ drivers/ offline/ ui/: $n in $SKELETON, $(echo "$out" | grep -c .) elsewhere"
exit $status
