// SPDX-License-Identifier: MIT
/*
 * QMP messages (memhp serve --qmp): the input is what one client sends, all
 * at once, to a fresh guest; the greeting and replies are read back and
 * dropped. The invariants hold after the client is done.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "machine/machine.h"
#include "tools/serve.h"

/* serve.c's, which the harness does not link: nothing to end */
void serve_request_quit(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct serve s;
	static struct qmp_server *q;
	char buf[65536];
	int sv[2];

	if (!q) {
		char path[64];

		snprintf(path, sizeof(path), "/tmp/memhp-fuzz-qmp.%d", (int)getpid());
		q = qmp_server_new(&s, path);
		if (!q)
			abort();
	}
	s.m = memhp_new(FUZZ_GUEST, NULL);
	if (!s.m || socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	s.mc = s.m->machine;
	machine_set_event_handler(s.mc, qmp_server_event, q);
	qmp_server_session(q, sv[0], (const char *)data, size);
	while (read(sv[1], buf, sizeof(buf)) > 0)
		;
	close(sv[1]);
	if (fuzz_verify(s.m, "the QMP input"))
		fuzz_fail("mm_verify", "the QMP input");
	machine_set_event_handler(s.mc, NULL, NULL);
	memhp_free(s.m);
	return 0;
}
