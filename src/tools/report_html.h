/* SPDX-License-Identifier: MIT */
/*
 * memhp run --html REPORT.html: one self-contained HTML page with a
 * scenario's transcript and, after each line that changed the guest's
 * memory (and after boot), the picture of physical memory (svg_map.h).
 */
#ifndef MEMHP_TOOLS_REPORT_HTML_H
#define MEMHP_TOOLS_REPORT_HTML_H

/*
 * Start the report at path for the scenario named title; the steps of the
 * next scenario_run() go into it. 0, or 2 with a message on stderr.
 */
int report_html_open(const char *path, const char *title);
/* End the page and close the file: 0, or 2 with a message on stderr. */
int report_html_close(void);

#endif
