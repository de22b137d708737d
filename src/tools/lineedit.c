// SPDX-License-Identifier: MIT
/*
 * Line editing for memhp shell. readline() itself cannot be interrupted
 * cleanly from a signal handler, so the line is read in libedit's callback
 * mode from a select() loop: a SIGINT sets a flag, the loop drops the
 * partial line and shows a fresh prompt (bash's behaviour). Completion asks
 * the guest's own file system (memhp_list), never the host's.
 */
#include "lineedit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memhp/memhp.h"

#ifdef MEMHP_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

static struct memhp *machine;
static volatile sig_atomic_t interrupted;
static bool eof_typed;
static bool line_empty;		/* rl_end is only brought up to date after each key */
static char history_path[4200];

/* the monitor's commands and the info subcommands memhp has */
static const char *const monitor_cmds[] = {
	"device_add", "device_del", "help", "info", "object_add", "object_del", "qom-get", "qom-list",
	"qom-set", "quit", NULL,
};
static const char *const info_cmds[] = {
	"balloon", "memdev", "memory-devices", "memory_size_summary", "numa", "status", "version", NULL,
};

/*
 * device_add and object_add: QEMU's device_add_completion() and
 * object_add_completion() complete the type, the types memhp has here.
 * The properties after a comma (and a memdev='s backend id) are memhp's
 * extension: QEMU's monitor completes no property names.
 */
struct type_props {
	const char *type;
	const char *const *props;
};
static const char *const dimm_props[] = { "id=", "memdev=", "node=", "addr=", "slot=", NULL };
static const char *const vmem_props[] = {
	"id=", "memdev=", "node=", "requested-size=", "block-size=", "memaddr=", NULL,
};
static const char *const backend_props[] = {
	"id=", "size=", "merge=", "dump=", "prealloc=", "share=", "reserve=", "policy=", "host-nodes=",
	"prealloc-threads=", "x-use-canonical-path-for-ramblock-id=", NULL,
};
static const struct type_props device_types[] = {
	{ "pc-dimm", dimm_props }, { "virtio-mem-pci", vmem_props }, { NULL, NULL },
};
static const struct type_props object_types[] = {
	{ "memory-backend-ram", backend_props }, { NULL, NULL },
};

struct list {
	char **v;
	size_t n, cap;
};

static void add(struct list *l, const char *prefix, size_t plen, const char *s, const char *suffix)
{
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	size_t len = plen + strlen(s) + strlen(suffix) + 1;
	char *e = malloc(len);

	if (!e)
		return;
	snprintf(e, len, "%.*s%s%s", (int)plen, prefix, s, suffix);
	l->v[l->n++] = e;
	l->v[l->n] = NULL;
}

static void add_matching(struct list *l, const char *const *words, const char *word)
{
	for (; *words; words++)
		if (!strncmp(*words, word, strlen(word)))
			add(l, "", 0, *words, "");
}

