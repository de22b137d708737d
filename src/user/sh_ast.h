/* SPDX-License-Identifier: MIT */
/*
 * The guest shell's language (a busybox ash subset): one command line parsed
 * into a tree, expanded and run by the interpreter. Words keep their quotes
 * here; expansion (sh_expand.c) removes them, because what a word means
 * depends on where it is used (a pattern, a field list, an assignment).
 */
#ifndef MEMHP_USER_SH_AST_H
#define MEMHP_USER_SH_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/sbuf.h"

enum sh_redir_kind {
	SR_OUT,		/* [N]> and [N]>| */
	SR_APPEND,	/* [N]>> */
	SR_IN,		/* [N]< */
	SR_DUP,		/* [N]>&W and [N]<&W */
};

struct sh_redir {
	enum sh_redir_kind kind;
	int fd;
	char *word;		/* raw */
};

enum sh_node_kind {
	SN_SIMPLE, SN_PIPE, SN_AND, SN_OR, SN_SEQ, SN_NOT,
	SN_IF, SN_WHILE, SN_UNTIL, SN_FOR, SN_CASE, SN_SUBSHELL, SN_GROUP,
};

struct sh_case_item {
	struct strlist patterns;	/* raw */
	struct sh_node *body;		/* may be NULL */
};

struct sh_node {
	enum sh_node_kind kind;
	struct strlist words;		/* SN_SIMPLE: raw words; SN_FOR: the list after "in" */
	bool has_in;			/* SN_FOR */
	char *name;			/* SN_FOR: the variable; SN_CASE: the raw subject word */
	struct sh_node *a, *b, *c;	/* operands, condition/then/else, condition/body */
	struct sh_case_item *items;	/* SN_CASE */
	size_t nitems;
	struct sh_redir *redirs;
	size_t nredirs;
};

/*
 * Parse a command line. Returns the tree (NULL for an empty line) and 0, or
 * -1 with ash's message (without the "sh: " prefix) in err.
 */
int sh_parse(const char *line, struct sh_node **tree, struct sbuf *err);
void sh_node_free(struct sh_node *n);

/* The end of the raw word starting at p (quotes, ${}, $(), $(()) and `` skipped); NULL if unterminated. */
const char *sh_word_end(const char *p, const char **why);

#endif
