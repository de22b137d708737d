// SPDX-License-Identifier: MIT
/*
 * Pathname expansion for the guest shell, as in ash: `cat .../memory3[0-9]/state`.
 * Directories are listed through the vfs, names matched
 * with fnmatch(3) (FNM_PERIOD: a leading dot must be matched explicitly).
 */
#include <fnmatch.h>
#include "../lib/alloc.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../fs/vfs.h"
#include "../api/api_internal.h"
#include "shell.h"

static bool has_magic(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	}
	return false;
}

/* Drop the escaping backslashes of a component that has no glob characters. */
static void unescape(const char *s, size_t n, struct sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		sb_putc(out, s[i]);
	}
}

/* shown: the path as the user will see it so far ("" or ending in '/'); rest: the pattern still to match. */
static void expand(struct kernel *k, const char *shown, const char *rest, struct strlist *matches)
{
	while (*rest == '/')
		rest++;
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	bool last = !slash || !slash[strspn(slash, "/")];
	struct sbuf dir = SBUF_INIT, next = SBUF_INIT;
	sh_abspath(shown[0] ? shown : "/", &dir);

	if (!has_magic(rest, n)) {
		sb_puts(&next, shown);
		unescape(rest, n, &next);
		struct sbuf abs = SBUF_INIT;
		sh_abspath(sb_str(&next), &abs);
		struct vfs_stat st;
		if (vfs_stat(k, sb_str(&abs), &st) == 0) {
			if (last) {
				if (slash)	/* a trailing '/' stays */
					sb_putc(&next, '/');
				sl_add(matches, sb_str(&next));
			} else {
				sb_putc(&next, '/');
				expand(k, sb_str(&next), slash + 1, matches);
			}
		}
		sb_free(&abs);
	} else {
		char *pat = mh_strndup(rest, n);
		struct strlist names = { NULL, 0, 0 };
		if (!pat)
			out_of_memory(ALLOC_WHERE, 0);
		if (vfs_list(k, sb_str(&dir), &names) == 0) {
			sl_sort(&names);
			for (size_t i = 0; i < names.n; i++) {
				if (fnmatch(pat, names.v[i], FNM_PERIOD) != 0)
					continue;
				sb_reset(&next);
				sb_puts(&next, shown);
				sb_puts(&next, names.v[i]);
				if (last) {
					if (slash)
						sb_putc(&next, '/');
					sl_add(matches, sb_str(&next));
				} else {
					sb_putc(&next, '/');
					expand(k, sb_str(&next), slash + 1, matches);
				}
			}
		}
		sl_free(&names);
		free(pat);
	}
	sb_free(&dir);
	sb_free(&next);
}

void sh_glob(struct memhp *m, const char *pattern, struct strlist *matches)
{
	struct strlist found = { NULL, 0, 0 };
	expand(guest_kernel(m), pattern[0] == '/' ? "/" : "", pattern, &found);
	sl_sort(&found);
	for (size_t i = 0; i < found.n; i++)
		sl_add(matches, found.v[i]);
	sl_free(&found);
}