/* guest paths: the entries of the word's directory in the guest that start with its last part */
static void complete_path(struct memhp *m, struct list *l, const char *word)
{
	const char *slash = strrchr(word, '/');
	char dir[4096], full[8192];
	char **names = NULL;
	size_t n = 0;

	if (!slash)
		return;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - word) ? (int)(slash - word) : 1, word);
	if (memhp_list(m, dir, &names, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		char **sub = NULL;
		size_t subn = 0;

		if (strncmp(names[i], slash + 1, strlen(slash + 1)))
			continue;
		snprintf(full, sizeof(full), "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
		bool is_dir = memhp_list(m, full, &sub, &subn) == 0;

		memhp_free_list(sub, subn);
		add(l, word, (size_t)(slash + 1 - word), names[i], is_dir ? "/" : "");
	}
	memhp_free_list(names, n);
}

/* ids for device_del, object_del and qom-*: from `info memory-devices` and `info memdev` */
static void complete_ids(struct memhp *m, struct list *l, const char *word, bool devices, bool objects)
{
	char *out = NULL;

	if (devices && memhp_monitor(m, "info memory-devices", &out) == 0 && out) {
		for (char *p = out; (p = strstr(p, "]: \"")); p += 4) {
			char id[256];

			if (sscanf(p + 4, "%255[^\"]", id) == 1 && !strncmp(id, word, strlen(word)))
				add(l, "", 0, id, "");
		}
	}
	free(out);
	out = NULL;
	if (objects && memhp_monitor(m, "info memdev", &out) == 0 && out) {
		for (char *p = out; (p = strstr(p, "memory backend: ")); p += 16) {
			char id[256];

			if (sscanf(p + 16, "%255s", id) == 1 && !strncmp(id, word, strlen(word)))
				add(l, "", 0, id, "");
		}
	}
	free(out);
}

/* "TYPE,KEY=VAL,...,LAST": the type's names, then LAST's property names or a memdev='s backend */
static void complete_options(struct memhp *m, struct list *l, const char *word, const struct type_props *types)
{
	const char *comma = strchr(word, ','), *last = strrchr(word, ',');
	const struct type_props *t;

	if (!comma) {
		for (t = types; t->type; t++)
			if (!strncmp(t->type, word, strlen(word)))
				add(l, "", 0, t->type, "");
		return;
	}
	for (t = types; t->type; t++)
		if (strlen(t->type) == (size_t)(comma - word) && !strncmp(t->type, word, (size_t)(comma - word)))
			break;
	if (!t->type)
		return;
	last++;
	if (!strncmp(last, "memdev=", 7)) {
		struct list ids = { NULL, 0, 0 };

		complete_ids(m, &ids, last + 7, false, true);
		for (size_t i = 0; i < ids.n; i++) {
			add(l, word, (size_t)(last + 7 - word), ids.v[i], "");
			free(ids.v[i]);
		}
		free(ids.v);
		return;
	}
	if (strchr(last, '='))
		return;
	for (const char *const *p = t->props; *p; p++)
		if (!strncmp(*p, last, strlen(last)))
			add(l, word, (size_t)(last - word), *p, "");
}

char **lineedit_complete(struct memhp *m, const char *line)
{
	struct list l = { NULL, 0, 0 };
	const char *word = strrchr(line, ' ');
	bool monitor = !strncmp(line, "(qemu) ", 7);
	const char *cmd = monitor ? line + 7 : line;
	size_t cmdlen = strcspn(cmd, " ");

	word = word ? word + 1 : line;
	if (monitor && word == cmd) {
		add_matching(&l, monitor_cmds, word);
	} else if (monitor && cmdlen == 4 && !strncmp(cmd, "info", 4) && word == cmd + 5) {
		add_matching(&l, info_cmds, word);
	} else if (monitor && word == cmd + cmdlen + 1 && cmdlen == 10 && !strncmp(cmd, "device_add", 10)) {
		complete_options(m, &l, word, device_types);
	} else if (monitor && word == cmd + cmdlen + 1 && cmdlen == 10 && !strncmp(cmd, "object_add", 10)) {
		complete_options(m, &l, word, object_types);
	} else if (monitor && word == cmd + cmdlen + 1) {
		bool dev = !strncmp(cmd, "device_del", cmdlen) || !strncmp(cmd, "qom-", 4);
		bool obj = !strncmp(cmd, "object_del", cmdlen) || !strncmp(cmd, "qom-", 4);

		complete_ids(m, &l, word, dev, obj);
	} else if (!monitor) {
		const char *p = word;

		/* "> FILE" or ">FILE": the path after the redirection */
		while (*p == '>' || *p == '<')
			p++;
		complete_path(m, &l, p);
	}
	if (!l.v) {
		l.v = calloc(1, sizeof(char *));
	}
	return l.v;
}

#ifdef MEMHP_HAVE_LIBEDIT
static char **matches;
static size_t match_next;

static char *next_match(const char *text, int state)
{
	(void)text;
	if (!state)
		match_next = 0;
	return matches && matches[match_next] ? strdup(matches[match_next++]) : NULL;
}

/* completion of the word up to the cursor, from the guest and the monitor */
static char **attempt(const char *text, int start, int end)
{
	char line[4096];
	char **r;

	(void)end;
	snprintf(line, sizeof(line), "%.*s%s", start, rl_line_buffer, text);
	matches = lineedit_complete(machine, line);
	/* the completer works on the word after the last space; readline wants it after its own breaks */
	/* within an option string (a comma before it) the next option follows without a space */
	rl_completion_append_character = matches && matches[0] && strchr(matches[0], ',') ? '\0' : ' ';
	r = rl_completion_matches(text, next_match);
	for (size_t i = 0; matches && matches[i]; i++)
		free(matches[i]);
	free(matches);
	matches = NULL;
	return r;
}

static char *got_line;
static bool got;

/*
 * Ctrl-D on an empty line ends the input. libedit's callback mode would show
 * it as "^D" before ending, so the key is taken here, before libedit reads it,
 * and libedit sees the end of its input instead (bash prints only the newline).
 */
static int read_key(FILE *in)
{
	unsigned char c;
	ssize_t n;

	(void)in;
	do
		n = read(STDIN_FILENO, &c, 1);
	while (n < 0 && errno == EINTR && !interrupted);
	if (n <= 0)
		return EOF;
	if (c == 4 && line_empty) {
		eof_typed = true;
		return EOF;
	}
	return c;
}

static void on_line(char *l)
{
	got_line = l;
	got = true;
	rl_callback_handler_remove();
}
#endif

void lineedit_interrupt(void)
{
	interrupted = 1;
}

void lineedit_start(struct memhp *m)
{
	machine = m;
#ifdef MEMHP_HAVE_LIBEDIT
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[4096];

	rl_readline_name = "memhp";
	rl_getc_function = read_key;	/* before libedit's first rl_initialize() */
	rl_attempted_completion_function = attempt;
	/* libedit's completion breaks words at rl_basic_word_break_characters, whose "=" would split
	 * "memdev=mem1" and "-m=..." paths: words end at blanks and redirections only */
	rl_completer_word_break_characters = (char *)" \t";
	rl_basic_word_break_characters = (char *)" \t<>";
	if (state && *state)
		snprintf(dir, sizeof(dir), "%s/memhp", state);
	else if (home && *home)
		snprintf(dir, sizeof(dir), "%s/.local/state/memhp", home);
	else
		return;
	/* $XDG_STATE_HOME/memhp/history (XDG base directories: state, with ~/.local/state by default) */
	char parent[4096];

	snprintf(parent, sizeof(parent), "%.*s", (int)(strrchr(dir, '/') - dir), dir);
	mkdir(parent, 0700);
	mkdir(dir, 0700);
	snprintf(history_path, sizeof(history_path), "%s/history", dir);
	read_history(history_path);
#endif
}

void lineedit_stop(void)
{
#ifdef MEMHP_HAVE_LIBEDIT
	if (history_path[0])
		write_history(history_path);
#endif
}

static char *plain_line(void)
{
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

char *lineedit_read(const char *prompt, bool tty)
{
#ifdef MEMHP_HAVE_LIBEDIT
	if (tty) {
		got = false;
		got_line = NULL;
		interrupted = 0;
		/*
		 * SIGINT stays blocked but inside pselect(): one that arrived
		 * while a key was being handled would set the flag after the
		 * check and leave select() waiting for the next key
		 */
		sigset_t sigint, orig;
		sigemptyset(&sigint);
		sigaddset(&sigint, SIGINT);
		sigprocmask(SIG_BLOCK, &sigint, &orig);
		rl_callback_handler_install(prompt, on_line);
		line_empty = true;
		while (!got) {
			fd_set fds;

			FD_ZERO(&fds);
			FD_SET(STDIN_FILENO, &fds);
			int r = interrupted ? 0 : pselect(STDIN_FILENO + 1, &fds, NULL, NULL, NULL, &orig);

			if (interrupted) {
				/* bash: the line is dropped, a new prompt follows on the next line */
				interrupted = 0;
				rl_replace_line("", 0);
				rl_callback_handler_remove();
				fputs("^C\n", stdout);
				fflush(stdout);
				rl_callback_handler_install(prompt, on_line);
				line_empty = true;
				continue;
			}
			if (r < 0) {
				if (errno == EINTR)
					continue;
				rl_callback_handler_remove();
				sigprocmask(SIG_SETMASK, &orig, NULL);
				return NULL;
			}
			rl_callback_read_char();
			line_empty = rl_end == 0;
			if (eof_typed) {
				eof_typed = false;
				rl_callback_handler_remove();
				got_line = NULL;
				break;
			}
		}
		sigprocmask(SIG_SETMASK, &orig, NULL);
		if (!got_line) {
			/* Ctrl-D: the shell's next output starts on a line of its own */
			fputs("\n", stdout);
			fflush(stdout);
			return NULL;
		}
		if (*got_line)
			add_history(got_line);
		return got_line;
	}
#else
	if (tty) {
		char *l;

		fputs(prompt, stdout);
		fflush(stdout);
		l = plain_line();
		if (!l) {
			/* Ctrl-D: the terminal showed nothing; end on a new line as bash does */
			fputs("\n", stdout);
			fflush(stdout);
		}
		return l;
	}
#endif
	return plain_line();
}
