// SPDX-License-Identifier: MIT
/*
 * The QEMU options that set up the host side of a machine rather than its
 * memory: the monitors (-qmp, -monitor), the display, the accelerator and
 * the CPU model, -no-acpi, and every other option QEMU 7.2 knows. memhp
 * honours what it can (a QMP socket, -no-acpi's refusal of DIMMs) and refuses
 * the rest by name, so that nothing on a pasted QEMU command line is silently
 * ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "cmdline_host.h"
#include "../lib/alloc.h"

/* options that change nothing memhp models, with QEMU's meaning kept */
static const char *const harmless_no_arg[] = {
	"nographic",	/* no display: memhp has none */
	"nodefaults",	/* memhp's machine has none of QEMU's default devices */
	"no-reboot", "no-shutdown",	/* the guest never reboots or powers off here */
	"no-user-config", NULL,
};

/* QEMU 7.2's other options (qemu-options.hx), by whether they take an argument */
static const char *const unmodelled_with_arg[] = {
	"acpitable", "action", "add-fd", "audio", "audiodev", "bios", "blockdev", "boot", "cdrom",
	"chardev", "chroot", "compat", "d", "D", "debugcon", "dfilter", "drive", "dtb", "echr", "fda",
	"fdb", "fsdev", "fw_cfg", "gdb", "global", "hda", "hdb", "hdc", "hdd", "icount", "incoming",
	"initrd", "iscsi", "k", "kernel", "L", "loadvm", "mem-path", "mon", "msg", "mtdblock", "name",
	"net", "netdev", "nic", "option-rom", "overcommit", "parallel", "pflash", "pidfile", "plugin",
	"qmp-pretty", "readconfig", "rtc", "runas", "sandbox", "sd", "seed", "serial", "set", "smbios",
	"spice", "tpmdev", "trace", "usbdevice", "uuid", "vga", "virtfs", "vnc", "watchdog-action",
	"xen-domid", "dump-vmstate", NULL,
};
static const char *const unmodelled_no_arg[] = {
	"S", "s", "snapshot", "daemonize", "full-screen", "no-fd-bootchk", "only-migratable", "usb",
	"mem-prealloc", "win2k-hack", "portrait", "rotate", "singlestep", "enable-sync-profile",
	"async-teardown", "xen-attach", "xen-domid-restrict", "no-hpet", "alt-grab", "ctrl-grab",
	"no-quit", "no-frame", NULL,
};

static bool in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

int cmdline_host_takes_arg(const char *opt)
{
	if (in(harmless_no_arg, opt) || in(unmodelled_no_arg, opt) || !strcmp(opt, "enable-kvm") ||
	    !strcmp(opt, "no-acpi"))
		return 0;
	if (in(unmodelled_with_arg, opt) || !strcmp(opt, "accel") || !strcmp(opt, "cpu") ||
	    !strcmp(opt, "display") || !strcmp(opt, "monitor") || !strcmp(opt, "qmp"))
		return 1;
	return -1;
}

/* the first element of a QemuOpts text ("unix:PATH" of "unix:PATH,server=on") */
static size_t first_len(const char *s)
{
	return strcspn(s, ",");
}

/*
 * -qmp unix:PATH,server=on,wait=off, or the older unix:PATH,server,nowait:
 * a listening socket that does not wait for its first client.
 */
static int parse_qmp(struct machine_config *h, const char *arg, const char *loc, struct sbuf *err)
{
	struct opt_list l;
	bool server = false, nowait = false;
	int ret = -1;

	if (strncmp(arg, "unix:", 5) || first_len(arg) == 5) {
		sb_printf(err, "%s: memhp serves QMP on a unix socket only (-qmp unix:PATH,server=on,wait=off)",
			  loc);
		return -1;
	}
	opts_split(arg + 5, &l);
	for (size_t i = 1; i < l.n; i++) {
		const char *k = l.v[i].key, *v = l.v[i].val;
		bool b = true;

		if (v && parse_bool(v, &b)) {
			sb_printf(err, "%s: Parameter '%s' expects 'on' or 'off'", loc, k);
			goto out;
		}
		if (!strcmp(k, "server"))
			server = b;
		else if (!strcmp(k, "wait"))
			nowait = !b;
		else if (!strcmp(k, "nowait") && !v)
			nowait = true;
		else {
			sb_printf(err, "%s: memhp: socket option '%s' is not modelled", loc, k);
			goto out;
		}
	}
	if (!server || !nowait) {
		sb_printf(err, "%s: memhp: only a listening socket that does not wait is modelled "
			  "(server=on,wait=off)", loc);
		goto out;
	}
	free(h->qmp_path);
	h->qmp_path = xstrdup(l.v[0].key);
	ret = h->qmp_path ? 0 : -1;
out:
	opts_free(&l);
	return ret;
}

