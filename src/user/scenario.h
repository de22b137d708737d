/* SPDX-License-Identifier: MIT */
/*
 * Running a scenario (.scn, docs/scenario-format.md): the QEMU line
 * creates the machine, "(qemu) " lines go to the monitor, "$ " lines to the
 * guest shell; each line is echoed, then what it printed.
 */
#ifndef MEMHP_USER_SCENARIO_H
#define MEMHP_USER_SCENARIO_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Run the scenario read from in (name: for messages) and print its
 * transcript to out; problems go to err. Returns an exit status: 0, 1 when
 * QEMU refuses the qemu line ("qemu-system-x86_64: MESSAGE" on err), 2 for
 * a malformed scenario (each bad line is listed; nothing is run then), 3 with
 * scenario_set_strict() when a command was unknown.
 */
int scenario_run(FILE *in, const char *name, FILE *out, FILE *err);
/* --strict: a command the monitor or the guest shell does not know makes the exit status 3. */
void scenario_set_strict(bool on);
/* Called around each line's work (the memhp program's progress on a terminal). */
void scenario_set_line_hooks(void (*begin)(const char *line), void (*end)(void));
/* With a stream, scenario_run() writes the kernel's flow trace there ("  | " lines). */
void scenario_set_trace(FILE *trace);
/*
 * With a function, scenario_run() calls it after each line has run: the line
 * as written, what it printed (NULL when nothing) and the machine (NULL when
 * the qemu line failed). memhp run --html builds its report from these calls.
 */
struct memhp;
typedef void (*scenario_step_fn)(void *arg, struct memhp *m, const char *line, const char *output);
void scenario_set_step_hook(scenario_step_fn fn, void *arg);

/* What a line of a scenario is. */
enum scn_kind { SCN_SKIP, SCN_QEMU, SCN_MONITOR, SCN_SHELL, SCN_BAD };
enum scn_kind scenario_classify(const char *line);

#endif
