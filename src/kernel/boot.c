// SPDX-License-Identifier: MIT
/*
 * Bringing up one guest kernel (init/main.c in spirit): command line, memory
 * core, memory block devices, node devices; then the system is running.
 */
#include "../drivers/nvdimm/nd_e820.h"
#include "kernel.h"
#include "../lib/alloc.h"
#include "params.h"
#include "../base/firmware_memmap.h"
#include "../base/memory.h"
#include "../base/node.h"
#include "../mm/internal.h"
#include "../mm/page_owner.h"
#include "notifier_inject.h"
#include "../acpi/acpi.h"
#include "../drivers/virtio_mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void klog(struct kernel *k, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (k->log.len > (1u << 20)) {
		/* keep the newer half, from a line start */
		const char *cut = strchr(k->log.s + k->log.len / 2, '\n');
		size_t keep = cut ? k->log.len - (size_t)(cut + 1 - k->log.s) : 0;
		memmove(k->log.s, k->log.s + k->log.len - keep, keep);
		k->log.len = keep;
		k->log.s[keep] = 0;
	}
	printk_time(k, &k->log);
	sb_puts(&k->log, line);
	sb_putc(&k->log, '\n');
	if (k->klog)
		k->klog(k->hook_opaque, line);
}

void kobject_uevent(struct kernel *k, const char *action, const char *devpath,
		    const char *subsystem)
{
	if (k->uevent)
		k->uevent(k->hook_opaque, action, devpath, subsystem);
}

/*
 * What the running kernel allocates for itself right after memory comes
 * online: per-CPU pagesets, slab and page-table pages of the tasks that
 * notice the new memory. GFP_KERNEL on the node, so they land in the highest
 * kernel zone - the freshly onlined ZONE_NORMAL block if it is the only one -
 * which is why such a block cannot be offlined again on Linux.
 */
#define KERNEL_ALLOCS_PER_ONLINE 64
#define KALLOC_RING (sizeof(((struct kernel *)0)->kalloc_ring) / sizeof(unsigned long))

/*
 * They live long, but not forever: past 8 MiB the oldest are freed, so a
 * machine that onlines and offlines for days does not run out of memory.
 */
void kernel_alloc_activity(struct kernel *k, int nid)
{
	/*
	 * The allocations are numa_node_id()-local to the tasks that run them. A
	 * node without CPUs runs none: they come from a CPU's node and its
	 * zonelist, and the new memory of a CPU-less node stays free (so Linux can
	 * offline and eject it again).
	 */
	if (!node_state(k, nid, N_CPU)) {
		for (int n = 0; n < MAX_NUMNODES; n++) {
			if (node_state(k, n, N_CPU)) {
				nid = n;
				break;
			}
		}
	}
	for (int i = 0; i < KERNEL_ALLOCS_PER_ONLINE; i++) {
		unsigned long pfn = alloc_kernel_pages(k, 0, nid);
		if (pfn == -1UL)
			break;
		unsigned slot = (k->kalloc_head + k->kalloc_count) % KALLOC_RING;
		if (k->kalloc_count == KALLOC_RING) {
			free_owned_pages(k, k->kalloc_ring[k->kalloc_head], 0);
			k->kalloc_head = (k->kalloc_head + 1) % KALLOC_RING;
			k->kalloc_count--;
		}
		k->kalloc_ring[slot] = pfn;
		k->kalloc_count++;
	}
}

/* The kernel's own boot-time allocations (about 30 MiB "used" in free on a 1 GiB guest). */
static void boot_kernel_allocations(struct kernel *k)
{
	for (int n = 0; n < MAX_NUMNODES; n++) {
		if (!node_state(k, n, N_MEMORY))
			continue;
		unsigned long pages = n == 0 ? 6144 : 2048;
		for (unsigned long i = 0; i < pages / 8; i++)
			if (alloc_kernel_pages(k, 3, n) == -1UL)
				break;
	}
}


/*
 * systemd-modules-load: Debian's userspace loads the modules named by
 * modules-load= (or modules_load=) on the kernel command line right after
 * boot. memhp's loadable modules are the NVDIMM and device-dax ones; a
 * `memhp serve` machine has no shell to modprobe them, so this is how it
 * starts with them (the oracle's busybox guest has no systemd: scenarios
 * modprobe instead).
 */
