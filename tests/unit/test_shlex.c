// SPDX-License-Identifier: MIT
/* Shell word splitting (src/user/shlex.c): QEMU option strings and guest command lines. */
#include <stdio.h>
#include <string.h>

#include "user/shlex.h"

static int passed, failed;

static void check(int cond, const char *name)
{
	if (cond) {
		passed++;
		printf("ok - %s\n", name);
	} else {
		failed++;
		printf("not ok - %s\n", name);
	}
}

/* Split s and compare the tokens, written as "w:TEXT" for words and the operator otherwise. */
static void expect(const char *s, int operators, const char *const *want, int n, const char *name)
{
	struct tokens t = { NULL, 0, 0 };
	const char *err;
	int ok = shlex_split(s, operators, &t, &err) == 0 && (int)t.n == n;
	for (int i = 0; ok && i < n; i++) {
		char buf[256];
		const struct token *k = &t.v[i];
		switch (k->kind) {
		case TOK_WORD: snprintf(buf, sizeof(buf), "w:%s%s", k->text, k->pattern ? "(glob)" : ""); break;
		case TOK_REDIR_OUT: snprintf(buf, sizeof(buf), "%d>", k->fd); break;
		case TOK_REDIR_APPEND: snprintf(buf, sizeof(buf), "%d>>", k->fd); break;
		case TOK_REDIR_IN: snprintf(buf, sizeof(buf), "<"); break;
		case TOK_REDIR_DUP: snprintf(buf, sizeof(buf), "%d>&%d", k->fd, k->fd2); break;
		case TOK_PIPE: snprintf(buf, sizeof(buf), "|"); break;
		case TOK_SEMI: snprintf(buf, sizeof(buf), ";"); break;
		case TOK_AND: snprintf(buf, sizeof(buf), "&&"); break;
		case TOK_OR: snprintf(buf, sizeof(buf), "||"); break;
		}
		ok = !strcmp(buf, want[i]);
		if (!ok)
			printf("# token %d: got \"%s\", want \"%s\"\n", i, buf, want[i]);
	}
	check(ok, name);
	tokens_free(&t);
}

int main(void)
{
	{
		const char *w[] = { "w:-m", "w:1G,slots=8", "w:-append", "w:memhp_default_state=online movable_node" };
		expect("-m 1G,slots=8 -append \"memhp_default_state=online movable_node\"", 0, w, 4,
		       "QEMU options: a double-quoted -append");
	}
	{
		const char *w[] = { "w:a b", "w:c\"d", "w:e f", "w:>" };
		expect("'a b' \"c\\\"d\" e\\ f >", 0, w, 4, "quotes and backslashes; no operators in QEMU options");
	}
	{
		const char *w[] = { "w:echo", "w:online", "1>", "w:/sys/x" };
		expect("echo online >/sys/x", 1, w, 4, "redirection attached to its file");
	}
	{
		const char *w[] = { "w:echo", "w:a>b", "w:>" };
		expect("echo 'a>b' \">\"", 1, w, 3, "quoted operators are words");
	}
	{
		const char *w[] = { "w:cat", "w:f", "2>", "w:/dev/null", "|", "w:grep", "w:x", "&&", "w:ls", "||",
				    "w:true", ";", "w:a", "2>&1", "1>>", "w:g" };
		expect("cat f 2>/dev/null | grep x && ls || true; a 2>&1 >>g", 1, w, 16, "operators and fd numbers");
	}
	{
		const char *w[] = { "w:cat", "w:/sys/memory*/state(glob)", "w:a*b" };
		expect("cat /sys/memory*/state 'a*b'", 1, w, 3, "unquoted glob characters are remembered");
	}
	{
		const char *w[] = { "w:echo", "w:" };
		expect("echo '' # a comment", 1, w, 2, "an empty quoted word; a comment");
	}
	{
		struct tokens t = { NULL, 0, 0 };
		const char *err = NULL;
		check(shlex_split("echo \"open", 1, &t, &err) < 0 && err, "an unterminated quote is an error");
		tokens_free(&t);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
