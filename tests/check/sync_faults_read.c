/* The end-to-end fault suite's reading of what a run left (sync_faults.h): the kiosk's and
 * the center's databases, read-only while the engine and the simulator write them, and
 * the simulator's log of requests and fault hits. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tests/check/sync_faults.h"

sqlite3 *sf_ro(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

int64_t sf_q_int(const char *path, const char *sql)
{
	sqlite3 *db = sf_ro(path);
	sqlite3_stmt *st;
	int64_t v = -1;
	if (db && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

int sf_cmp_key(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The text column of every row of sql, sorted; the count or -1. */
int sf_q_keys(const char *path, const char *sql, char (**ret)[33])
{
	sqlite3 *db = sf_ro(path);
	sqlite3_stmt *st;
	int n = 0, cap = 1024;
	char (*k)[33] = calloc((size_t)cap, 33);
	if (!db || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		free(k);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap *= 2;
			k = realloc(k, (size_t)cap * 33);
		}
		snprintf(k[n++], 33, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	qsort(k, (size_t)n, 33, sf_cmp_key);
	*ret = k;
	return n;
}

/* Compares two sorted key lists: how many of a are missing from b, how many of b are not in
 * a, and how many adjacent repeats b has. */
void sf_diff_keys(char (*a)[33], int na, char (*b)[33], int nb, int *missing, int *extra, int *dups)
{
	int i = 0, j = 0;
	*missing = *extra = *dups = 0;
	for (int k = 1; k < nb; k++)
		*dups += strcmp(b[k - 1], b[k]) == 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		if (c < 0) {
			(*missing)++;
			i++;
		} else if (c > 0) {
			(*extra)++;
			j++;
		} else {
			i++;
			j++;
		}
	}
}

/* Sum of the payment bodies the center booked (kind 'payment', created), to the kopeck, with
 * every body's lines adding up to its total; -1 on a body that does not parse. */
kopecks sf_ledger_pay_sum(const char *path, int *ret_n, int *ret_bad)
{
	sqlite3 *db = sf_ro(path);
	sqlite3_stmt *st;
	kopecks sum = 0;
	*ret_n = *ret_bad = 0;
	if (!db || sqlite3_prepare_v2(db, "SELECT body, disposition FROM ledger WHERE device_id='K0001' AND kind='payment'",
				      -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_error_t je;
		json_t *o = json_loadb((const char *)sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), 0, &je);
		json_t *lines = json_object_get(o, "lines");
		kopecks lsum = 0;
		size_t i;
		json_t *l;
		json_array_foreach(lines, i, l)
			lsum += (kopecks)json_integer_value(json_object_get(l, "amount"));
		if (!json_is_integer(json_object_get(o, "total")) || lsum != json_integer_value(json_object_get(o, "total")) ||
		    strcmp((const char *)sqlite3_column_text(st, 1), "created") != 0)
			(*ret_bad)++;
		sum += lsum;
		(*ret_n)++;
		json_decref(o);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return sum;
}

const char *const sf_fault_names[7] = { "refuse", "reset", "commit_drop", "commit_504",
					"slow_commit", "dup_reply", "busy" };

/* Adds the counts of every stop line of the log (one per simulator run). */
void sf_read_log(const char *path, struct sf_center_counts *c)
{
	FILE *f = fopen(path, "r");
	char line[600];
	while (f && fgets(line, sizeof line, f)) {
		char *p;
		if ((p = strstr(line, "fault hits: "))) {
			for (int i = 0; i < 7; i++) {
				char pat[32];
				snprintf(pat, sizeof pat, " %s=", sf_fault_names[i]);
				char *q = strstr(p + 11, pat);
				if (q)
					c->hits[i] += (unsigned)strtoul(q + strlen(pat), NULL, 10);
			}
		} else if ((p = strstr(line, "requests: "))) {
			unsigned conns, refused, hellos, posts, ok, distinct;
			if (sscanf(p, "requests: connections=%u refused=%u hellos=%u batch_posts=%u batch_200=%u "
				   "batch_distinct=%u", &conns, &refused, &hellos, &posts, &ok, &distinct) == 6) {
				c->refused += refused;
				c->hellos += hellos;
				c->posts += posts;
				c->ok += ok;
				c->distinct += distinct;
			}
		}
	}
	if (f)
		fclose(f);
}
