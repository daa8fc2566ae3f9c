/* kiosk-tool doctor: what a technician runs on a terminal before leaving it.  Each check prints
 * one line `ok|warn|FAIL  check  detail  [fix: what to do]`; the exit status is 1 when any
 * check failed.  Secrets are checked by their mode, owner and shape, never printed. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"
#include "kiosk/base/tz.h"
#include "offline/center_client.h"
#include "offline/curl_lib.h"

#define DISK_WARN_MB 500
#define CERT_WARN_DAYS 30

enum level { OK, WARN, FAIL };

struct doctor {
	int n[3];
};

static void report(struct doctor *d, enum level lv, const char *check, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void report(struct doctor *d, enum level lv, const char *check, const char *fix, const char *fmt, ...)
{
	static const char *const names[] = { "ok", "warn", "FAIL" };
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	printf("%-4s  %-16s  %s", names[lv], check, detail);
	if (fix && lv != OK)
		printf("  fix: %s", fix);
	printf("\n");
	d->n[lv]++;
}

int tool_usb_id(const char *s, unsigned *ret_vid, unsigned *ret_pid)
{
	if (!s || strlen(s) != 9 || s[4] != ':')
		return -1;
	for (int i = 0; i < 9; i++)
		if (i != 4 && !isxdigit((unsigned char)s[i]))
			return -1;
	*ret_vid = (unsigned)strtoul(s, NULL, 16);
	*ret_pid = (unsigned)strtoul(s + 5, NULL, 16);
	return 0;
}

/* Looks for VID:PID among the USB devices the kernel sees; fills ret_name ("1-1.2"). */
static bool usb_present(unsigned vid, unsigned pid, char *ret_name, size_t cap)
{
	const char *root = "/sys/bus/usb/devices";
	DIR *dir = opendir(root);
	if (!dir)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char p[512];
		unsigned v, q;
		snprintf(p, sizeof p, "%s/%s", root, e->d_name);
		if (tool_sysfs_hex(p, "idVendor", &v) && tool_sysfs_hex(p, "idProduct", &q) && v == vid && q == pid) {
			snprintf(ret_name, cap, "%s", e->d_name);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

static void check_device(struct doctor *d, const char *name, const char *transport, const char *address)
{
	char fix[1024];
	if (!strcmp(transport, "none")) {
		report(d, strcmp(name, "scanner") ? WARN : OK, name, "set the transport and address in the configuration",
		       "transport none: %s", strcmp(name, "pinpad") == 0 ? "card payments are off" :
		       strcmp(name, "printer") == 0 ? "no paper receipts" : "no barcode scanner");
	} else if (!strcmp(transport, "kkt")) {
		report(d, OK, name, NULL, "on the fiscal register (see the fiscal line)");
	} else if (!strcmp(transport, "tcp")) {
		report(d, OK, name, NULL, "tcp %s (not probed: network)", address);
	} else if (!strcmp(transport, "wedge")) {
		report(d, OK, name, NULL, "keyboard wedge: scans arrive as key presses in the window");
	} else if (!strcmp(transport, "tty")) {
		struct stat st;
		snprintf(fix, sizeof fix, "plug the device in and check `ls -l %s`; after a replacement see docs/install.md", address);
		if (stat(address, &st) != 0)
			report(d, FAIL, name, fix, "tty %s: %s", address, strerror(errno));
		else if (!S_ISCHR(st.st_mode))
			report(d, FAIL, name, "point the address at the device node (/dev/ttyACM0 or its udev link)",
			       "tty %s is not a character device", address);
		else if (access(address, R_OK | W_OK) != 0)
			report(d, WARN, name, "install the udev rules (kiosk-tool udev-rules) or add the user to the device's group",
			       "tty %s present but not read/writable by this user", address);
		else
			report(d, OK, name, NULL, "tty %s present", address);
	} else if (!strcmp(transport, "usb") || !strcmp(transport, "hidpos")) {
		unsigned vid, pid;
		char where[300];
		if (tool_usb_id(address, &vid, &pid) != 0) {
			report(d, FAIL, name, "write the address as VID:PID in hex, as `lsusb` shows it (e.g. 1d6b:0104)",
			       "%s address '%s' is not VID:PID", transport, address);
		} else if (!usb_present(vid, pid, where, sizeof where)) {
			snprintf(fix, sizeof fix, "plug it in (check `lsusb`); if the device was replaced, set %s.address to the "
				 "new VID:PID, then `kiosk-tool udev-rules` and `udevadm control --reload`", name);
			report(d, FAIL, name, fix, "USB device %04x:%04x not present", vid, pid);
		} else {
			report(d, OK, name, NULL, "USB device %04x:%04x present at %s", vid, pid, where);
		}
	} else if (!strcmp(transport, "file")) {
		snprintf(fix, sizeof fix, "mkdir -p %s && chown kiosk: %s", address, address);
		if (access(address, W_OK | X_OK) != 0)
			report(d, FAIL, name, fix, "file: directory %s not writable: %s", address, strerror(errno));
		else
			report(d, OK, name, NULL, "file: receipts written to %s", address);
	}
}

/* A secret: 0600 (no group or other bits), owned by this user or root, and readable. */
static void check_secret(struct doctor *d, const char *name, const char *path, bool needed)
{
	struct stat st;
	char fix[1024];
	if (stat(path, &st) != 0) {
		report(d, needed ? FAIL : OK, name, "install the file the center issued for this kiosk (mode 0600)",
		       "%s: %s%s", path, strerror(errno), needed ? "" : " (not used: center.url is empty)");
		return;
	}
	if (st.st_mode & 077) {
		snprintf(fix, sizeof fix, "chmod 600 %s", path);
		report(d, FAIL, name, fix, "%s has mode %04o: a secret must be 0600", path, (unsigned)(st.st_mode & 07777));
		return;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(fix, sizeof fix, "chown kiosk: %s (or run doctor as that user)", path);
		report(d, FAIL, name, fix, "%s is owned by uid %u, not by this user or root", path, (unsigned)st.st_uid);
		return;
	}
	if (access(path, R_OK) != 0) {
		report(d, FAIL, name, "run doctor as the kiosk user or root", "%s: %s", path, strerror(errno));
		return;
	}
	/* root-owned 0600 is tidy but the service user could not read it. */
	struct passwd *pw = getpwnam("kiosk");
	if (geteuid() == 0 && st.st_uid == 0 && pw) {
		snprintf(fix, sizeof fix, "chown kiosk: %s", path);
		report(d, WARN, name, fix, "%s is root's 0600: the kiosk user cannot read it", path);
		return;
	}
	report(d, OK, name, NULL, "%s mode 0600, owner uid %u", path, (unsigned)st.st_uid);
}

/* The signing key file holds 64 hex digits; its value is never shown. */
static void check_hmac_shape(struct doctor *d, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char buf[80];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	size_t hex = 0;
	while (hex < n && isxdigit((unsigned char)buf[hex]))
		hex++;
	if (n != 64 || hex != 64)
		report(d, FAIL, "center.hmac_key", "write the 256-bit key as 64 hex digits",
		       "%s does not hold 64 hex digits", path);
	explicit_bzero(buf, sizeof buf);
}

static int no_passphrase(char *buf, int size, int rw, void *u)
{
	(void)buf; (void)size; (void)rw; (void)u;
	return 0; /* an encrypted key cannot be used unattended: fail instead of prompting */
}

static void check_certs(struct doctor *d, const struct config *c)
{
	char fix[1024];
	FILE *f = fopen(c->center_ca, "re");
	if (!f) {
		snprintf(fix, sizeof fix, "install the center's CA certificate (PEM) as %s", c->center_ca);
		report(d, FAIL, "center.ca", fix, "%s: %s", c->center_ca, strerror(errno));
	} else {
		int n = 0;
		X509 *x;
		while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
			n++;
			X509_free(x);
		}
		ERR_clear_error();
		fclose(f);
		if (n == 0)
			report(d, FAIL, "center.ca", "the file must hold PEM certificates (-----BEGIN CERTIFICATE-----)",
			       "%s holds no PEM certificate", c->center_ca);
		else
			report(d, OK, "center.ca", NULL, "%s: %d certificate%s", c->center_ca, n, n == 1 ? "" : "s");
	}

	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	f = fopen(c->center_cert, "re");
	if (f) {
		cert = PEM_read_X509(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (!cert) {
		report(d, FAIL, "center.cert", "install this kiosk's client certificate (PEM)", "%s: %s", c->center_cert,
		       f ? "not a PEM certificate" : strerror(errno));
	} else {
		int days = 0, secs = 0;
		char cn[128] = "";
		X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
		ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert));
		if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
			report(d, FAIL, "center.cert", "check the clock, or ask the center for a current certificate",
			       "%s (CN %s) is not valid yet", c->center_cert, cn);
		else if (days < 0 || (days == 0 && secs <= 0))
			report(d, FAIL, "center.cert", "ask the center for a new client certificate",
			       "%s (CN %s) expired %d days ago", c->center_cert, cn, -days);
		else if (days < CERT_WARN_DAYS)
			report(d, WARN, "center.cert", "ask the center for a new client certificate",
			       "%s (CN %s) expires in %d days", c->center_cert, cn, days);
		else
			report(d, OK, "center.cert", NULL, "%s (CN %s) valid, expires in %d days", c->center_cert, cn, days);
		if (strcmp(cn, c->device_id) != 0)
			report(d, WARN, "center.device_id", "set center.device_id to the certificate's CN",
			       "'%s' differs from the certificate's CN '%s'", c->device_id, cn);
	}
	f = fopen(c->center_key, "re");
	if (f) {
		key = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
		fclose(f);
	}
	if (!key)
		report(d, FAIL, "center.key", "install the unencrypted PEM private key of the client certificate",
		       "%s: %s", c->center_key, f ? "not a usable PEM private key" : strerror(errno));
	else if (cert && X509_check_private_key(cert, key) != 1)
		report(d, FAIL, "center.key", "install the key that belongs to the certificate",
		       "%s does not match %s", c->center_key, c->center_cert);
	else if (cert)
		report(d, OK, "center.key", NULL, "matches the client certificate");
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(cert);
}

/* center.pins: `sha256//` + base64 of a 32-byte digest (43 characters and one '='), ';'-separated. */
static void check_pins(struct doctor *d, const char *pins)
{
	static const char *const fix = "write sha256//BASE64 of the server key's SPKI digest, ';' between pins "
				       "(openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)";
	if (!pins[0]) {
		report(d, WARN, "center.pins", fix, "no pins: the center is trusted on its CA alone");
		return;
	}
	int n = 0;
	const char *p = pins;
	for (;;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool good = len == 8 + 44 && strncmp(p, "sha256//", 8) == 0 && p[8 + 43] == '=';
		for (size_t i = 8; good && i < 8 + 43; i++)
			good = isalnum((unsigned char)p[i]) || p[i] == '+' || p[i] == '/';
		if (!good) {
			report(d, FAIL, "center.pins", fix, "pin %d is not sha256// and 44 base64 characters", n + 1);
			return;
		}
		n++;
		if (!end)
			break;
		p = end + 1;
	}
	report(d, n < 2 ? WARN : OK, "center.pins", "add the center's backup pin so a key rollover does not cut the kiosk off",
	       "%d pin%s", n, n == 1 ? " (no backup)" : "s");
}

static void dir_of(const char *path, char *out, size_t cap)
{
	snprintf(out, cap, "%s", path);
	char *slash = strrchr(out, '/');
	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == out)
		out[1] = '\0';
	else
		*slash = '\0';
}