/*
 * The last -cpu wins, as in QEMU. Its features are applied when the machine
 * is created (cpu.c): only the address width's change what memory hotplug
 * sees (+x2apic, pmu=off change nothing).
 */
static int parse_cpu(struct machine_config *h, const char *arg, const char *loc, struct sbuf *err)
{
	size_t n = first_len(arg);

	if (n == 6 && !strncmp(arg, "qemu64", 6)) {
		free(h->cpu_features);
		h->cpu_features = xstrdup(arg[n] ? arg + n + 1 : "");
		return h->cpu_features ? 0 : -1;
	}
	sb_printf(err, "%s: memhp models the qemu64 CPU only", loc);
	return -1;
}

/* "LOC: " before a message; -machine accel= gives none, as QEMU's message there has none */
static void at(struct sbuf *err, const char *loc)
{
	if (loc)
		sb_printf(err, "%s: ", loc);
}

static int parse_accel(struct machine_config *h, const char *arg, const char *loc, struct sbuf *err)
{
	size_t n = first_len(arg);

	if ((n == 3 && !strncmp(arg, "tcg", 3)) || (n == 3 && !strncmp(arg, "kvm", 3))) {
		if (arg[n]) {
			at(err, loc);
			sb_puts(err, "memhp: accelerator properties are not modelled");
			return -1;
		}
		h->kvm = arg[0] == 'k';
		return 0;
	}
	at(err, loc);
	if ((n == 3 && !strncmp(arg, "xen", 3)) || (n == 5 && !strncmp(arg, "qtest", 5))) {
		sb_puts(err, "memhp models the tcg and kvm accelerators only");
		return -1;
	}
	/* accel_find() failing */
	sb_printf(err, "invalid accelerator %.*s", (int)n, arg);
	return -1;
}

int cmdline_host_option(struct machine_config *h, const char *opt, const char *arg, const char *loc,
			struct sbuf *err)
{
	if (in(harmless_no_arg, opt))
		return 1;
	if (!strcmp(opt, "enable-kvm")) {
		h->kvm = true;
		return 1;
	}
	if (!strcmp(opt, "no-acpi")) {
		h->no_acpi = true;
		return 1;
	}
	if (!strcmp(opt, "qmp"))
		return parse_qmp(h, arg, loc, err) ? -1 : 1;
	if (!strcmp(opt, "cpu"))
		return parse_cpu(h, arg, loc, err) ? -1 : 1;
	if (!strcmp(opt, "accel"))
		return parse_accel(h, arg, loc, err) ? -1 : 1;
	if (!strcmp(opt, "display")) {
		if (!strcmp(arg, "none"))
			return 1;
		sb_printf(err, "%s: memhp has no display (-display none, -nographic)", loc);
		return -1;
	}
	if (!strcmp(opt, "monitor")) {
		if (!strcmp(arg, "stdio")) {
			h->monitor_stdio = true;
			return 1;
		}
		if (!strcmp(arg, "none"))
			return 1;
		sb_printf(err, "%s: memhp: only -monitor stdio is modelled", loc);
		return -1;
	}
	if (in(unmodelled_with_arg, opt) || in(unmodelled_no_arg, opt)) {
		sb_printf(err, "%s: memhp: this QEMU option is not modelled", loc);
		return -1;
	}
	return 0;
}

const char *machine_qmp_path(const struct machine *m)
{
	return m ? m->cfg.qmp_path : NULL;
}

bool machine_monitor_stdio(const struct machine *m)
{
	return m && m->cfg.monitor_stdio;
}
