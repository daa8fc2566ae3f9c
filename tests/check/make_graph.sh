#!/bin/sh
# The build graph, from make's own database (make -p -n): on a fresh machine `make check -jN`
# must install the packages before it compiles or links anything.  Fails when
#   - a target in $BUILD (object, archive, program, stamp) does not depend, directly or
#     through its prerequisites, on the package stamp;
#   - a pattern rule is defined twice (two fragments writing the same rule: make takes one
#     of them depending on the order it reads them in);
#   - reading the fragments in the reverse order gives other rules.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
goals="all tests bench-bins fuzz"
# -n prints recipes instead of running them; the goals name no recursive make.
make -pn -f Makefile SAN=1 BUILD="$BUILD" $goals >"$tmp/fwd" 2>"$tmp/fwd.err" || {
	echo "make -pn failed:"; cat "$tmp/fwd.err"; exit 1; }
frags=$(make -s -f Makefile --eval 'print-frags: ; @echo $(FRAGMENTS)' print-frags BUILD="$BUILD")
rev=$(printf '%s\n' $frags | sort -r | tr '\n' ' ')
make -pn -f Makefile SAN=1 BUILD="$BUILD" FRAGMENTS="$rev" $goals >"$tmp/rev" 2>/dev/null
echo "fragments: $frags"
python3 - "$BUILD" "$tmp/fwd" "$tmp/rev" <<'PY'
import re, sys
build, fwd, rev = sys.argv[1], sys.argv[2], sys.argv[3]
var_line = re.compile(r'^\S+: \S+ (:|\+|\?|!)?= ')
def parse(path):
    files, patterns, section, not_target = {}, [], None, False
    for line in open(path, encoding='utf-8', errors='replace'):
        line = line.rstrip('\n')
        if line.startswith('# Implicit Rules'):
            section = 'implicit'; continue
        if line.startswith('# Files'):
            section = 'files'; continue
        if line.startswith('# files hash-table stats') or line.startswith('# VPATH Search Paths'):
            section = None; continue
        if line == '# Not a target:':
            not_target = True; continue
        if not line or line.startswith('#') or line.startswith('\t'):
            continue
        if var_line.match(line) or ':' not in line:
            continue
        target, _, rest = line.partition(':')
        if rest.startswith('='):  # a variable, not a rule
            continue
        normal, _, order = rest.partition('|')
        deps = normal.split() + order.split()
        if section == 'implicit' and '%' in target:
            patterns.append((target, tuple(deps)))
        elif section == 'files' and not not_target:
            files[target] = files.get(target, []) + deps
        not_target = False
    return files, patterns
files, patterns = parse(fwd)
rfiles, rpatterns = parse(rev)
bad = []
stamp = next((d for d in files.get('deps', []) if '/.deps-' in d), None)
if not stamp:
    print('no package stamp: the deps target names none'); sys.exit(1)
memo = {}
def reaches(t, seen=()):
    if t == stamp: return True
    if t in memo: return memo[t]
    if t in seen: return False
    r = any(reaches(d, seen + (t,)) for d in files.get(t, []))
    memo[t] = r
    return r
checked = 0
for t in sorted(files):
    if not t.startswith(build + '/') or t == stamp or t.endswith('.d'):
        continue
    checked += 1
    if not reaches(t):
        bad.append('does not wait for the package step: ' + t)
seen = {}
for target, deps in patterns:
    if target in seen:
        bad.append('pattern rule defined twice: %s (%s / %s)' % (target, ' '.join(seen[target]), ' '.join(deps)))
    seen[target] = deps
if sorted(patterns) != sorted(rpatterns):
    bad.append('the pattern rules change with the order the fragments are read in')
norm = lambda fs: {t: sorted(d) for t, d in fs.items() if t.startswith(build + '/')}
diff = [t for t in sorted(set(norm(files)) | set(norm(rfiles))) if norm(files).get(t) != norm(rfiles).get(t)]
for t in diff[:10]:
    bad.append('prerequisites of %s change with the fragment order' % t)
print('package stamp %s; %d targets in %s/ checked, %d pattern rules' % (stamp, checked, build, len(patterns)))
for b in bad: print('FAIL ' + b)
sys.exit(1 if bad else 0)
PY