static void check_store(struct doctor *d, const char *store)
{
	char dir[256], fix[1024];
	struct stat st;
	dir_of(store, dir, sizeof dir);
	bool there = stat(dir, &st) == 0;
	if (!there || !S_ISDIR(st.st_mode)) {
		snprintf(fix, sizeof fix, "systemd-tmpfiles --create kiosk.conf (or mkdir -m 0700 %s && chown kiosk: %s)", dir, dir);
		report(d, FAIL, "store-dir", fix, "%s: %s", dir, there ? "not a directory" : strerror(errno));
		return;
	}
	if (access(dir, W_OK | X_OK) != 0)
		report(d, FAIL, "store-dir", "chown kiosk: the directory (the store writes its journal beside the file)",
		       "%s is not writable by this user", dir);
	else if (st.st_mode & 077)
		report(d, WARN, "store-dir", "chmod 700 the directory", "%s has mode %04o, expected 0700", dir,
		       (unsigned)(st.st_mode & 07777));
	else
		report(d, OK, "store-dir", NULL, "%s mode 0700", dir);
	if (stat(store, &st) != 0) {
		report(d, OK, "store", NULL, "%s not created yet (the kiosk creates it 0600)", store);
	} else if (st.st_mode & 077) {
		snprintf(fix, sizeof fix, "chmod 600 %s", store);
		report(d, FAIL, "store", fix, "%s has mode %04o: payments are private, it must be 0600", store,
		       (unsigned)(st.st_mode & 07777));
	} else {
		report(d, OK, "store", NULL, "%s mode 0600, %lld bytes", store, (long long)st.st_size);
	}
	struct statvfs vfs;
	if (statvfs(dir, &vfs) == 0) {
		unsigned long long mb = (unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024 * 1024);
		report(d, mb < DISK_WARN_MB ? WARN : OK, "disk", "free space on that filesystem (old logs: journalctl --vacuum-size)",
		       "%llu MB free on the store's filesystem%s", mb, mb < DISK_WARN_MB ? " (< 500 MB)" : "");
	}
}

