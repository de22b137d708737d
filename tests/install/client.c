// SPDX-License-Identifier: MIT
/*
 * A program as a library user writes it: it has functions of its own named
 * as the library's internals are (klog, parse_size, add_memory, list_add,
 * machine_new), and must link against the installed libmemhp, static or
 * shared, and run. tests/run-tests.sh builds it with
 * `pkg-config --cflags --libs memhp` against a scratch DESTDIR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memhp/memhp.h>

/* The client's own names: a clash with the library would fail the link or misroute calls. */
int klog(const char *what) { return printf("client klog: %s\n", what); }
long parse_size(const char *s) { return strtol(s, NULL, 10) * 2; }
int add_memory(int a, int b) { return a + b; }
void list_add(void **head, void *item) { *head = item; }
void *machine_new(void) { return (void *)"client"; }

int main(void)
{
	void *head = NULL;
	int bad = 0;

	list_add(&head, "x");
	if (parse_size("21") != 42 || add_memory(40, 2) != 42 || strcmp(machine_new(), "client") || !head)
		bad++;
	klog("starting");
	if (strcmp(memhp_version(), MEMHP_VERSION_STRING)) {
		fprintf(stderr, "client: header %s, library %s\n", MEMHP_VERSION_STRING, memhp_version());
		bad++;
	}

	char *err = NULL;
	struct memhp *m = memhp_new("-m 1G,slots=2,maxmem=4G", &err);
	if (!m) {
		fprintf(stderr, "client: %s\n", err);
		return 1;
	}
	char *out = NULL;
	if (memhp_monitor(m, "object_add memory-backend-ram,id=m1,size=128M", &out) ||
	    memhp_monitor(m, "device_add pc-dimm,id=d1,memdev=m1", NULL))
		bad++;
	free(out);
	if (memhp_monitor(m, "no_such_command", NULL) != -ENOSYS)
		bad++;
	if (memhp_write(m, "/sys/devices/system/memory/memory32/state", "online", 6))
		bad++;
	if (memhp_read(m, "/sys/devices/system/memory/memory32/state", &out) || !out || strcmp(out, "online\n"))
		bad++;
	printf("memory32: %s", out ? out : "(none)\n");
	free(out);
	memhp_free(m);
	printf("client: %s, memhp %s\n", bad ? "FAILED" : "ok", memhp_version());
	return bad != 0;
}
