// SPDX-License-Identifier: MIT
/*
 * The HTML report of `memhp run --html`. Each line of the scenario becomes
 * a step (the line, what it printed); after a step the picture of memory is
 * drawn again and kept only when it differs from the last one kept, so the
 * report shows memory exactly where it changed. The page needs nothing
 * outside itself: the pictures are inline SVG, the style inline, and a
 * small script writes, once the page is laid out, what the browser drew
 * for every block (#render-check: its size and computed colour), which the
 * headless-Chromium test reads back.
 */
#include "report_html.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memhp/memhp.h"
#include "../api/host.h"
#include "svg_map.h"

static struct {
	FILE *f;
	char *path;
	char *last_svg;
	int step, figures;
} rep;

static void on_step(void *arg, struct memhp *m, const char *line, const char *output)
{
	FILE *f = rep.f;

	rep.step++;
	fprintf(f, "<div class=\"step\" id=\"step-%d\">\n<pre class=\"line\">", rep.step);
	svg_put_escaped(f, line);
	fputs("</pre>\n", f);
	if (output && *output) {
		fputs("<pre class=\"out\">", f);
		svg_put_escaped(f, output);
		fputs("</pre>\n", f);
	}
	char *svg = m ? svg_map(m, NULL) : NULL;
	if (svg && (!rep.last_svg || strcmp(svg, rep.last_svg))) {
		rep.figures++;
		fprintf(f, "<figure class=\"map\" id=\"map-%d\" data-step=\"%d\">\n%s<figcaption>Physical memory "
			   "after: <code>", rep.figures, rep.step, svg);
		svg_put_escaped(f, line);
		fputs("</code></figcaption>\n</figure>\n", f);
		free(rep.last_svg);
		rep.last_svg = svg;
	} else {
		free(svg);
	}
	fputs("</div>\n", f);
}

/* Runs in the browser once the page is laid out: what it drew for each block and legend swatch. */
static const char check_script[] =
	"<script>\n"
	"window.addEventListener('load', function () {\n"
	"  var out = [];\n"
	"  document.querySelectorAll('figure.map').forEach(function (fig) {\n"
	"    var step = fig.getAttribute('data-step');\n"
	"    fig.querySelectorAll('rect.legend').forEach(function (r) {\n"
	"      out.push(['legend', step, r.getAttribute('data-zone'), getComputedStyle(r).fill].join(' '));\n"
	"    });\n"
	"    fig.querySelectorAll('rect.block').forEach(function (r) {\n"
	"      var b = r.getBoundingClientRect();\n"
	"      out.push(['block', step, r.getAttribute('data-block'), r.getAttribute('data-state'),\n"
	"                r.getAttribute('data-fill-zone'), Math.round(b.width) + 'x' + Math.round(b.height),\n"
	"                getComputedStyle(r).fill.replace(/ /g, '')].join(' '));\n"
	"    });\n"
	"  });\n"
	"  document.getElementById('render-check').textContent = out.join('\\n') + '\\n';\n"
	"});\n"
	"</script>\n";

int report_html_open(const char *path, const char *title)
{
	rep.f = fopen(path, "w");
	if (!rep.f) {
		fprintf(stderr, "memhp: %s: %s\n", path, strerror(errno));
		return 2;
	}
	rep.path = strdup(path);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>memhp run ", rep.f);
	svg_put_escaped(rep.f, title);
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em 2em;color:#212121}\n"
	      "pre{margin:0;font-size:13px;white-space:pre-wrap}\n"
	      "pre.line{font-weight:bold;margin-top:.6em}\n"
	      "pre.out{color:#424242;border-left:3px solid #e0e0e0;padding-left:.6em}\n"
	      "figure.map{margin:.8em 0;overflow-x:auto}\n"
	      "figcaption{font-size:12px;color:#616161}\n"
	      "#render-check{display:none}\n"
	      "</style>\n</head>\n<body>\n<h1>memhp run ", rep.f);
	svg_put_escaped(rep.f, title);
	fputs("</h1>\n<p>The transcript of the scenario; after boot and after each line that changed the guest's "
	      "memory, its physical address space (blocks from /sys/devices/system/memory, ranges from "
	      "/proc/iomem and <code>info memory-devices</code>).</p>\n", rep.f);
	scenario_set_step_hook(on_step, NULL);
	return 0;
}

int report_html_close(void)
{
	int bad;

	scenario_set_step_hook(NULL, NULL);
	if (!rep.f)
		return 0;
	fputs("<pre id=\"render-check\"></pre>\n", rep.f);
	fputs(check_script, rep.f);
	fputs("</body>\n</html>\n", rep.f);
	bad = ferror(rep.f);
	bad |= fclose(rep.f);
	if (bad)
		fprintf(stderr, "memhp: %s: write error\n", rep.path);
	free(rep.path);
	free(rep.last_svg);
	memset(&rep, 0, sizeof(rep));
	return bad ? 2 : 0;
}
