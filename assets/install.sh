#!/bin/sh
# Installs the kiosk (called by `make install`; POSIX sh).
#   PREFIX   /usr/local    programs, data, man pages, systemd/sysusers/tmpfiles snippets
#   DESTDIR  (empty)       staging root for packaging; when empty and run as root, the user,
#                          directories, udev and systemd are also brought up to date
#   BUILD    build         where build/kiosk, build/kiosk-tool and build/kiosk-link are
# Site files (configuration, udev rules, PAM, logrotate) go under $DESTDIR$SYSCONFDIR (/etc)
# and an existing one is never overwritten: the new version is put beside it as FILE.new.
set -eu
umask 022

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BUILD=${BUILD:-build}
SYSCONFDIR=${SYSCONFDIR:-/etc}
BINDIR=${BINDIR:-$PREFIX/bin}
DATADIR=${DATADIR:-$PREFIX/share/kiosk}
MANDIR=${MANDIR:-$PREFIX/share/man}
LIBDIR=${LIBDIR:-$PREFIX/lib}
UNITDIR=${UNITDIR:-$LIBDIR/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-$LIBDIR/sysusers.d}
TMPFILESDIR=${TMPFILESDIR:-$LIBDIR/tmpfiles.d}
VERSION=${KIOSK_VERSION:-$("$BUILD/kiosk-tool" version 2>/dev/null | sed 's/^kiosk-tool //')}

cd "$(dirname "$0")/.."
for p in kiosk kiosk-tool kiosk-link; do
	[ -x "$BUILD/$p" ] || { echo "install.sh: $BUILD/$p is missing: run make first" >&2; exit 1; }
done

say() { printf '  %-8s %s\n' "$1" "$2"; }

# put MODE SRC DEST: copies with @BINDIR@/@DATADIR@/@LIBDIR@/@VERSION@ replaced.
put() {
	mkdir -p "$(dirname "$3")"
	tmp="$3.tmp.$$"
	sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DATADIR@|$DATADIR|g" -e "s|@LIBDIR@|$LIBDIR|g" \
		-e "s|@VERSION@|$VERSION|g" "$2" > "$tmp"
	chmod "$1" "$tmp"
	mv -f "$tmp" "$3"
	say INSTALL "$3"
}

# put_site MODE SRC DEST: like put, but keeps a file the technician has edited.
put_site() {
	if [ -e "$3" ] && ! sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DATADIR@|$DATADIR|g" "$2" | cmp -s - "$3"; then
		put "$1" "$2" "$3.new"
		say KEPT "$3 (compare with $3.new)"
	else
		put "$1" "$2" "$3"
	fi
}

D=$DESTDIR
install -d -m 0755 "$D$BINDIR" "$D$DATADIR" "$D$MANDIR/man8" "$D$UNITDIR" "$D$SYSUSERSDIR" "$D$TMPFILESDIR"
for p in kiosk kiosk-tool; do
	install -m 0755 "$BUILD/$p" "$D$BINDIR/$p"
	say INSTALL "$D$BINDIR/$p"
done
# The kiosk's network process, where the kiosk looks for it (../lib/kiosk from BINDIR).
install -d -m 0755 "$D$LIBDIR/kiosk"
install -m 0755 "$BUILD/kiosk-link" "$D$LIBDIR/kiosk/kiosk-link"
say INSTALL "$D$LIBDIR/kiosk/kiosk-link"

for dir in strings themes fonts; do
	[ -d "assets/$dir" ] || continue
	install -d -m 0755 "$D$DATADIR/$dir"
	for f in "assets/$dir"/*; do
		[ -f "$f" ] && install -m 0644 "$f" "$D$DATADIR/$dir/"
	done
	say INSTALL "$D$DATADIR/$dir/"
done

for m in kiosk kiosk-tool; do
	put 0644 "assets/man/$m.8" "$D$MANDIR/man8/$m.8"
done
put 0644 assets/systemd/kiosk.service "$D$UNITDIR/kiosk.service"
put 0644 assets/systemd/kiosk.sysusers "$D$SYSUSERSDIR/kiosk.conf"
put 0644 assets/systemd/kiosk.tmpfiles "$D$TMPFILESDIR/kiosk.conf"

install -d -m 0750 "$D$SYSCONFDIR/kiosk"
# The example configuration is made from the key table of this very build, so it names
# every key the installed kiosk knows.
example=$(mktemp)
trap 'rm -f "$example"' EXIT
sh assets/etc/example-conf.sh "$BUILD/kiosk-tool" assets/etc/kiosk.conf.notes > "$example"
put_site 0640 "$example" "$D$SYSCONFDIR/kiosk/kiosk.conf"
put_site 0644 assets/udev/70-kiosk.rules "$D$SYSCONFDIR/udev/rules.d/70-kiosk.rules"
put_site 0644 assets/pam/kiosk "$D$SYSCONFDIR/pam.d/kiosk"
put_site 0644 assets/logrotate/kiosk "$D$SYSCONFDIR/logrotate.d/kiosk"

if [ -z "$D" ] && [ "$(id -u)" -eq 0 ]; then
	# A live install: create the user and directories now rather than at next boot.
	command -v systemd-sysusers >/dev/null && systemd-sysusers "$SYSUSERSDIR/kiosk.conf"
	command -v systemd-tmpfiles >/dev/null && systemd-tmpfiles --create "$TMPFILESDIR/kiosk.conf"
	getent group kiosk >/dev/null && chgrp kiosk "$SYSCONFDIR/kiosk" "$SYSCONFDIR/kiosk/kiosk.conf"
	command -v udevadm >/dev/null && udevadm control --reload 2>/dev/null || true
	command -v systemctl >/dev/null && systemctl daemon-reload 2>/dev/null || true
	cat <<NEXT

Next: edit $SYSCONFDIR/kiosk/kiosk.conf, install the center's files (0600, owner kiosk), then
  kiosk-tool udev-rules > $SYSCONFDIR/udev/rules.d/70-kiosk.rules && udevadm trigger
  kiosk-tool doctor
  systemctl enable --now kiosk.service        (docs/install.md: the whole session setup)
NEXT
fi
