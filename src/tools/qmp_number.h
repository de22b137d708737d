/* SPDX-License-Identifier: MIT */
/*
 * QMP numbers as QEMU 7.2's JSON parser reads them (parse_literal() in
 * qobject/json-parser.c): an integer token is an int64 if it fits, else a
 * uint64 if it is not negative and fits, else a double; a token with a
 * fraction or an exponent is a double. jansson holds only int64 and
 * double, and refuses an integer token beyond int64. So before jansson
 * parses a message, every number token that is not an int64 is hidden in
 * a string holding a NUL and the token's text ("\u0000" TEXT), which no
 * client string can hold (messages with "\u0000" are not rewritten and
 * jansson refuses them as before); the commands read those strings back
 * as numbers, and replies show them as QEMU's qnum_to_string() does.
 */
#ifndef MEMHP_TOOLS_QMP_NUMBER_H
#define MEMHP_TOOLS_QMP_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * buf[0, len) with every number token that is not an int64 hidden; NULL
 * (nothing to do, or a "\u0000" escape present) means: parse buf itself.
 */
char *qmp_numbers_hide(const char *buf, size_t len, size_t *out_len);

/* A hidden number's token text, or NULL when s (of len bytes) is an ordinary string. */
const char *qmp_number_hidden(const char *s, size_t len);

/* A hidden token's value: true with *u for a uint64 (non-negative, above INT64_MAX); false with *d. */
bool qmp_number_value(const char *text, unsigned long long *u, double *d);

/*
 * json (jansson's output) with every hidden number written back as QEMU
 * prints it: a uint64 in decimal, a double as "%.17g" (so "1", "inf").
 * NULL when json holds none.
 */
char *qmp_numbers_show(const char *json);

#endif
