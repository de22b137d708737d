// SPDX-License-Identifier: MIT
/*
 * busybox mount for the guest's pseudo file systems: tracefs on
 * /sys/kernel/tracing (what the real guest needs before ftrace can be used),
 * debugfs on /sys/kernel/debug (mounted already: a second mount stacks on
 * the first and changes nothing). Messages are busybox's.
 */
#include "shell.h"
#include "../api/api_internal.h"
#include "../fs/vfs.h"

#include <errno.h>
#include <string.h>

int sh_mount(struct memhp *m, int argc, char **argv, struct sh_io *io)
{
	const char *type = NULL, *args[2];
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			type = argv[++i];
		} else if (argv[i][0] == '-') {
			sb_printf(io->err, "mount: unrecognized option '%s'\n", argv[i]);
			io->errnum = EINVAL;
			return 1;
		} else if (n < 2) {
			args[n++] = argv[i];
		}
	}
	if (n != 2 || !type) {
		sb_puts(io->err, "mount: memhp's guest mounts only -t tracefs|debugfs SOURCE DIR\n");
		io->errnum = EINVAL;
		return 1;
	}
	struct sbuf dir = SBUF_INIT;
	sh_abspath(args[1], &dir);
	int ret = -ENODEV;
	struct vfs_stat st;
	if (vfs_stat(guest_kernel(m), sb_str(&dir), &st))
		ret = -ENOENT;
	else if (!strcmp(type, "tracefs") && !strcmp(sb_str(&dir), "/sys/kernel/tracing"))
		ret = tracefs_mount(guest_kernel(m));
	else if (!strcmp(type, "debugfs") && !strcmp(sb_str(&dir), "/sys/kernel/debug"))
		ret = 0;
	sb_free(&dir);
	if (ret) {
		sb_printf(io->err, "mount: mounting %s on %s failed: %s\n", args[0], args[1], strerror(-ret));
		io->errnum = -ret;
		return 1;
	}
	return 0;
}
