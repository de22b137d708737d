/* SPDX-License-Identifier: MIT */
/*
 * Progress on the terminal (progress.c): a command that runs longer than a
 * second gets a status line on stderr, "memhp: COMMAND ... N s", redrawn in
 * place and erased when it ends. Only when stderr is a terminal: never in a
 * transcript, a pipe or a file.
 */
#ifndef MEMHP_TOOLS_PROGRESS_H
#define MEMHP_TOOLS_PROGRESS_H

void progress_begin(const char *what);
void progress_end(void);

#endif
