// SPDX-License-Identifier: MIT
/*
 * The scenario runner: the same reading of a .scn file as the oracle's
 * scn.py (comments and blank lines dropped, the rest echoed exactly), so that
 * the two transcripts line up.
 */
#include "scenario.h"
#include "../lib/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memhp/memhp.h"
#include "../api/api_internal.h"
#include "../machine/machine.h"

enum scn_kind scenario_classify(const char *line)
{
	if (line[0] == '#' || !line[strspn(line, " \t\r\n\v\f")])
		return SCN_SKIP;
	if (!strncmp(line, "qemu ", 5))
		return SCN_QEMU;
	if (!strncmp(line, "(qemu) ", 7))
		return SCN_MONITOR;
	if (!strncmp(line, "$ ", 2))
		return SCN_SHELL;
	return SCN_BAD;
}

struct scn_line {
	char *text;
	int lineno;
	enum scn_kind kind;
};

static void free_lines(struct scn_line *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* Print a command's output as lines: what it printed, newline-terminated. */
static void put_output(FILE *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!n)
		return;
	fwrite(s, 1, n, out);
	if (s[n - 1] != '\n')
		fputc('\n', out);
}

static FILE *trace_out;

void scenario_set_trace(FILE *trace) { trace_out = trace; }

static scenario_step_fn step_fn;
static void *step_arg;

void scenario_set_step_hook(scenario_step_fn fn, void *arg)
{
	step_fn = fn;
	step_arg = arg;
}

static void trace_line(void *arg, const char *line)
{
	fprintf(arg, "  | %s\n", line);
}

static bool strict;
static void (*line_begin)(const char *line), (*line_end)(void);

void scenario_set_line_hooks(void (*begin)(const char *line), void (*end)(void))
{
	line_begin = begin;
	line_end = end;
}

void scenario_set_strict(bool on)
{
	strict = on;
}

/* --strict: the line's first line of output names the unknown command */
static int strict_report(FILE *err, const char *name, int lineno, const char *text)
{
	fprintf(err, "memhp: %s:%d: %.*s\n", name, lineno, (int)strcspn(text, "\n"), text);
	return 1;
}

int scenario_run(FILE *in, const char *name, FILE *out, FILE *err)
{
	struct scn_line *v = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *buf = NULL;
	ssize_t got;
	int lineno = 0, status = 0, unknown = 0;
	size_t quit_at = (size_t)-1;

	/* Read and check everything first: a malformed scenario runs nothing. */
	errno = 0;
	while ((got = getline(&buf, &len, in)) >= 0) {
		lineno++;
		while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
			buf[--got] = 0;
		if (strlen(buf) != (size_t)got) {
			fprintf(err, "memhp: %s:%d: NUL byte in line\n", name, lineno);
			status = 2;
			continue;	/* every bad line is listed */
		}
		enum scn_kind kind = scenario_classify(buf);
		if (kind == SCN_SKIP)
			continue;
		if (kind == SCN_BAD) {
			fprintf(err, "memhp: %s:%d: cannot run line (not \"qemu \", \"(qemu) \" or \"$ \"): %s\n",
				name, lineno, buf);
			status = 2;
			continue;
		}
		if ((kind == SCN_QEMU) != (n == 0)) {
			fprintf(err, "memhp: %s:%d: %s\n", name, lineno,
				n ? "a second qemu line (a scenario has exactly one)"
				  : "the first line must be the qemu line");
			status = 2;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct scn_line *nv = mh_realloc(v, cap * sizeof(*v));
			if (!nv)
				out_of_memory(ALLOC_WHERE, 0);
			v = nv;
		}
		v[n].text = mh_strdup(buf);
		if (!v[n].text)
			out_of_memory(ALLOC_WHERE, 0);
		v[n].lineno = lineno;
		v[n].kind = kind;
		n++;
	}
	free(buf);
	/* getline() out of memory returns -1 like end of file, without the error flag */
	if (!status && (ferror(in) || !feof(in))) {
		fprintf(err, "memhp: %s: %s\n", name, strerror(errno));
		status = 2;
	}
	if (!status && n == 0) {
		fprintf(err, "memhp: %s: no qemu line\n", name);
		status = 2;
	}
	if (status) {
		free_lines(v, n);
		return status;
	}

	struct memhp *m = NULL;
	for (size_t i = 0; i < n && !status; i++) {
		char *text = NULL;
		fprintf(out, "%s\n", v[i].text);
		if (line_begin)
			line_begin(v[i].text);
		switch (v[i].kind) {
		case SCN_QEMU:
			m = memhp_new(v[i].text + 5, &text);
			if (!m) {
				fflush(out);
				const char *msg = text ? text : "cannot create the machine";
				/* QEMU's own prefix, once */
				if (!strncmp(msg, "qemu-system-x86_64: ", 20))
					msg += 20;
				fprintf(err, "qemu-system-x86_64: %s\n", msg);
				status = 1;
			} else if (trace_out) {
				memhp_set_trace_handler(m, trace_line, trace_out);
			}
			break;
		case SCN_MONITOR:
			memhp_monitor(m, v[i].text + 7, &text);
			put_output(out, text);
			if (strict && text && !strncmp(text, "unknown command: ", 17))
				unknown += strict_report(err, name, v[i].lineno, text);
			if (m && machine_quit_requested(m->machine))
				quit_at = i;
			break;
		case SCN_SHELL:
			memhp_shell(m, v[i].text + 2, &text);
			put_output(out, text);
			if (strict && text && strstr(text, ": not found"))
				unknown += strict_report(err, name, v[i].lineno, text);
			break;
		default:
			break;
		}
		if (step_fn)
			step_fn(step_arg, m, v[i].text, text);
		if (line_end)
			line_end();
		free(text);
		/* a long scenario shows its progress line by line */
		fflush(out);
		if (quit_at == i) {
			/* HMP quit ends QEMU (exit 0): the transcript stops, what follows never runs */
			if (i + 1 < n)
				fprintf(err, "memhp: %s:%d: the machine quit here; %zu line%s after it %s not run "
					"(from line %d)\n", name, v[i].lineno, n - i - 1, n - i - 1 > 1 ? "s" : "",
					n - i - 1 > 1 ? "were" : "was", v[i + 1].lineno);
			break;
		}
	}
	memhp_free(m);
	free_lines(v, n);
	return status ? status : unknown ? 3 : 0;
}
