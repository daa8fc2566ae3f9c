/* [center] configuration -> center_client options. */
#include "offline/center_conf.h"

#include <stdio.h>
#include <string.h>

int center_conf_opts(const struct config *cfg, struct center_client_opts *ret, char *err, size_t cap)
{
	struct center_client_opts o;
	memset(&o, 0, sizeof o);
	if (cfg->center_url[0] == '\0') {
		snprintf(err, cap, "center.url is empty: offline only");
		return -1;
	}
	if (csign_load_key(cfg->center_hmac_key, o.hmac_key) != 0) {
		snprintf(err, cap, "center.hmac_key %s: unreadable or not 64 hex digits", cfg->center_hmac_key);
		return -1;
	}
	o.url = cfg->center_url;
	o.ca = cfg->center_ca;
	o.pins = cfg->center_pins;
	o.cert = cfg->center_cert;
	o.key = cfg->center_key;
	o.key_id = cfg->center_key_id;
	o.device_id = cfg->device_id;
	*ret = o;
	explicit_bzero(&o, sizeof o);
	return 0;
}

void center_conf_link(const struct config *cfg, struct center_client_opts *o)
{
	struct center_link_opts *l = &o->link;
	memset(l, 0, sizeof *l);
	l->on = true;
	snprintf(l->log_file, sizeof l->log_file, "%s", cfg->log_file);
	snprintf(l->log_level, sizeof l->log_level, "%s", cfg->log_level);
	l->log_syslog = cfg->log_syslog;
}
