// SPDX-License-Identifier: MIT
/*
 * The guest shell's ash language and text applets (src/user/sh_*.c,
 * shell_text.c, shell_printf.c, shell_test.c). Every expected output below
 * was checked by running the same line with `busybox sh -c 'exec 2>&1; LINE'`
 * (Debian 12's busybox-static 1.35, the oracle guest's) in /.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memhp/memhp.h"

#include "check.h"

static const struct {
	const char *line, *want;
} cases[] = {
	/* control flow */
	{ "for i in 1 2; do echo $i; done", "1\n2\n" },
	{ "i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n" },
	{ "i=0; until [ $i = 2 ]; do i=$((i+1)); echo $i; done", "1\n2\n" },
	{ "for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done", "a1\nb1\n" },
	{ "for i in 1 2 3; do if [ $i = 2 ]; then break; fi; echo $i; done", "1\n" },
	{ "if false; then echo a; elif true; then echo b; else echo c; fi", "b\n" },
	{ "if false; then echo a; fi; echo $?", "0\n" },
	{ "case a in a) echo x;; *) echo y;; esac; case b in (a|b) echo z;; esac", "x\nz\n" },
	{ "case x in y) echo y;; esac; echo $?", "0\n" },
	{ "break; echo x", "x\n" },
	{ "break 0", "sh: break: line 0: Illegal number: 0\n" },
	{ "{ echo a; echo b; } | wc -l", "2\n" },
	{ "true | false; echo $?", "1\n" },
	{ "! true; echo $?", "1\n" },
	{ "echo a; exit 3; echo b", "a\n" },
	{ "echo a && echo b || echo c", "a\nb\n" },
	/* syntax errors: nothing runs */
	{ "echo a; if true; then echo; done", "sh: syntax error: unexpected \"done\" (expecting \"fi\")\n" },
	{ "for i in 1 2; do echo $i; doen", "sh: syntax error: unexpected end of file (expecting \"done\")\n" },
	{ "done", "sh: syntax error: unexpected \"done\"\n" },
	{ "if then fi", "sh: syntax error: unexpected \"then\"\n" },
	{ "echo a;; echo b", "sh: syntax error: unexpected \";;\"\n" },
	{ "echo \"abc", "sh: syntax error: unterminated quoted string\n" },
	{ "foo; echo $?", "sh: foo: not found\n127\n" },
	/* variables and expansion */
	{ "x=\"a  b\"; echo $x \"$x\"", "a b a  b\n" },
	{ "x=1; (x=2); echo $x", "1\n" },
	{ "echo a | read x; echo \"[$x]\"", "[]\n" },
	{ "f=/sys/a/b.c; echo ${f##*/} ${f#*/} ${f%/*} ${f%%/*}x ${#f}", "b.c sys/a/b.c /sys/a x 10\n" },
	{ "x=; echo ${x:-empty} ${x-unset} ${x:+set} ${y+set}", "empty\n" },
	{ "echo ${x=5} $x", "5 5\n" },
	{ "echo ${x:?oops}; echo after", "sh: x: oops\n" },
	{ "echo $(echo a; echo b)", "a b\n" },
	{ "echo \"$(printf \"a\\n\\n\")\"x", "ax\n" },
	{ "echo `echo hi`", "hi\n" },
	{ "echo \"a'b\" 'c\"d' a\\ b", "a'b c\"d a b\n" },
	/* arithmetic */
	{ "x=5; echo $((x*2)) $(( (x+1)%4 )) $((1<<4)) $((7/2)) $((-7/2)) $((-7%3))", "10 2 16 3 -3 -1\n" },
	{ "echo $(( 010 + 0x10 )) $((9223372036854775807+1))", "24 -9223372036854775808\n" },
	{ "x=abc; echo $((x+1)) $((y=3)) $y", "1 3 3\n" },
	{ "i=5; echo $((i++)) $i $((++i)) $((i+=2)) $i", "5 6 7 9 9\n" },
	{ "echo $((0 && 1/0))", "sh: divide by zero\n" },
	{ "echo $((08))", "sh: arithmetic syntax error\n" },
	/* test */
	{ "[ 1 -eq a ]; echo $?", "sh: a: bad number\n2\n" },
	{ "[ 1 -eq ]", "sh: -eq: argument expected\n" },
	{ "[ a b ]", "sh: b: unknown operand\n" },
	{ "[ 1 -eq 1", "sh: missing ]\n" },
	{ "[ ]; echo $?; [ ! ]; echo $?; [ -z ]; echo $?", "1\n0\n0\n" },
	{ "test 1 -lt 2 -a 3 -gt 4; echo $?", "1\n" },
	{ "[ \\( a = a \\) ]; echo $?", "0\n" },
	{ "[ 1 -gt 99999999999999999999 ]", "sh: 99999999999999999999: out of range\n" },
	/* printf */
	{ "printf '%5s|%-4d|%x|%X|%o|%u|%c|%%|%03d\\n' ab 3 255 255 8 7 xyz 5", "   ab|3   |ff|FF|10|7|x|%|005\n" },
	{ "printf '%s=%d\\n' a 5 b", "a=5\nb=sh: invalid number ''\n0\n" },
	{ "printf '%d\\n' 0x10 ' 7' -3 \"'A\"", "16\n7\n-3\n65\n" },
	{ "printf '\\x41\\101\\n'; printf 'a\\c b'; echo", "AA\na\n" },
	{ "printf", "sh: usage: printf FORMAT [ARGUMENT...]\n" },
	{ "printf '%x %u\\n' -1 -1", "ffffffffffffffff 18446744073709551615\n" },
	/* text applets */
	{ "printf 'b\\na\\nb\\n' | sort | uniq -c", "      1 a\n      2 b\n" },
	{ "printf '10\\n9\\n100\\n9\\n' | sort -rnu", "100\n10\n9\n" },
	{ "printf 'x\\n5\\n-1\\n' | sort -n", "-1\nx\n5\n" },
	{ "printf '1\\n2\\n3\\n' | head -2; printf '1\\n2\\n3\\n' | tail -n +2", "1\n2\n2\n3\n" },
	{ "echo a | head -n x", "head: invalid number 'x'\n" },
	{ "echo hi | wc; echo hi | wc -l", "        1         1         3\n1\n" },
	{ "tail -n 1 /nosuch", "tail: can't open '/nosuch': No such file or directory\ntail: no files\n" },
	{ "printf 'online\\noffline\\nonline_movable\\n' | grep -w online", "online\n" },
	{ "printf 'abc abd\\n' | grep -o 'ab.'", "abc\nabd\n" },
	{ "echo -e 'a\\tb' -n", "a\tb -n\n" },
	/* memhp's own limit: busybox would run forever */
	{ "while true; do :; done; echo after", "sh: memhp: loop limit exceeded\n" },
};

int main(void)
{
	char *err = NULL;
	struct memhp *m = memhp_new("-m 1G,slots=4,maxmem=8G -smp 2", &err);
	if (!m) {
		free(err);
		printf("not ok - memhp_new\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		memhp_shell(m, cases[i].line, &out);
		bool ok = out && !strcmp(out, cases[i].want);
		check(ok, cases[i].line);
		if (!ok)
			printf("# got:  [%s]\n# want: [%s]\n", out ? out : "(null)", cases[i].want);
		free(out);
	}
	memhp_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