static void modules_load_cmdline(struct kernel *k)
{
	const char *p = k->boot.cmdline;
	while (p && *p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!strncmp(p, "modules-load=", 13) || !strncmp(p, "modules_load=", 13)) {
			const char *v = p + 13, *end = p + len;
			while (v < end) {
				size_t n = strcspn(v, ",");
				if (v + n > end)
					n = (size_t)(end - v);
				char name[64];
				if (n && n < sizeof(name)) {
					memcpy(name, v, n);
					name[n] = '\0';
					(void)nd_modprobe(k, name);
				}
				v += n + 1;
			}
		}
		p += len;
	}
}

struct kernel *kernel_boot(const struct boot_params *bp, char *err, size_t errlen)
{
	struct kernel *k = mh_calloc(1, sizeof(*k));
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	k->boot = *bp;
	k->boot.cmdline = mh_strdup(bp->cmdline ? bp->cmdline : "");
	k->iomem_resource = (struct resource){ .start = 0, .end = ~0ULL, .name = (char *)"PCI mem",
					       .flags = IORESOURCE_MEM };
	pthread_mutex_init(&k->device_hotplug_lock, NULL);
	pthread_mutex_init(&k->zone_lock, NULL);
	percpu_init_rwsem(&k->mem_hotplug_lock, "mem_hotplug_lock");
	percpu_init_rwsem(&k->cpu_hotplug_lock, "cpu_hotplug_lock");
	blocking_notifier_init(&k->memory_chain);
	k->online_page_callback = generic_online_page;
	k->ftrace = ftrace_new();
	if (!k->ftrace) {
		snprintf(err, errlen, "out of memory");
		free(k);
		return NULL;
	}
	mhp_params_init(&k->params);
	fault_inject_init(&k->fault_inject);
	parse_kernel_cmdline(k, k->boot.cmdline);
	acpi_numa_init(k);

	int rc = mm_core_init(k);
	if (!rc)
		rc = memory_dev_init(k);
	if (rc) {
		snprintf(err, errlen, "guest kernel failed to boot: error %d", rc);
		kernel_destroy(k);
		return NULL;
	}
	for (int n = 0; n < MAX_NUMNODES; n++)
		if (node_online(k, n))
			register_one_node(k, n);
	boot_kernel_allocations(k);
	/* acpi_scan_init(): memory devices present at power-on are added now, mem= still applies */
	for (int i = 0; i < k->boot.nr_cold_dimms; i++) {
		const struct boot_dimm *d = &k->boot.cold_dimm[i];
		acpi_memory_device_add(k, d->slot, d->start, d->size, d->node);
	}
	firmware_memmap_init(k);
	page_cache_init(k);
	init_per_zone_wmark_min(k);
	mm_debug_check(k, "boot");
	k->booted = true;
	modules_load_cmdline(k);
	return k;
}

void kernel_destroy(struct kernel *k)
{
	if (!k)
		return;
	if (k->notifier_inject_loaded)
		memory_notifier_inject_unload(k);
	virtio_mem_free_all(k);
	nd_e820_destroy(k);
	acpi_memory_devices_free(k);
	page_cache_free(k);
	for (unsigned long i = 0; i < k->nr_blocks; i++)
		free(k->blocks[i]);
	free(k->blocks);
	for (int g = 0; g < k->nr_groups; g++)
		free(k->groups[g]);
	free(k->groups);
	for (int n = 0; n < MAX_NUMNODES; n++)
		free(k->node_data[n]);
	sparse_free_all(k);
	resource_free_tree(&k->iomem_resource);
	firmware_map_free_all(k);
	blocking_notifier_destroy(&k->memory_chain);
	percpu_free_rwsem(&k->mem_hotplug_lock);
	percpu_free_rwsem(&k->cpu_hotplug_lock);
	pthread_mutex_destroy(&k->device_hotplug_lock);
	pthread_mutex_destroy(&k->zone_lock);
	free((char *)k->boot.cmdline);
	sb_free(&k->log);
	ftrace_free(k->ftrace);
	free(k);
}
