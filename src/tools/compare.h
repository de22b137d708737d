/* SPDX-License-Identifier: MIT */
/* `memhp compare`: two transcripts, normalised (normalise.h), line by line. */
#ifndef MEMHP_TOOLS_COMPARE_H
#define MEMHP_TOOLS_COMPARE_H

/*
 * argv[0] is "compare". `compare EXPECTED ACTUAL`: exit 0 and "match: N lines"
 * when equal, else a unified diff of the normalised lines and exit 1.
 * `compare --normalise FILE`: print FILE's normalised form. Exit 2 on usage or I/O errors.
 */
int compare_main(int argc, char **argv);

#endif