static void check_clock(struct doctor *d)
{
	time_t now = time(NULL);
	struct tm tm;
	char when[32];
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	if (tm.tm_year + 1900 < 2024) {
		report(d, FAIL, "clock", "set the time (timedatectl set-time) and enable NTP (timedatectl set-ntp true)",
		       "%s: the clock is wrong (certificates and receipts depend on it)", when);
		return;
	}
	char state[32] = "";
	if (access("/usr/bin/timedatectl", X_OK) == 0) {
		FILE *p = popen("timedatectl show -p NTPSynchronized --value 2>/dev/null", "r");
		if (p) {
			if (!fgets(state, sizeof state, p))
				state[0] = '\0';
			pclose(p);
			state[strcspn(state, "\r\n")] = '\0';
		}
	}
	if (!strcmp(state, "yes"))
		report(d, OK, "clock", NULL, "%s, NTP synchronized", when);
	else if (!strcmp(state, "no"))
		report(d, WARN, "clock", "timedatectl set-ntp true (and let the terminal reach an NTP server)",
		       "%s, not NTP synchronized", when);
	else
		report(d, OK, "clock", NULL, "%s (NTP state unknown: timedatectl unavailable)", when);
}

/* The kiosk refuses to start in a zone tzdata does not have. */
static void check_timezone(struct doctor *d, const char *zone)
{
	char err[256], now[TZ_FMT_MAX];
	if (tz_set(zone, err, sizeof err) != 0) {
		report(d, FAIL, "kiosk.timezone",
		       "install tzdata, or set a tzdata name such as Europe/Moscow; the kiosk will not start", "%s", err);
		return;
	}
	report(d, OK, "kiosk.timezone", NULL, "%s: %s local time", zone, tz_fmt_datetime(clock_wall_ms(), now, sizeof now));
}

