// SPDX-License-Identifier: MIT
/*
 * QMP messages (memhp serve --qmp): the input is what one client sends, all
 * at once, to a fresh guest; the greeting and replies are read back and
 * dropped. After each request the invariants hold, and a request answered
 * with an error left the state as it was.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "api/host.h"
#include "tools/serve.h"

/* serve.c's, which the harness does not link: nothing to end */
void serve_request_quit(void)
{
}

static struct serve s;
static struct sbuf before;

static void around_request(void *arg, int phase)
{
	struct sbuf after = SBUF_INIT;

	if (phase == 0) {
		fuzz_dump(s.m, &before);
		return;
	}
	if (phase < 0) {
		fuzz_dump(s.m, &after);
		if (strcmp(sb_str(&before), sb_str(&after))) {
			fprintf(stderr, "--- before\n%s--- after\n%s", sb_str(&before), sb_str(&after));
			fuzz_fail("a QMP request answered with an error changed the state", "the QMP input");
		}
		sb_free(&after);
	}
	if (fuzz_verify(s.m, "a QMP request"))
		fuzz_fail("mm_verify", "a QMP request");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qmp_server *q;
	char buf[65536];
	int sv[2];

	if (!q) {
		char path[64];

		snprintf(path, sizeof(path), "/tmp/memhp-fuzz-qmp.%d", (int)getpid());
		q = qmp_server_new(&s, path);
		if (!q)
			abort();
		qmp_server_set_message_hook(q, around_request, NULL);
	}
	s.m = memhp_new(FUZZ_GUEST, NULL);
	if (!s.m || socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	memhp_set_offline_timeout(s.m, FUZZ_OFFLINE_TIMEOUT_MS);
	host_set_event_handler(s.m, qmp_server_event, q);
	qmp_server_session(q, sv[0], (const char *)data, size);
	while (read(sv[1], buf, sizeof(buf)) > 0)
		;
	close(sv[1]);
	if (fuzz_verify(s.m, "the QMP input"))
		fuzz_fail("mm_verify", "the QMP input");
	host_set_event_handler(s.m, NULL, NULL);
	memhp_free(s.m);
	return 0;
}
