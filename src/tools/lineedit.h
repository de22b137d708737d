/* SPDX-License-Identifier: MIT */
/*
 * memhp shell's line editor (lineedit.c): libedit's readline in callback
 * mode, so that Ctrl-C discards the line being typed as bash does, Tab
 * completes guest paths and monitor commands, and history persists in
 * $XDG_STATE_HOME/memhp/history. Without libedit, lines are read plainly.
 */
#ifndef MEMHP_TOOLS_LINEEDIT_H
#define MEMHP_TOOLS_LINEEDIT_H

#include <stdbool.h>

struct memhp;

/* Start editing on a terminal for machine m (completion source) and load the history. */
void lineedit_start(struct memhp *m);
/* The next line (malloc'd), or NULL at end of input; Ctrl-D leaves the terminal on a new line. */
char *lineedit_read(const char *prompt, bool tty);
/* From the SIGINT handler: the line being typed is discarded. */
void lineedit_interrupt(void);
/* Save the history. */
void lineedit_stop(void);
/* Completions for the line's last word (for the tests and the completer): NULL-terminated, malloc'd. */
char **lineedit_complete(struct memhp *m, const char *line);

#endif
