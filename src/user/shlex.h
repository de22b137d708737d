/* SPDX-License-Identifier: MIT */
/*
 * Splitting a line into words as a POSIX shell does: blanks separate words,
 * '...' quotes literally, "..." quotes with \" \\ \$ \` escapes, a backslash
 * outside quotes escapes the next character. With operators on, the
 * unquoted shell operators (> >> < | ; && || & and N> N>&M) are tokens of
 * their own, and unquoted glob characters are remembered for expansion.
 * Used for QEMU's command line (memhp_new) and for the guest shell.
 */
#ifndef MEMHP_USER_SHLEX_H
#define MEMHP_USER_SHLEX_H

#include <stdbool.h>
#include <stddef.h>

enum tok_kind {
	TOK_WORD,
	TOK_REDIR_OUT,		/* [N]>  (fd in .fd) */
	TOK_REDIR_APPEND,	/* [N]>> */
	TOK_REDIR_IN,		/* <     */
	TOK_REDIR_DUP,		/* N>&M  (.fd, .fd2) */
	TOK_PIPE,		/* |     */
	TOK_SEMI,		/* ; &   */
	TOK_AND,		/* &&    */
	TOK_OR,			/* ||    */
};

struct token {
	enum tok_kind kind;
	char *text;		/* TOK_WORD: the word, quotes removed */
	char *pattern;		/* TOK_WORD with unquoted * ? [: glob pattern (quoted chars escaped), else NULL */
	int fd, fd2;
};

struct tokens {
	struct token *v;
	size_t n, cap;
};

/*
 * Split s into tokens (appended to out). Returns 0, or -1 with *err set to a
 * static message (e.g. "unterminated quoted string") on a syntax error.
 */
int shlex_split(const char *s, bool operators, struct tokens *out, const char **err);
void tokens_free(struct tokens *t);

#endif
