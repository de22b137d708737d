// SPDX-License-Identifier: MIT
/*
 * The interactive session: lines as in a scenario ("(qemu) info memdev",
 * "$ cat /proc/meminfo"), or a bare guest-shell command. With a terminal and
 * libedit, lines are edited and kept in history; otherwise they are read
 * plainly, so `memhp shell < commands` works too.
 */
#include "interactive.h"

#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memhp/memhp.h"
#include "svg_map.h"
#include "serve.h"
#include "cli.h"
#include "../api/host.h"

#include "lineedit.h"
#include "progress.h"

#define PROMPT "(memhp) "

static const char *const default_options[] = { "-m", "1G,slots=32,maxmem=8G", "-smp", "2" };

static void help(void)
{
	printf("Lines:\n"
	       "  (qemu) COMMAND   a QEMU monitor command (object_add, device_add pc-dimm, device_del,\n"
	       "                   object_del, qom-get, qom-set, qom-list, info ...; \"(qemu) help\")\n"
	       "  $ COMMAND        a guest shell command (cat, echo ... > FILE, ls, free, grep,\n"
	       "                   modprobe, memhog)\n"
	       "  COMMAND          the same as \"$ COMMAND\"\n"
	       "  memhp map [FILE] the picture of physical memory as SVG, into FILE on the host\n"
	       "                   (standard output without FILE)\n"
	       "  help             this text\n"
	       "  exit, quit       leave (end of input and Ctrl-D too)\n"
	       "Ctrl-C drops the line being typed; Tab completes guest paths, monitor commands and ids.\n");
}


/*
 * A monitor command typed at the guest prompt: the guest's shell does not
 * know it, so say where it belongs.
 */
static const char *const monitor_words[] = {
	"info", "device_add", "device_del", "object_add", "object_del", "qom-get", "qom-set", "qom-list", NULL,
};

static bool is_monitor_command(const char *l)
{
	size_t n = strcspn(l, " \t");

	for (const char *const *w = monitor_words; *w; w++)
		if (strlen(*w) == n && !strncmp(l, *w, n))
			return true;
	return false;
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
	lineedit_interrupt();
}

static volatile sig_atomic_t terminating;

static void on_sigterm(int sig)
{
	(void)sig;
	terminating = 1;
}

static void shell_usage(void)
{
	printf("usage: memhp shell [--help] [--version] [QEMU OPTIONS]\n"
	       "An interactive machine (default: -m 1G,slots=32,maxmem=8G -smp 2).\n"
	       "QEMU OPTIONS may include -qmp unix:SOCKET,server=on,wait=off (QMP beside the prompt).\n");
	help();
}

int interactive_main(int argc, char **argv)
{
	{
		static const struct cli_opt none[] = { { NULL, 0, false, 0 } };
		const char *arg;
		int i = 0, id;

		while ((id = cli_next(argc, argv, &i, none, true, &arg)) != 0) {
			if (id == CLI_HELP) {
				shell_usage();
				return 0;
			}
			if (id == CLI_VERSION) {
				cli_print_version();
				return 0;
			}
			return CLI_EXIT_USAGE;
		}
		argc -= i;
		argv += i;
	}
	char *err = NULL;
	struct memhp *m = argc > 0 ? memhp_new_argv(argc, argv, &err)
				   : memhp_new_argv(4, (char *const *)default_options, &err);
	if (!m) {
		fprintf(stderr, "qemu-system-x86_64: %s\n", err ? err : "cannot create the machine");
		free(err);
		return 1;
	}
	current = m;
	/* -qmp unix:PATH,server=on,wait=off: QMP beside the prompt, taking turns with it */
	struct serve qs;
	memset(&qs, 0, sizeof(qs));
	qs.m = m;
	qs.qmp_path = host_qmp_path(m);
	if (qs.qmp_path) {
		qs.qmp = qmp_server_new(&qs, qs.qmp_path);
		if (qs.qmp) {
			host_set_event_handler(m, qmp_server_event, qs.qmp);
			if (qmp_server_start(qs.qmp)) {
				host_set_event_handler(m, NULL, NULL);
				qmp_server_stop(qs.qmp);
				qs.qmp = NULL;
			}
		}
		if (!qs.qmp) {
			memhp_free(m);
			return 1;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	/* QMP quit (SIGTERM to ourselves) ends the session as end of input does */
	struct sigaction st;
	memset(&st, 0, sizeof(st));
	st.sa_handler = on_sigterm;
	sigaction(SIGTERM, &st, NULL);
	bool tty = isatty(STDIN_FILENO);
	if (tty)
		lineedit_start(m);
	if (tty)
		printf("memhp: a QEMU pc machine with a Linux 6.1 memory-hotplug guest. \"help\" for help.\n");
	char *line;
	while (!terminating && (line = lineedit_read(PROMPT, tty))) {
		const char *l = line + strspn(line, " \t");
		char *out = NULL;
		bool quit = false, hint = false;
		host_lock(m);	/* a line at a time, between QMP's commands */
		progress_begin(l);
		if (!*l || *l == '#') {
			/* nothing */
		} else if (!strcmp(l, "exit") || !strcmp(l, "quit") || !strcmp(l, "(qemu) quit") ||
			   !strcmp(l, "(qemu) q")) {
			quit = true;
		} else if (!strncmp(l, "memhp map", 9) && (!l[9] || l[9] == ' ' || l[9] == '\t')) {
			/* a host-side command: the guest has no memhp */
			svg_map_command(m, l + 9);
		} else if (!strcmp(l, "help")) {
			help();
		} else if (!strncmp(l, "(qemu) ", 7)) {
			memhp_monitor(m, l + 7, &out);
			/* "(qemu) q  " and the like: QEMU's quit however typed */
			quit = host_quit_requested(m);
		} else if (!strncmp(l, "$ ", 2)) {
			memhp_shell(m, l + 2, &out);
		} else if (!strncmp(l, "qemu ", 5)) {
			printf("memhp: the machine is already running; restart memhp shell with other options\n");
		} else {
			memhp_shell(m, l, &out);
			hint = is_monitor_command(l) && out && strstr(out, ": not found");
		}
		progress_end();
		put(out);
		if (hint)
			printf("memhp: %.*s is a monitor command: type \"(qemu) %s\"\n", (int)strcspn(l, " \t"), l,
			       l);
		fflush(stdout);
		free(out);
		host_unlock(m);
		free(line);
		if (quit)
			break;
	}
	current = NULL;
	if (tty)
		lineedit_stop();
	if (qs.qmp) {
		host_set_event_handler(m, NULL, NULL);
		qmp_server_stop(qs.qmp);
	}
	memhp_free(m);
	return 0;
}
