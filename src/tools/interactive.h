/* SPDX-License-Identifier: MIT */
/* `memhp shell [QEMU OPTIONS]`: a machine to drive by hand. */
#ifndef MEMHP_TOOLS_INTERACTIVE_H
#define MEMHP_TOOLS_INTERACTIVE_H

/* argv: the QEMU options (none: a default machine). Returns the exit status. */
int interactive_main(int argc, char **argv);

#endif
