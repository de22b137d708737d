// SPDX-License-Identifier: MIT
/*
 * memhp serve [--mount DIR] [--qmp SOCKET] [--on-event CMD] [--allow-other]
 *             [--monitor] QEMU-OPTIONS...
 *
 * A machine that stays up. The main thread serves the FUSE mount (or waits
 * for a signal), a QMP thread serves the socket, and an event thread
 * delivers the guest kernel's uevents: printed like `udevadm monitor
 * --kernel`, and/or given to `/bin/sh -c CMD` with ACTION, DEVPATH,
 * SUBSYSTEM and SEQNUM in its environment, one event at a time in order.
 * Events are queued by the kernel (which holds the machine's lock) and run
 * outside it, so a command may use the mount, e.g. to online a new block.
 * The queue is bounded as a uevent socket's receive buffer is: when it is
 * full the kernel's events are dropped (their SEQNUMs leave a gap) and
 * counted on stderr, as udevd reports ENOBUFS.
 * SIGINT, SIGTERM, SIGHUP or QMP quit end it within a second: queued
 * events are not run, a running command gets SIGTERM and, after a short
 * grace, SIGKILL (its process group); the mount is unmounted.
 */
#include "serve.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "memhp/memhp.h"
#include "../api/host.h"
#include "svg_map.h"

extern char **environ;

/* ---- the uevent queue ---- */

struct uev {
	char *action, *devpath, *subsystem;
	unsigned long long seqnum;
	struct timespec ts;	/* CLOCK_MONOTONIC, as udevadm shows it */
	struct uev *next;
};

#define EVQ_MAX		1024	/* queued events; beyond, dropped */
#define HOOK_GRACE_MS	500	/* SIGTERM to SIGKILL for a command running at exit */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct uev *head, **tail;
	bool stop;
	unsigned long long seqnum;
	unsigned nr;			/* events queued */
	unsigned long long dropped;	/* dropped and not reported yet */
	int wake[2];			/* readable once stop is set: ends a command's wait */
} evq = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, &evq.head, false, 0, 0, 0, { -1, -1 } };

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

