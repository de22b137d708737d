/* SPDX-License-Identifier: MIT */
/*
 * The normalisation of scenario-format.md ("Normalisation before
 * comparing"), the same rules as shared/oracle/compare.py: a transcript
 * becomes the list of lines that two runs must agree on.
 */
#ifndef MEMHP_TOOLS_NORMALISE_H
#define MEMHP_TOOLS_NORMALISE_H

#include <stddef.h>

#include "../api/host.h"

/* Normalise the transcript text[0..len) and append its lines to out. */
void transcript_normalise(const char *text, size_t len, struct strlist *out);

#endif
