// SPDX-License-Identifier: MIT
/*
 * The interactive session: lines as in a scenario ("(qemu) info memdev",
 * "$ cat /proc/meminfo"), or a bare guest-shell command. With a terminal and
 * libedit, lines are edited and kept in history; otherwise they are read
 * plainly, so `memhp shell < commands` works too.
 */
#include "interactive.h"

#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memhp/memhp.h"

#ifdef MEMHP_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#define PROMPT "(memhp) "

static const char *const default_options[] = { "-m", "1G,slots=32,maxmem=8G", "-smp", "2" };

static void help(void)
{
	printf("Lines:\n"
	       "  (qemu) COMMAND   a QEMU monitor command (object_add, device_add pc-dimm, device_del,\n"
	       "                   object_del, info memory-devices, info memdev, info numa)\n"
	       "  $ COMMAND        a guest shell command (cat, echo ... > FILE, ls, free, grep,\n"
	       "                   modprobe, memhog)\n"
	       "  COMMAND          the same as \"$ COMMAND\"\n"
	       "  help             this text\n"
	       "  exit, quit       leave (end of input too)\n");
}

/* The next line without its newline (malloc'd), or NULL at the end of input. */
static char *next_line(bool tty)
{
#ifdef MEMHP_HAVE_LIBEDIT
	if (tty) {
		char *l = readline(PROMPT);
		if (l && *l)
			add_history(l);
		return l;
	}
#else
	if (tty) {
		fputs(PROMPT, stdout);
		fflush(stdout);
	}
#endif
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = getline(&buf, &cap, stdin);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = 0;
	return buf;
}

static void put(const char *s)
{
	if (!s || !*s)
		return;
	fputs(s, stdout);
	if (s[strlen(s) - 1] != '\n')
		putchar('\n');
}

/* Ctrl-C is the signal that ends a long offline with EINTR, as in a guest shell. */
static struct memhp *current;

static void on_sigint(int sig)
{
	(void)sig;
	if (current)
		memhp_cancel_offline(current);
}

int interactive_main(int argc, char **argv)
{
	char *err = NULL;
	struct memhp *m = argc > 0 ? memhp_new_argv(argc, argv, &err)
				   : memhp_new_argv(4, (char *const *)default_options, &err);
	if (!m) {
		fprintf(stderr, "qemu-system-x86_64: %s\n", err ? err : "cannot create the machine");
		free(err);
		return 1;
	}
	current = m;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	bool tty = isatty(STDIN_FILENO);
	if (tty)
		printf("memhp: a QEMU pc machine with a Linux 6.1 memory-hotplug guest. \"help\" for help.\n");
	char *line;
	while ((line = next_line(tty))) {
		const char *l = line + strspn(line, " \t");
		char *out = NULL;
		bool quit = false;
		if (!*l || *l == '#') {
			/* nothing */
		} else if (!strcmp(l, "exit") || !strcmp(l, "quit") || !strcmp(l, "(qemu) quit") || !strcmp(l, "(qemu) q")) {
			quit = true;
		} else if (!strcmp(l, "help")) {
			help();
		} else if (!strncmp(l, "(qemu) ", 7)) {
			memhp_monitor(m, l + 7, &out);
		} else if (!strncmp(l, "$ ", 2)) {
			memhp_shell(m, l + 2, &out);
		} else if (!strncmp(l, "qemu ", 5)) {
			printf("memhp: the machine is already running; restart memhp shell with other options\n");
		} else {
			memhp_shell(m, l, &out);
		}
		put(out);
		fflush(stdout);
		free(out);
		free(line);
		if (quit)
			break;
	}
	current = NULL;
	memhp_free(m);
	return 0;
}