/* kobject_uevent(): called with the machine's lock held; only queue. */
static void on_uevent(void *arg, const char *action, const char *devpath, const char *subsystem)
{
	struct uev *e;

	pthread_mutex_lock(&evq.lock);
	/* the kernel numbers every event; a full socket loses it (netlink_broadcast() ENOBUFS) */
	++evq.seqnum;
	if (evq.nr >= EVQ_MAX || evq.stop) {
		evq.dropped += !evq.stop;
		pthread_mutex_unlock(&evq.lock);
		return;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	e->action = xstrdup(action);
	e->devpath = xstrdup(devpath);
	e->subsystem = xstrdup(subsystem);
	clock_gettime(CLOCK_MONOTONIC, &e->ts);
	e->seqnum = evq.seqnum;
	*evq.tail = e;
	evq.tail = &e->next;
	evq.nr++;
	pthread_cond_signal(&evq.cond);
	pthread_mutex_unlock(&evq.lock);
}

/* the drops since the last report, on stderr (the caller holds evq.lock) */
static void report_dropped(void)
{
	if (!evq.dropped)
		return;
	fprintf(stderr, "memhp serve: kernel uevent queue full (%d events): %llu events dropped\n", EVQ_MAX,
		evq.dropped);
	evq.dropped = 0;
}

static void free_uev(struct uev *e)
{
	free(e->action);
	free(e->devpath);
	free(e->subsystem);
	free(e);
}

/* the environment of an event command: ours, with udev's variables set */
static char **event_env(const struct serve *s, const struct uev *e)
{
	static const char *const ours[] = { "ACTION=", "DEVPATH=", "SUBSYSTEM=", "SEQNUM=",
					     "MEMHP_MOUNT=", "MEMHP_QMP=" };
	size_t n = 0, k = 0;
	char **env;
	char buf[4200];

	while (environ && environ[n])
		n++;
	env = calloc(n + 8, sizeof(*env));
	if (!env)
		abort();
	for (size_t i = 0; i < n; i++) {
		bool skip = false;

		for (size_t j = 0; j < sizeof(ours) / sizeof(ours[0]); j++)
			skip |= !strncmp(environ[i], ours[j], strlen(ours[j]));
		if (!skip)
			env[k++] = xstrdup(environ[i]);
	}
	snprintf(buf, sizeof(buf), "ACTION=%s", e->action);
	env[k++] = xstrdup(buf);
	snprintf(buf, sizeof(buf), "DEVPATH=%s", e->devpath);
	env[k++] = xstrdup(buf);
	snprintf(buf, sizeof(buf), "SUBSYSTEM=%s", e->subsystem);
	env[k++] = xstrdup(buf);
	snprintf(buf, sizeof(buf), "SEQNUM=%llu", e->seqnum);
	env[k++] = xstrdup(buf);
	if (s->mount) {
		snprintf(buf, sizeof(buf), "MEMHP_MOUNT=%s", s->mount);
		env[k++] = xstrdup(buf);
	}
	if (s->qmp_path) {
		snprintf(buf, sizeof(buf), "MEMHP_QMP=%s", s->qmp_path);
		env[k++] = xstrdup(buf);
	}
	env[k] = NULL;
	return env;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool stopping(void)
{
	bool stop;

	pthread_mutex_lock(&evq.lock);
	stop = evq.stop;
	pthread_mutex_unlock(&evq.lock);
	return stop;
}

/*
 * Wait for a command (the leader of its process group); once the server
 * stops, SIGTERM the group, and SIGKILL it after HOOK_GRACE_MS.
 */
static void wait_command(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int64_t kill_at = -1;
	int status;

	for (;;) {
		struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { evq.wake[0], POLLIN, 0 } };
		int timeout = -1;
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (kill_at < 0 && stopping()) {
			killpg(pid, SIGTERM);
			kill_at = mono_ms() + HOOK_GRACE_MS;
		}
		if (kill_at >= 0) {
			int64_t left = kill_at - mono_ms();

			if (left <= 0 && kill_at != INT64_MAX) {
				killpg(pid, SIGKILL);
				kill_at = INT64_MAX;
			}
			timeout = kill_at == INT64_MAX ? 100 : (int)(left > 0 ? left : 0);
		}
		if (pidfd < 0 && timeout < 0)
			timeout = 10;	/* no pidfd (before Linux 5.3): poll the child */
		/* the wake pipe stays readable once stopping: watch it only before */
		poll(pidfd < 0 ? p + 1 : p, (kill_at < 0) + (pidfd >= 0), timeout);
	}
	if (pidfd >= 0)
		close(pidfd);
}

static void run_event_command(const struct serve *s, const struct uev *e)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)s->on_event, NULL };
	char **env = event_env(s, e);
	posix_spawnattr_t attr;
	sigset_t none, deflt;
	pid_t pid;
	int err;

	/* its own process group, so that its children end with it; signals as a shell expects them */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGPIPE);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGTERM);
	sigaddset(&deflt, SIGHUP);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &deflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	err = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	if (err)
		fprintf(stderr, "memhp serve: --on-event: /bin/sh: %s\n", strerror(err));
	else
		wait_command(pid);
	for (char **p = env; *p; p++)
		free(*p);
	free(env);
}

/* at exit: the queued events are not run (udevd's exit drops its queue too) */
static void discard_queue(void)
{
	unsigned long long n = 0;

	pthread_mutex_lock(&evq.lock);
	while (evq.head) {
		struct uev *e = evq.head;

		evq.head = e->next;
		free_uev(e);
		n++;
	}
	evq.tail = &evq.head;
	evq.nr = 0;
	report_dropped();
	pthread_mutex_unlock(&evq.lock);
	if (n)
		fprintf(stderr, "memhp serve: exiting: %llu queued kernel uevents not run\n", n);
}

