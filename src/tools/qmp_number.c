// SPDX-License-Identifier: MIT
/* Numbers beyond jansson's int64, read as QEMU 7.2's JSON parser reads them. */
#include "qmp_number.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/host.h"

#define NUL_ESCAPE	"\\u0000"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The length of the JSON number at s (RFC 8259's grammar), 0 if none;
 * *integer when it has neither fraction nor exponent.
 */
static size_t number_len(const char *s, size_t n, bool *integer)
{
	size_t i = 0;

	*integer = true;
	if (i < n && s[i] == '-')
		i++;
	if (i >= n || !is_digit(s[i]))
		return 0;
	if (s[i] == '0')
		i++;
	else
		while (i < n && is_digit(s[i]))
			i++;
	if (i < n && s[i] == '.') {
		*integer = false;
		if (++i >= n || !is_digit(s[i]))
			return 0;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		*integer = false;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return 0;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i;
}

/* qemu_strtoi64() succeeds: jansson's json_integer holds it */
static bool fits_int64(const char *s, size_t n)
{
	char tmp[32];

	if (n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	(void)strtoll(tmp, NULL, 10);
	return errno != ERANGE;
}

char *qmp_numbers_hide(const char *buf, size_t len, size_t *out_len)
{
	struct sbuf out = SBUF_INIT;
	bool in_str = false, changed = false;
	size_t i = 0;

	while (i < len) {
		char c = buf[i];
		bool integer;
		size_t n;

		if (in_str) {
			if (c == '\\') {
				if (len - i >= 6 && !strncmp(buf + i, NUL_ESCAPE, 6)) {
					sb_free(&out);
					return NULL;	/* jansson refuses it: leave the message as it is */
				}
				sb_add(&out, buf + i, i + 1 < len ? 2 : 1);
				i += i + 1 < len ? 2 : 1;
				continue;
			}
			in_str = c != '"';
			sb_putc(&out, c);
			i++;
			continue;
		}
		if (c == '"')
			in_str = true;
		/* a token starts here unless it continues a bare word or another number */
		if ((c == '-' || is_digit(c)) && (i == 0 || !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.+-0123456789", buf[i - 1])) &&
		    (n = number_len(buf + i, len - i, &integer)) &&
		    !(integer && fits_int64(buf + i, n))) {
			sb_puts(&out, "\"" NUL_ESCAPE);
			sb_add(&out, buf + i, n);
			sb_putc(&out, '"');
			i += n;
			changed = true;
			continue;
		}
		sb_putc(&out, c);
		i++;
	}
	if (!changed) {
		sb_free(&out);
		return NULL;
	}
	*out_len = out.len;
	return sb_detach(&out);
}

const char *qmp_number_hidden(const char *s, size_t len)
{
	return s && len > 1 && s[0] == 0 ? s + 1 : NULL;
}

bool qmp_number_value(const char *text, unsigned long long *u, double *d)
{
	bool integer;
	size_t n = number_len(text, strlen(text), &integer);

	if (n && integer && text[0] != '-') {
		errno = 0;
		*u = strtoull(text, NULL, 10);
		if (errno != ERANGE)
			return true;
	}
	/* parse_literal(): what neither int64 nor uint64 holds is a double */
	*d = strtod(text, NULL);
	return false;
}

char *qmp_numbers_show(const char *json)
{
	static const char mark[] = "\"" NUL_ESCAPE;
	const char *p = strstr(json, mark);
	struct sbuf out = SBUF_INIT;

	if (!p)
		return NULL;
	while (p) {
		const char *text = p + strlen(mark), *end = strchr(text, '"');
		struct sbuf tok = SBUF_INIT;
		char num[64];
		unsigned long long u;
		double d;

		if (!end)
			break;
		sb_add(&out, json, (size_t)(p - json));
		sb_add(&tok, text, (size_t)(end - text));
		if (qmp_number_value(sb_str(&tok), &u, &d))
			snprintf(num, sizeof(num), "%llu", u);
		else
			snprintf(num, sizeof(num), "%.17g", d);	/* qnum_to_string() */
		sb_free(&tok);
		sb_puts(&out, num);
		json = end + 1;
		p = strstr(json, mark);
	}
	sb_puts(&out, json);
	return sb_detach(&out);
}