/* The kiosk's exchanges with the center run in kiosk-link, found from the kiosk's own place
 * (kiosk-tool is installed beside it): needed once the center is configured. */
static void check_link(struct doctor *d, bool online)
{
	char link[4096], why[256];
	if (center_link_program(NULL, link, sizeof link, why, sizeof why) == 0)
		report(d, OK, "link", NULL, "%s", link);
	else
		report(d, online ? FAIL : WARN, "link", "make install puts it in LIBDIR/kiosk/", "%s", why);
}

int tool_doctor(struct tool_ctx *ctx, int argc, char **argv)
{
	(void)argc; (void)argv;
	struct doctor d = { { 0 } };
	struct config *c = &ctx->cfg;
	char err[512], fix[1024];
	struct stat st;

	config_defaults(c);
	if (config_load(ctx->config_path, c, err, sizeof err) != 0) {
		snprintf(fix, sizeof fix, "correct that line (kiosk-tool config-doc lists every key); the kiosk will not start");
		report(&d, FAIL, "config", fix, "%s", err);
		printf("doctor: %d ok, %d warn, %d FAIL\n", d.n[OK], d.n[WARN], d.n[FAIL]);
		return 1;
	}
	ctx->cfg_loaded = true;
	if (stat(ctx->config_path, &st) == 0 && (st.st_mode & 002))
		report(&d, FAIL, "config", "chmod 640 the file", "%s is world-writable", ctx->config_path);
	else
		report(&d, OK, "config", NULL, "%s loads", ctx->config_path);

	check_store(&d, c->store_path);
	bool online = c->center_url[0] != '\0';
	if (!online) {
		report(&d, OK, "center", NULL, "offline only (center.url empty): certificates not checked");
	} else {
		if (strncmp(c->center_url, "https://", 8) != 0)
			report(&d, FAIL, "center.url", "the center is reached over https only", "%s is not https://", c->center_url);
		check_secret(&d, "center.key", c->center_key, true);
		check_secret(&d, "center.hmac_key", c->center_hmac_key, true);
		check_hmac_shape(&d, c->center_hmac_key);
		check_certs(&d, c);
		check_pins(&d, c->center_pins);
		/* Loaded when the kiosk makes its first client, not at exec: a missing libcurl
		 * would otherwise show only as "sync unavailable" in the log. */
		char why[256];
		if (curl_lib(why, sizeof why))
			report(&d, OK, "libcurl", NULL, "libcurl.so.4 loads");
		else
			report(&d, FAIL, "libcurl", "apt install libcurl4", "%s", why);
	}
	check_link(&d, online);
	check_device(&d, "pinpad", c->pinpad_transport, c->pinpad_address);
	if (strcmp(c->pinpad_transport, "none") != 0)
		report(&d, OK, "pinpad", NULL, "protocol %s", !strcmp(c->pinpad_protocol, "vtk") ?
		       "vtk (a Vendotek terminal: TCP, port 62801 by default, or serial 115200 8N1)" :
		       "kpp1 (KPP/1)");
	check_device(&d, "printer", c->printer_transport, c->printer_address);
	check_device(&d, "scanner", c->scanner_transport, c->scanner_address);
	char fdetail[400];
	const char *ffix;
	int flv = tool_fiscal_check(c, fdetail, sizeof fdetail, &ffix);
	report(&d, flv == 0 ? OK : flv == 1 ? WARN : FAIL, "fiscal", ffix, "%s", fdetail);
	check_clock(&d);
	check_timezone(&d, c->timezone);
	printf("doctor: %d ok, %d warn, %d FAIL\n", d.n[OK], d.n[WARN], d.n[FAIL]);
	return d.n[FAIL] ? 1 : 0;
}