static void *event_thread(void *arg)
{
	struct serve *s = arg;

	for (;;) {
		struct uev *e;

		pthread_mutex_lock(&evq.lock);
		while (!evq.head && !evq.stop)
			pthread_cond_wait(&evq.cond, &evq.lock);
		e = evq.stop ? NULL : evq.head;
		if (e) {
			evq.head = e->next;
			if (!evq.head)
				evq.tail = &evq.head;
			evq.nr--;
		}
		report_dropped();
		pthread_mutex_unlock(&evq.lock);
		if (!e)
			break;	/* stopping */
		if (s->monitor) {
			printf("KERNEL[%lu.%06lu] %-8s %s (%s)\n", (unsigned long)e->ts.tv_sec,
			       (unsigned long)(e->ts.tv_nsec / 1000), e->action, e->devpath, e->subsystem);
			fflush(stdout);
		}
		if (s->on_event)
			run_event_command(s, e);
		free_uev(e);
	}
	discard_queue();
	return NULL;
}

/* ---- the control files of the mount: MOUNT/.memhp/modprobe ---- */

static const char *const control_files[] = { "modprobe", NULL };

/*
 * "[-r] [-q] MODULE [priority=N]": what a modprobe shim writes to load or
 * unload a guest module: memory-notifier-error-inject (priority= its
 * parameter), or one of the NVDIMM and device-dax modules, which load only
 * (as in the guest shell, they cannot be removed) and take no parameters.
 */
static int control_write(void *arg, const char *name, const char *buf, size_t len)
{
	struct serve *s = arg;
	char line[512], *save = NULL, *tok;
	bool remove = false, have_module = false, params = false;
	char module[64] = "";
	long priority = 0;

	if (strcmp(name, "modprobe"))
		return -EACCES;
	if (len >= sizeof(line))
		return -EINVAL;
	memcpy(line, buf, len);
	line[len] = 0;
	for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (tok[0] == '-' && !have_module) {
			for (const char *o = tok + 1; *o; o++) {
				if (*o == 'r')
					remove = true;
				else if (*o != 'q' && *o != 'v' && *o != 'b' && *o != 's')
					return -EINVAL;
			}
		} else if (!have_module) {
			if (!host_module_known(tok))
				return -ENOENT;
			params = host_module_takes_priority(tok);
			snprintf(module, sizeof(module), "%s", tok);
			have_module = true;
		} else if (params && !remove && !strncmp(tok, "priority=", 9)) {
			char *end;

			errno = 0;
			priority = strtol(tok + 9, &end, 0);
			if (end == tok + 9 || *end || errno || priority < -2147483647L - 1 ||
			    priority > 2147483647L)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (!have_module)
		return -EINVAL;
	if (remove)
		return host_module_unload(s->m, module);
	return host_module_load(s->m, module, (int)priority);
}

/* ---- the picture of physical memory: MOUNT/.memhp/map.svg ---- */

static const char *const control_read_files[] = { "map.svg", NULL };

/* memhp map's picture of the machine as it is at this read */
static int control_read(void *arg, const char *name, struct sbuf *out)
{
	struct serve *s = arg;

	if (strcmp(name, "map.svg"))
		return -EACCES;
	char *svg = svg_map(s->m, NULL);
	if (!svg)
		return -EIO;
	sb_puts(out, svg);	/* as memhp map FILE.svg writes it */
	free(svg);
	return 0;
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f, "usage: memhp serve [--mount DIR] [--qmp SOCKET] [--on-event CMD] [--allow-other]\n"
		   "                   [--monitor] QEMU-OPTIONS...\n"
		   "       memhp monitor [serve options] QEMU-OPTIONS...   (serve --monitor)\n"
		   "  --mount DIR      FUSE mount of the guest's sys/ and proc/ at DIR (owner only)\n"
		   "  --qmp SOCKET     QMP server on a unix socket (mode 0600)\n"
		   "  --on-event CMD   run /bin/sh -c CMD per kernel uevent (ACTION, DEVPATH,\n"
		   "                   SUBSYSTEM, SEQNUM, MEMHP_MOUNT, MEMHP_QMP in its environment)\n"
		   "  --allow-other    let other users use the mount (needs user_allow_other)\n"
		   "  --monitor        print uevents as `udevadm monitor --kernel` does\n"
		   "  -h, --help       this text\n"
		   "  -V, --version    the version\n"
		   "Options take --opt VALUE or --opt=VALUE and come before the QEMU options.\n"
		   "QEMU-OPTIONS are those of a scenario's qemu line, e.g. -m 1G,slots=4,maxmem=8G -smp 2,\n"
		   "and -qmp unix:SOCKET,server=on,wait=off (as --qmp SOCKET) or -monitor stdio (QEMU's\n"
		   "monitor on standard input).\n");
}

