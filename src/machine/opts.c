// SPDX-License-Identifier: MIT
/*
 * The small parsers QEMU's option syntax needs: "key=value,..." lists
 * (QemuOpts and keyval share this surface syntax), sizes with binary
 * suffixes (qemu_strtosz), integers with C prefixes, on/off booleans and
 * identifiers. Every parser rejects what QEMU rejects rather than guessing.
 */
#include <ctype.h>
#include "../lib/alloc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"

static void opts_push(struct opt_list *l, char *key, char *val)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct opt_kv *v = mh_realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(key);
			free(val);
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].key = key;
	l->v[l->n].val = val;
	l->n++;
}

/*
 * Read one element up to an unescaped ',' (or stop, for the key part):
 * ",," stands for a literal comma, as in QemuOpts.
 */
static char *read_part(const char **pp, char stop)
{
	struct sbuf b = SBUF_INIT;
	const char *p = *pp;

	sb_add(&b, "", 0);
	while (*p) {
		if (*p == ',') {
			if (p[1] == ',') {
				sb_putc(&b, ',');
				p += 2;
				continue;
			}
			break;
		}
		if (stop && *p == stop)
			break;
		sb_putc(&b, *p++);
	}
	*pp = p;
	return sb_detach(&b);
}

void opts_split(const char *text, struct opt_list *l)
{
	const char *p = text;

	memset(l, 0, sizeof(*l));
	if (!text)
		return;
	while (*p) {
		char *key = read_part(&p, '=');
		char *val = NULL;

		if (*p == '=') {
			p++;
			val = read_part(&p, 0);
		}
		opts_push(l, key, val);
		if (*p == ',')
			p++;
	}
}

void opts_free(struct opt_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int suffix_shift(char c)
{
	switch (tolower((unsigned char)c)) {
	case 'b': return 0;
	case 'k': return 10;
	case 'm': return 20;
	case 'g': return 30;
	case 't': return 40;
	case 'p': return 50;
	case 'e': return 60;
	default: return -1;
	}
}

/*
 * qemu_strtosz(): a decimal number with an optional fraction, or a hex
 * number, then an optional single suffix letter; nothing may follow.
 */
int parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
	const char *p = s;
	uint64_t whole = 0, unit = default_unit;
	double frac = 0;
	bool any = false;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		while (isxdigit((unsigned char)*p)) {
			unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0') :
				     (unsigned)(tolower((unsigned char)*p) - 'a' + 10);

			if (whole > (UINT64_MAX - d) / 16)
				return -ERANGE;
			whole = whole * 16 + d;
			p++;
			any = true;
		}
	} else {
		while (isdigit((unsigned char)*p)) {
			unsigned d = (unsigned)(*p - '0');

			if (whole > (UINT64_MAX - d) / 10)
				return -ERANGE;
			whole = whole * 10 + d;
			p++;
			any = true;
		}
		if (*p == '.') {
			double scale = 0.1;

			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			while (isdigit((unsigned char)*p)) {
				frac += (*p - '0') * scale;
				scale /= 10;
				p++;
			}
		}
	}
	if (!any)
		return -EINVAL;
	if (*p) {
		int sh = suffix_shift(*p);

		if (sh < 0 || p[1])
			return -EINVAL;
		unit = 1ULL << sh;
	}
	if (frac > 0 && unit == 1)
		return -EINVAL;		/* fractional bytes */
	if (whole > UINT64_MAX / unit)
		return -ERANGE;
	{
		uint64_t v = whole * unit;
		double extra = frac * (double)unit;

		/* only with a fraction: (double)v rounds 2^64-1 up to 2^64 */
		if (frac > 0 && extra >= 18446744073709551616.0 - (double)v)
			return -ERANGE;
		v += (uint64_t)extra;
		*out = v;
	}
	return 0;
}

int parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_uint64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "y" };
	static const char *const no[] = { "off", "no", "false", "n" };

	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

bool id_wellformed(const char *id)
{
	if (!id || !isalpha((unsigned char)id[0]))
		return false;
	for (const char *p = id + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-._", *p))
			return false;
	return true;
}
