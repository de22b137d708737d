// SPDX-License-Identifier: MIT
/*
 * The human monitor's self-description, in QEMU 7.2's words: `help` and
 * `help CMD` (help_cmd(), over the sorted command table), `info` alone, and
 * the `help` option of object_add and device_add (user_creatable_help(),
 * qdev_device_help()). Only what memhp implements is listed, with the lines
 * QEMU prints for it (tests/qemu/recorded.txt).
 */
#include <string.h>

#include "machine_internal.h"
#include "hmp_help.h"

/* hmp-commands.hx entries memhp has, sorted by name as QEMU sorts them */
static const struct hmp_help_entry {
	const char *name, *params, *help;
} commands[] = {
	{ "device_add", "driver[,prop=value][,...]", "add device, like -device on the command line" },
	{ "device_del", "device", "remove device" },
	{ "help|?", "[cmd]", "show the help" },
	{ "info", "[subcommand]", "show various information about the system state" },
	{ "object_add", "[qom-type=]type,id=str[,prop=value][,...]", "create QOM object" },
	{ "object_del", "id", "destroy QOM object" },
	{ "qom-get", "path property", "print QOM property" },
	{ "qom-list", "path", "list QOM properties" },
	{ "qom-set", "[-j] path property value",
	  "set QOM property.\n\t\t\t-j: the value is specified in json format." },
	{ "quit|q", "", "quit the emulator" },
}, info_commands[] = {
	{ "balloon", "", "show balloon information" },
	{ "memdev", "", "show memory backends" },
	{ "memory-devices", "", "show memory devices" },
	{ "memory_size_summary", "",
	  "show the amount of initially allocated and present hotpluggable (if enabled) memory in bytes." },
	{ "numa", "", "show NUMA information" },
	{ "status", "", "show the current VM status (running|paused)" },
	{ "version", "", "show the version of QEMU" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* compare_cmd(): NAME matches one of the '|'-separated names, in full */
bool hmp_name_matches(const char *names, const char *name, size_t len)
{
	const char *p = names;

	for (;;) {
		size_t n = strcspn(p, "|");

		if (n == len && !strncmp(p, name, len))
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

static void print_entry(const char *prefix, const struct hmp_help_entry *e, struct sbuf *out)
{
	sb_printf(out, "%s%s %s -- %s\n", prefix, e->name, e->params, e->help);
}

void hmp_info_help(struct sbuf *out)
{
	for (size_t i = 0; i < N(info_commands); i++)
		print_entry("info ", &info_commands[i], out);
}

/* help_cmd(): all commands, one command, or "info" and one info subcommand */
void hmp_help(const char *args, struct sbuf *out)
{
	char word[2][64];
	int nw = 0;
	const char *p = args;

	while (nw < 2) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (!n)
			break;
		if (n >= sizeof(word[0]))
			n = sizeof(word[0]) - 1;
		memcpy(word[nw], p, n);
		word[nw][n] = 0;
		nw++;
		p += n;
	}
	if (!nw) {
		for (size_t i = 0; i < N(commands); i++)
			print_entry("", &commands[i], out);
		return;
	}
	if (!strcmp(word[0], "info")) {
		if (nw == 1) {
			hmp_info_help(out);
			return;
		}
		for (size_t i = 0; i < N(info_commands); i++) {
			if (!strcmp(info_commands[i].name, word[1])) {
				print_entry("info ", &info_commands[i], out);
				return;
			}
		}
		sb_printf(out, "unknown command: 'info %s'\n", word[1]);
		return;
	}
	for (size_t i = 0; i < N(commands); i++) {
		if (hmp_name_matches(commands[i].name, word[0], strlen(word[0]))) {
			print_entry("", &commands[i], out);
			return;
		}
	}
	sb_printf(out, "unknown command: '%s'\n", word[0]);
}

/* qemu_opt_has_help_opt(): an element "help" or "?" among the options */
bool hmp_opts_want_help(const char *text)
{
	struct opt_list l;
	bool help = false;

	opts_split(text, &l);
	for (size_t i = 0; i < l.n; i++)
		if (!l.v[i].val && (!strcmp(l.v[i].key, "help") || !strcmp(l.v[i].key, "?")))
			help = true;
	opts_free(&l);
	return help;
}

static const char *first_element(const char *text, char *buf, size_t size)
{
	size_t n = strcspn(text, ",");

	if (n >= size)
		n = size - 1;
	memcpy(buf, text, n);
	buf[n] = 0;
	if (!strncmp(buf, "qom-type=", 9) || !strncmp(buf, "driver=", 7))
		memmove(buf, strchr(buf, '=') + 1, strlen(strchr(buf, '=') + 1) + 1);
	return buf;
}

/* user_creatable_help(): the type list, or one type's properties. 1 when help was printed. */
int hmp_object_add_help(const char *text, struct sbuf *out)
{
	char type[64];

	if (strcmp(text, "help") && strcmp(text, "?") && !hmp_opts_want_help(text))
		return 0;
	first_element(text, type, sizeof(type));
	if (!strcmp(type, "help") || !strcmp(type, "?")) {
		sb_puts(out, "List of user creatable objects:\n  memory-backend-ram\n");
		return 1;
	}
	if (strcmp(type, "memory-backend-ram"))
		return 0;	/* the type's own error follows */
	sb_puts(out, "memory-backend-ram options:\n"
		"  dump=<bool>            - Set to 'off' to exclude from core dump\n"
		"  host-nodes=<int>       - Binds memory to the list of NUMA host nodes\n"
		"  merge=<bool>           - Mark memory as mergeable\n"
		"  policy=<HostMemPolicy> - Set the NUMA policy\n"
		"  prealloc-context=<link<thread-context>> - Context to use for creating CPU threads for "
		"preallocation\n"
		"  prealloc-threads=<int> - Number of CPU threads to use for prealloc\n"
		"  prealloc=<bool>        - Preallocate memory\n"
		"  reserve=<bool>         - Reserve swap space (or huge pages) if applicable\n"
		"  share=<bool>           - Mark the memory as private to QEMU or shared\n"
		"  size=<int>             - Size of the memory region (ex: 500M)\n"
		"  x-use-canonical-path-for-ramblock-id=<bool>\n");
	return 1;
}

/* qdev_device_help() of virtio-mem-pci: its properties and its virtio-mem child's, sorted */
static void device_help_virtio_mem_pci(struct sbuf *out)
{
	sb_puts(out, "virtio-mem-pci options:\n"
		"  acpi-index=<uint32>    -  (default: 0)\n"
		"  addr=<int32>           - Slot and optional function number, example: 06.0 or 06 (default: -1)\n"
		"  aer=<bool>             - on/off (default: false)\n"
		"  any_layout=<bool>      - on/off (default: true)\n"
		"  ats=<bool>             - on/off (default: false)\n"
		"  block-size=<size>\n"
		"  disable-legacy=<OnOffAuto> - on/off/auto (default: \"auto\")\n"
		"  disable-modern=<bool>  -  (default: false)\n"
		"  event_idx=<bool>       - on/off (default: true)\n"
		"  failover_pair_id=<str>\n"
		"  indirect_desc=<bool>   - on/off (default: true)\n"
		"  iommu_platform=<bool>  - on/off (default: false)\n"
		"  memaddr=<uint64>       -  (default: 0)\n"
		"  memdev=<link<memory-backend>>\n"
		"  migrate-extra=<bool>   - on/off (default: true)\n"
		"  modern-pio-notify=<bool> - on/off (default: false)\n"
		"  multifunction=<bool>   - on/off (default: false)\n"
		"  node=<uint32>          -  (default: 0)\n"
		"  notify_on_empty=<bool> - on/off (default: true)\n"
		"  packed=<bool>          - on/off (default: false)\n"
		"  page-per-vq=<bool>     - on/off (default: false)\n"
		"  prealloc=<bool>        -  (default: false)\n"
		"  queue_reset=<bool>     - on/off (default: true)\n"
		"  requested-size=<size>\n"
		"  rombar=<uint32>        -  (default: 1)\n"
		"  romfile=<str>\n"
		"  romsize=<uint32>       -  (default: 4294967295)\n"
		"  size=<size>\n"
		"  unplugged-inaccessible=<OnOffAuto> - on/off/auto (default: \"auto\")\n"
		"  use-disabled-flag=<bool> -  (default: true)\n"
		"  use-started=<bool>     -  (default: true)\n"
		"  virtio-backend=<child<virtio-mem>>\n"
		"  virtio-pci-bus-master-bug-migration=<bool> - on/off (default: false)\n"
		"  x-ats-page-aligned=<bool> - on/off (default: true)\n"
		"  x-disable-legacy-check=<bool> -  (default: false)\n"
		"  x-disable-pcie=<bool>  - on/off (default: false)\n"
		"  x-ignore-backend-features=<bool> -  (default: false)\n"
		"  x-pcie-deverr-init=<bool> - on/off (default: true)\n"
		"  x-pcie-extcap-init=<bool> - on/off (default: true)\n"
		"  x-pcie-flr-init=<bool> - on/off (default: true)\n"
		"  x-pcie-lnkctl-init=<bool> - on/off (default: true)\n"
		"  x-pcie-lnksta-dllla=<bool> - on/off (default: true)\n"
		"  x-pcie-pm-init=<bool>  - on/off (default: true)\n");
}

/* qdev_device_help(): the device list by category, or pc-dimm's properties. 1 when printed. */
int hmp_device_add_help(const char *text, struct sbuf *out)
{
	char drv[64];

	if (strcmp(text, "help") && strcmp(text, "?") && !hmp_opts_want_help(text))
		return 0;
	first_element(text, drv, sizeof(drv));
	if (!strcmp(drv, "help") || !strcmp(drv, "?")) {
		sb_puts(out, "Storage devices:\n"
			"name \"nvdimm\", desc \"DIMM memory module\"\n"
			"\n"
			"Misc devices:\n"
			"name \"virtio-mem-pci\", bus PCI\n"
			"\n"
			"Uncategorized devices:\n"
			"name \"pc-dimm\", desc \"DIMM memory module\"\n");
		return 1;
	}
	if (!strcmp(drv, "virtio-mem-pci")) {
		device_help_virtio_mem_pci(out);
		return 1;
	}
	if (!strcmp(drv, "nvdimm")) {
		sb_puts(out, "nvdimm options:\n"
			"  addr=<uint64>          -  (default: 0)\n"
			"  label-size=<int>\n"
			"  memdev=<link<memory-backend>>\n"
			"  node=<uint32>          -  (default: 0)\n"
			"  size=<uint64>\n"
			"  slot=<int32>           -  (default: -1)\n"
			"  unarmed=<bool>         -  (default: false)\n"
			"  uuid=<QemuUUID>\n");
		return 1;
	}
	if (strcmp(drv, "pc-dimm"))
		return 0;
	sb_puts(out, "pc-dimm options:\n"
		"  addr=<uint64>          -  (default: 0)\n"
		"  memdev=<link<memory-backend>>\n"
		"  node=<uint32>          -  (default: 0)\n"
		"  size=<uint64>\n"
		"  slot=<int32>           -  (default: -1)\n");
	return 1;
}