static void quit_now(void)
{
	kill(getpid(), SIGTERM);
}

void serve_request_quit(void)
{
	quit_now();
}

/*
 * -monitor stdio: the human monitor on the server's terminal, as QEMU's
 * (its banner and prompt; `quit` ends the server). End of input leaves the
 * machine running, as QEMU does.
 */
static void *monitor_thread(void *arg)
{
	struct serve *s = arg;
	char *line = NULL;
	size_t cap = 0;

	printf("QEMU %d.%d.%d monitor - type 'help' for more information\n(qemu) ", QEMU_MAJOR, QEMU_MINOR,
	       QEMU_MICRO);
	fflush(stdout);
	while (getline(&line, &cap, stdin) >= 0) {
		struct sbuf out = SBUF_INIT;
		bool quit;

		host_lock(s->m);
		host_hmp_command(s->m, line, &out);
		quit = host_quit_requested(s->m);
		host_unlock(s->m);
		fputs(sb_str(&out), stdout);
		sb_free(&out);
		if (quit) {
			fflush(stdout);
			quit_now();
			break;
		}
		fputs("(qemu) ", stdout);
		fflush(stdout);
	}
	free(line);
	return NULL;
}

int serve_main(int argc, char **argv, bool monitor)
{
	struct serve s;
	struct fuse_export *fx = NULL;
	pthread_t evt, mon;
	bool mon_started = false;
	sigset_t sigs, old;
	char *errmsg = NULL;
	int i, status = 0;

	memset(&s, 0, sizeof(s));
	s.monitor = monitor;
	{
		enum { O_MOUNT = 1, O_QMP, O_ON_EVENT, O_ALLOW_OTHER, O_MONITOR };
		static const struct cli_opt opts[] = {
			{ "mount", 0, true, O_MOUNT }, { "qmp", 0, true, O_QMP },
			{ "on-event", 0, true, O_ON_EVENT }, { "allow-other", 0, false, O_ALLOW_OTHER },
			{ "monitor", 0, false, O_MONITOR }, { NULL, 0, false, 0 },
		};
		const char *arg;
		int id;

		i = 0;
		while ((id = cli_next(argc, argv, &i, opts, true, &arg)) != 0) {
			switch (id) {
			case O_MOUNT:
				s.mount = arg;
				break;
			case O_QMP:
				s.qmp_path = arg;
				break;
			case O_ON_EVENT:
				s.on_event = arg;
				break;
			case O_ALLOW_OTHER:
				s.allow_other = true;
				break;
			case O_MONITOR:
				s.monitor = true;
				break;
			case CLI_HELP:
				usage(stdout);
				return 0;
			case CLI_VERSION:
				cli_print_version();
				return 0;
			default:
				return CLI_EXIT_USAGE;
			}
		}
	}
	if (s.mount) {
		struct stat st;

		/* a server killed with its mount up leaves it dangling: ENOTCONN for everyone */
		if (stat(s.mount, &st) && errno == ENOTCONN) {
			fprintf(stderr, "memhp serve: %s: %s: a mount left by a server that was killed; "
					"run fusermount3 -u %s\n", s.mount, strerror(errno), s.mount);
			return 1;
		}
	}
#ifndef MEMHP_HAVE_FUSE
	if (s.mount) {
		fprintf(stderr, "memhp serve: --mount: built without libfuse3 (Debian: libfuse3-dev)\n");
		return 2;
	}
#endif

	s.m = memhp_new_argv(argc - i, argv + i, &errmsg);
	if (!s.m) {
		fprintf(stderr, "qemu-system-x86_64: %s\n", errmsg ? errmsg : "machine creation failed");
		free(errmsg);
		return 1;
	}
	/* -qmp unix:PATH,server=on,wait=off on the QEMU command line is --qmp PATH */
	if (host_qmp_path(s.m)) {
		if (s.qmp_path && strcmp(s.qmp_path, host_qmp_path(s.m))) {
			fprintf(stderr, "memhp serve: --qmp %s and -qmp: memhp serves one QMP socket\n", s.qmp_path);
			memhp_free(s.m);
			return 2;
		}
		s.qmp_path = host_qmp_path(s.m);
	}

	/* signals go to the main thread only; the others are started with them blocked */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);

	if (s.monitor) {
		printf("monitor will print the received events for:\nKERNEL - the kernel uevent\n\n");
		fflush(stdout);
	}
	if (pipe2(evq.wake, O_CLOEXEC)) {
		fprintf(stderr, "memhp serve: pipe: %s\n", strerror(errno));
		memhp_free(s.m);
		return 1;
	}
	memhp_set_uevent_handler(s.m, on_uevent, &s);
	if (pthread_create(&evt, NULL, event_thread, &s)) {
		fprintf(stderr, "memhp serve: cannot start the event thread\n");
		memhp_set_uevent_handler(s.m, NULL, NULL);
		close(evq.wake[0]);
		close(evq.wake[1]);
		memhp_free(s.m);
		return 1;
	}

	if (s.qmp_path) {
		s.qmp = qmp_server_new(&s, s.qmp_path);
		if (!s.qmp) {
			status = 1;
			goto out;
		}
		host_set_event_handler(s.m, qmp_server_event, s.qmp);
		if (qmp_server_start(s.qmp)) {
			status = 1;
			goto out;
		}
	}

#ifdef MEMHP_HAVE_FUSE
	if (s.mount) {
		struct fuse_export_config cfg = {
			.m = s.m,
			.mountpoint = s.mount,
			.allow_other = s.allow_other,
			.control_files = control_files,
			.control_write = control_write,
			.control_read_files = control_read_files,
			.control_read = control_read,
			.control_arg = &s,
			.block_devices = true,
		};
		struct sbuf err = SBUF_INIT;

		fx = fuse_export_new(&cfg, &err);
		if (!fx) {
			fprintf(stderr, "memhp serve: %s\n", sb_str(&err));
			sb_free(&err);
			status = 1;
			goto out;
		}
		sb_free(&err);
	}
#else
	(void)control_files;
	(void)control_write;
	(void)control_read_files;
	(void)control_read;
#endif
	if (host_monitor_stdio(s.m) && pthread_create(&mon, NULL, monitor_thread, &s) == 0)
		mon_started = true;
	fprintf(stderr, "memhp serve: ready%s%s%s%s\n", s.mount ? ", mount " : "", s.mount ? s.mount : "",
		s.qmp_path ? ", qmp " : "", s.qmp_path ? s.qmp_path : "");

#ifdef MEMHP_HAVE_FUSE
	if (fx) {
		/* the FUSE loop installs its own SIGINT/SIGTERM/SIGHUP handlers */
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (fuse_export_loop(fx))
			status = 1;
		pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	}
#endif
	if (!fx) {
		int sig;

		while (sigwait(&sigs, &sig))
			;
	}
out:
	/* no event command starts from now on; a running one is ended (wait_command()) */
	pthread_mutex_lock(&evq.lock);
	evq.stop = true;
	pthread_cond_signal(&evq.cond);
	pthread_mutex_unlock(&evq.lock);
	if (write(evq.wake[1], "x", 1) < 0) {
		/* cannot fail: nothing else writes to the pipe */
	}
	/* unmount: an event command may be blocked on the mount */
#ifdef MEMHP_HAVE_FUSE
	fuse_export_free(fx);
#endif
	if (s.qmp) {
		host_set_event_handler(s.m, NULL, NULL);
		qmp_server_stop(s.qmp);
	}
	if (mon_started) {
		/* blocked in getline(): it holds no lock, and ends with the process */
		pthread_detach(mon);
	}
	pthread_join(evt, NULL);
	close(evq.wake[0]);
	close(evq.wake[1]);

	memhp_set_uevent_handler(s.m, NULL, NULL);
	memhp_free(s.m);
	return status;
}
