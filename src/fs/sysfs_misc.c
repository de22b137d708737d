// SPDX-License-Identifier: MIT
/*
 * The smaller sysfs trees: a device's power/ directory, /sys/module
 * (memory_hotplug parameters), /sys/firmware/memmap, debugfs under
 * /sys/kernel/debug (memory notifier error injection), /sys/bus (the
 * memory and node buses' device links) and /sys/devices/system/cpu (what
 * the nodes' cpuN links point at).
 */
#include "fs_internal.h"
#include "../drivers/nvdimm/nd_e820.h"

#include <errno.h>
#include <string.h>

#include "../kernel/kernel.h"
#include "../kernel/params.h"
#include "../kernel/notifier_inject.h"
#include "../base/firmware_memmap.h"

/*
 * ---- power/ (drivers/base/power/sysfs.c) ----
 *
 * Debian's 6.1 has CONFIG_PM (async, control, runtime_*) and CONFIG_PM_ADVANCED_DEBUG
 * (runtime_usage, runtime_active_kids, runtime_enabled, async); CONFIG_PM_SLEEP
 * wakeup files appear only for wakeup-capable devices, which none of these is.
 * Runtime PM is never enabled for them (disable_depth stays 1), so the status
 * is "unsupported" and update_pm_runtime_accounting() never runs: both times
 * stay 0 and do not vary.
 */

static struct dev_pm_info *pm_info(struct vfs_ctx *c)
{
	const struct sysfs_pm_owner *o = c->dir_data;
	return o && o->info ? o->info(c) : NULL;
}

/* control_show() */
static int power_control_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	sb_puts(out, pm->runtime_forbidden ? "on\n" : "auto\n");
	return 0;
}

/* control_store(): pm_runtime_allow() / pm_runtime_forbid() */
static int power_control_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	if (sysfs_streq(buf, "auto"))
		pm->runtime_forbidden = false;
	else if (sysfs_streq(buf, "on"))
		pm->runtime_forbidden = true;
	else
		return -EINVAL;
	return 0;
}

/* autosuspend_delay_ms_show/store(): only for devices with use_autosuspend */
static int power_autosuspend_show(struct vfs_ctx *c, struct sbuf *out)
{
	return -EIO;
}

static int power_autosuspend_store(struct vfs_ctx *c, const char *buf)
{
	return -EIO;
}

/* rtpm_status_show(): disable_depth > 0 */
static int power_status_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "unsupported\n");
	return 0;
}

/* rtpm_enabled_show(): always disabled here; forbidden once "on" was written */
static int power_enabled_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	sb_puts(out, pm->runtime_forbidden ? "disabled & forbidden\n" : "disabled\n");
	return 0;
}

/* rtpm_usagecount_show(): pm_runtime_forbid() holds one usage reference */
static int power_usage_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	sb_puts(out, pm->runtime_forbidden ? "1\n" : "0\n");
	return 0;
}

/* runtime_active_time, runtime_suspended_time, runtime_active_kids */
static int power_zero_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "0\n");
	return 0;
}

/* async_show() / async_store() */
static int power_async_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	sb_puts(out, pm->async_suspend ? "enabled\n" : "disabled\n");
	return 0;
}

static int power_async_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	if (sysfs_streq(buf, "enabled"))
		pm->async_suspend = true;
	else if (sysfs_streq(buf, "disabled"))
		pm->async_suspend = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * pm_qos_resume_latency_us_show/store(): the request reads "0" while it is
 * PM_QOS_RESUME_LATENCY_NO_CONSTRAINT and "n/a" when it is 0; writing 0 asks
 * for no constraint, "n/a" for 0.
 */
static int power_resume_latency_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct dev_pm_info *pm = pm_info(c);
	if (!pm)
		return -ENODEV;
	if (pm->resume_latency_set && pm->resume_latency_us == 0)
		sb_puts(out, "n/a\n");
	else
		sb_printf(out, "%d\n", pm->resume_latency_set ? pm->resume_latency_us : 0);
	return 0;
}

static int power_resume_latency_store(struct vfs_ctx *c, const char *buf)
{
	struct dev_pm_info *pm = pm_info(c);
	int v;
	if (!pm)
		return -ENODEV;
	if (!kstrtoint(buf, 0, &v)) {
		if (v < 0 || v == INT32_MAX)	/* the "no constraint" value itself is refused */
			return -EINVAL;
		pm->resume_latency_set = v != 0;
		pm->resume_latency_us = v;
	} else if (sysfs_streq(buf, "n/a")) {
		pm->resume_latency_set = true;
		pm->resume_latency_us = 0;
	} else {
		return -EINVAL;
	}
	return 0;
}

static bool power_has_resume_latency(struct vfs_ctx *c)
{
	const struct sysfs_pm_owner *o = c->dir_data;
	return o && o->resume_latency;
}

const struct vfs_ent sysfs_power_ents[] = {
	{ .name = "async", .type = VFS_FILE, .mode = 0644, .show = power_async_show, .store = power_async_store },
	{ .name = "autosuspend_delay_ms", .type = VFS_FILE, .mode = 0644, .show = power_autosuspend_show,
	  .store = power_autosuspend_store },
	{ .name = "control", .type = VFS_FILE, .mode = 0644, .show = power_control_show,
	  .store = power_control_store },
	{ .name = "pm_qos_resume_latency_us", .type = VFS_FILE, .mode = 0644, .show = power_resume_latency_show,
	  .store = power_resume_latency_store, .visible = power_has_resume_latency },
	{ .name = "runtime_active_kids", .type = VFS_FILE, .mode = 0444, .show = power_zero_show },
	{ .name = "runtime_active_time", .type = VFS_FILE, .mode = 0444, .show = power_zero_show },
	{ .name = "runtime_enabled", .type = VFS_FILE, .mode = 0444, .show = power_enabled_show },
	{ .name = "runtime_status", .type = VFS_FILE, .mode = 0444, .show = power_status_show },
	{ .name = "runtime_suspended_time", .type = VFS_FILE, .mode = 0444, .show = power_zero_show },
	{ .name = "runtime_usage", .type = VFS_FILE, .mode = 0444, .show = power_usage_show },
	{ .name = NULL },
};

static const struct vfs_dir empty_dir = { .ents = NULL };

/* ---- /sys/module/memory_hotplug ---- */

static bool param_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	for (int i = 0; i < memory_hotplug_nr_params; i++)
		if (strcmp(memory_hotplug_param_names[i], name) == 0) {
			*id = (unsigned long)i;
			return true;
		}
	return false;
}

static void param_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int i = 0; i < memory_hotplug_nr_params; i++)
		sl_add(names, memory_hotplug_param_names[i]);
}

static const char *ctx_param(struct vfs_ctx *c)
{
	return memory_hotplug_param_names[c->arg[c->nargs - 1]];
}

static int param_show(struct vfs_ctx *c, struct sbuf *out)
{
	return mhp_param_show(c->k, ctx_param(c), out);
}

static int param_store(struct vfs_ctx *c, const char *buf)
{
	return mhp_param_store(c->k, ctx_param(c), buf);
}

static unsigned param_mode(struct vfs_ctx *c)
{
	return mhp_param_mode(ctx_param(c));
}

/* memmap_on_memory is 0444, the others 0644: the router refuses writes by the mode */
static const struct vfs_ent param_ent = { .type = VFS_FILE, .mode = 0644, .show = param_show,
					  .store = param_store, .mode_of = param_mode };

static const struct vfs_dyn params_dyns[] = {
	{ .lookup = param_lookup, .list = param_list, .ent = &param_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir params_dir = { .dyns = params_dyns };

static int module_uevent_store(struct vfs_ctx *c, const char *buf)
{
	return sysfs_uevent_store(c, buf);
}

static const struct vfs_ent mhp_module_ents[] = {
	{ .name = "parameters", .type = VFS_DIR, .mode = 0755, .dir = &params_dir },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = module_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir mhp_module_dir = { .ents = mhp_module_ents };

/*
 * A loaded module's directory (kernel/module/sysfs.c): initstate "live" is
 * what libkmod reads (kmod_module_get_initstate) to decide that modprobe has
 * nothing to do, so daxctl's kmod insert of kmem or device_dax stops there.
 */
static bool nd_mod_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	static const char *const mods[] = { "nd_e820", "nd_pmem", "dax_pmem", "device_dax", "kmem" };
	for (unsigned long i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (!strcmp(name, mods[i]) && nd_module_loaded(c->k, name)) {
			*id = i;
			return true;
		}
	return false;
}

static void nd_mod_list(struct vfs_ctx *c, struct strlist *names)
{
	static const char *const mods[] = { "nd_e820", "nd_pmem", "dax_pmem", "device_dax", "kmem" };
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (nd_module_loaded(c->k, mods[i]))
			sl_addf(names, "%s", mods[i]);
}

static int initstate_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "live\n");
	return 0;
}

static const struct vfs_ent loaded_module_ents[] = {
	{ .name = "initstate", .type = VFS_FILE, .mode = 0444, .show = initstate_show },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = module_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir loaded_module_dir = { .ents = loaded_module_ents };
static const struct vfs_ent loaded_module_ent = { .type = VFS_DIR, .mode = 0755, .dir = &loaded_module_dir };
static const struct vfs_dyn module_dyns[] = {
	{ .lookup = nd_mod_lookup, .list = nd_mod_list, .ent = &loaded_module_ent },
	{ .lookup = NULL },
};

static const struct vfs_ent module_ents[] = {
	{ .name = "memory_hotplug", .type = VFS_DIR, .mode = 0755, .dir = &mhp_module_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_module_dir = { .ents = module_ents, .dyns = module_dyns };

/* ---- /sys/firmware/memmap ---- */

static struct firmware_map_entry *ctx_fw_entry(struct vfs_ctx *c)
{
	return firmware_map_find(c->k, (int)c->arg[c->nargs - 1]);
}

static int fw_start_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct firmware_map_entry *e = ctx_fw_entry(c);
	if (!e)
		return -ENODEV;
	sb_printf(out, "0x%llx\n", (unsigned long long)e->start);
	return 0;
}

static int fw_end_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct firmware_map_entry *e = ctx_fw_entry(c);
	if (!e)
		return -ENODEV;
	sb_printf(out, "0x%llx\n", (unsigned long long)e->end);
	return 0;
}

static int fw_type_show(struct vfs_ctx *c, struct sbuf *out)
{
	struct firmware_map_entry *e = ctx_fw_entry(c);
	if (!e)
		return -ENODEV;
	sb_printf(out, "%s\n", e->type ? e->type : "");
	return 0;
}

/* 0400: physical addresses are for root only (drivers/firmware/memmap.c) */
static const struct vfs_ent fw_entry_ents[] = {
	{ .name = "end", .type = VFS_FILE, .mode = 0400, .show = fw_end_show },
	{ .name = "start", .type = VFS_FILE, .mode = 0400, .show = fw_start_show },
	{ .name = "type", .type = VFS_FILE, .mode = 0400, .show = fw_type_show },
	{ .name = NULL },
};
static const struct vfs_dir fw_entry_dir = { .ents = fw_entry_ents };

static bool fw_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long n;
	if (!vfs_parse_numbered(name, "", &n) || n > (unsigned long)__INT_MAX__)
		return false;
	if (!firmware_map_find(c->k, (int)n))
		return false;
	*id = n;
	return true;
}

static void fw_list(struct vfs_ctx *c, struct strlist *names)
{
	for (struct firmware_map_entry *e = c->k->fw_memmap; e; e = e->next)
		if (e->id >= 0)
			sl_addf(names, "%d", e->id);
}

static const struct vfs_ent fw_entry_ent = { .type = VFS_DIR, .mode = 0755, .dir = &fw_entry_dir };
static const struct vfs_dyn memmap_dyns[] = {
	{ .lookup = fw_lookup, .list = fw_list, .ent = &fw_entry_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir memmap_dir = { .dyns = memmap_dyns };

static const struct vfs_ent firmware_ents[] = {
	{ .name = "memmap", .type = VFS_DIR, .mode = 0755, .dir = &memmap_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_firmware_dir = { .ents = firmware_ents };

/* ---- /sys/kernel/debug/notifier-error-inject/memory (lib/notifier-error-inject.c) ---- */

#define MAX_INJECT_ACTIONS 8	/* guard: the action table is NULL-terminated */

static bool inject_loaded(struct vfs_ctx *c)
{
	return c->k->notifier_inject_loaded;
}

static bool action_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	for (int i = 0; i < MAX_INJECT_ACTIONS && memory_notifier_inject_actions[i]; i++)
		if (strcmp(memory_notifier_inject_actions[i], name) == 0) {
			*id = (unsigned long)i;
			return true;
		}
	return false;
}

static void action_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int i = 0; i < MAX_INJECT_ACTIONS && memory_notifier_inject_actions[i]; i++)
		sl_add(names, memory_notifier_inject_actions[i]);
}

static int action_error_show(struct vfs_ctx *c, struct sbuf *out)
{
	return memory_notifier_inject_show(c->k, memory_notifier_inject_actions[c->arg[c->nargs - 1]], out);
}

static int action_error_store(struct vfs_ctx *c, const char *buf)
{
	return memory_notifier_inject_store(c->k, memory_notifier_inject_actions[c->arg[c->nargs - 1]], buf);
}

static const struct vfs_ent action_ents[] = {
	{ .name = "error", .type = VFS_FILE, .mode = 0600, .show = action_error_show, .store = action_error_store },
	{ .name = NULL },
};
static const struct vfs_dir action_dir = { .ents = action_ents };
static const struct vfs_ent action_ent = { .type = VFS_DIR, .mode = 0755, .dir = &action_dir };

static const struct vfs_dyn actions_dyns[] = {
	{ .lookup = action_lookup, .list = action_list, .ent = &action_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir actions_dir = { .dyns = actions_dyns };

static const struct vfs_ent inject_memory_ents[] = {
	{ .name = "actions", .type = VFS_DIR, .mode = 0755, .dir = &actions_dir },
	{ .name = NULL },
};
static const struct vfs_dir inject_memory_dir = { .ents = inject_memory_ents };

static const struct vfs_ent inject_ents[] = {
	{ .name = "memory", .type = VFS_DIR, .mode = 0755, .dir = &inject_memory_dir },
	{ .name = NULL },
};
static const struct vfs_dir inject_dir = { .ents = inject_ents };

/* ---- /sys/kernel/debug/{fail_page_alloc,failslab} (lib/fault-inject.c, an extension) ---- */

static const char *const fault_dirs[] = { "fail_page_alloc", "failslab" };

static bool fault_file_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	const char *const *files = fault_inject_files(fault_dirs[c->arg[c->nargs - 1]]);

	for (unsigned long i = 0; files && files[i]; i++)
		if (!strcmp(files[i], name)) {
			*id = i;
			return true;
		}
	return false;
}

static void fault_file_list(struct vfs_ctx *c, struct strlist *names)
{
	const char *const *files = fault_inject_files(fault_dirs[c->arg[c->nargs - 1]]);

	for (int i = 0; files && files[i]; i++)
		sl_add(names, files[i]);
}

static int fault_file_show(struct vfs_ctx *c, struct sbuf *out)
{
	const char *dir = fault_dirs[c->arg[c->nargs - 2]];

	return fault_inject_show(c->k, dir, fault_inject_files(dir)[c->arg[c->nargs - 1]], out);
}

static int fault_file_store(struct vfs_ctx *c, const char *buf)
{
	const char *dir = fault_dirs[c->arg[c->nargs - 2]];

	return fault_inject_store(c->k, dir, fault_inject_files(dir)[c->arg[c->nargs - 1]], buf);
}

static const struct vfs_ent fault_file_ent = { .type = VFS_FILE, .mode = 0600, .show = fault_file_show,
					       .store = fault_file_store };
static const struct vfs_dyn fault_file_dyns[] = {
	{ .lookup = fault_file_lookup, .list = fault_file_list, .ent = &fault_file_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir fault_attr_dir = { .dyns = fault_file_dyns };

static bool fault_dir_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	for (unsigned long i = 0; i < sizeof(fault_dirs) / sizeof(fault_dirs[0]); i++)
		if (!strcmp(fault_dirs[i], name)) {
			*id = i;
			return true;
		}
	return false;
}

static void fault_dir_list(struct vfs_ctx *c, struct strlist *names)
{
	for (size_t i = 0; i < sizeof(fault_dirs) / sizeof(fault_dirs[0]); i++)
		sl_add(names, fault_dirs[i]);
}

static const struct vfs_ent fault_dir_ent = { .type = VFS_DIR, .mode = 0755, .dir = &fault_attr_dir };
static const struct vfs_dyn debug_dyns[] = {
	{ .lookup = fault_dir_lookup, .list = fault_dir_list, .ent = &fault_dir_ent },
	{ .lookup = NULL },
};

static const struct vfs_ent debug_ents[] = {
	{ .name = "notifier-error-inject", .type = VFS_DIR, .mode = 0755, .dir = &inject_dir,
	  .visible = inject_loaded },
	{ .name = NULL },
};
static const struct vfs_dir debug_dir = { .ents = debug_ents, .dyns = debug_dyns };

static const struct vfs_ent kernel_ents[] = {
	{ .name = "debug", .type = VFS_DIR, .mode = 0700, .dir = &debug_dir },
	{ .name = "tracing", .type = VFS_DIR, .mode = 0755, .dir = &tracefs_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_kernel_dir = { .ents = kernel_ents };

/* ---- /sys/bus/{memory,node} ---- */

static bool bus_memory_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long n;
	if (!vfs_parse_numbered(name, "memory", &n) || !find_memory_block_by_id(c->k, n))
		return false;
	*id = n;
	return true;
}

static void bus_memory_list(struct vfs_ctx *c, struct strlist *names)
{
	unsigned long nr = nr_memory_blocks(c->k);
	for (unsigned long i = 0; i < nr; i++) {
		struct memory_block *mem = memory_block_at(c->k, i);
		if (mem)
			sl_addf(names, "memory%lu", mem->id);
	}
}

static void bus_memory_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../../devices/system/memory/memory%lu", c->arg[c->nargs - 1]);
}

static void bus_node_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../../devices/system/node/node%lu", c->arg[c->nargs - 1]);
}

static const struct vfs_ent bus_memory_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = bus_memory_link };
static const struct vfs_ent bus_node_dev_ent = { .type = VFS_LINK, .mode = 0777, .link = bus_node_link };

static const struct vfs_dyn bus_memory_devices_dyns[] = {
	{ .lookup = bus_memory_lookup, .list = bus_memory_list, .ent = &bus_memory_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir bus_memory_devices_dir = { .dyns = bus_memory_devices_dyns };

static const struct vfs_dyn bus_node_devices_dyns[] = {
	{ .lookup = sysfs_node_lookup, .list = sysfs_node_list, .ent = &bus_node_dev_ent },
	{ .lookup = NULL },
};
static const struct vfs_dir bus_node_devices_dir = { .dyns = bus_node_devices_dyns };

static int one_show(struct vfs_ctx *c, struct sbuf *out)
{
	sb_puts(out, "1\n");
	return 0;
}

static int bool_store(struct vfs_ctx *c, const char *buf)
{
	bool b;
	return kstrtobool(buf, &b) ? -EINVAL : 0;
}

static int drivers_probe_store(struct vfs_ctx *c, const char *buf)
{
	return -EINVAL;	/* no driver binds to memory or node devices */
}

static const struct vfs_ent bus_memory_ents[] = {
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &bus_memory_devices_dir },
	{ .name = "drivers", .type = VFS_DIR, .mode = 0755, .dir = &empty_dir },
	{ .name = "drivers_autoprobe", .type = VFS_FILE, .mode = 0644, .show = one_show, .store = bool_store },
	{ .name = "drivers_probe", .type = VFS_FILE, .mode = 0200, .store = drivers_probe_store },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir bus_memory_dir = { .ents = bus_memory_ents };

static const struct vfs_ent bus_node_ents[] = {
	{ .name = "devices", .type = VFS_DIR, .mode = 0755, .dir = &bus_node_devices_dir },
	{ .name = "drivers", .type = VFS_DIR, .mode = 0755, .dir = &empty_dir },
	{ .name = "drivers_autoprobe", .type = VFS_FILE, .mode = 0644, .show = one_show, .store = bool_store },
	{ .name = "drivers_probe", .type = VFS_FILE, .mode = 0200, .store = drivers_probe_store },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0200, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir bus_node_dir = { .ents = bus_node_ents };

static const struct vfs_ent bus_ents[] = {
	{ .name = "dax", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_bus_dax_dir, .visible = sysfs_bus_nd_visible },
	{ .name = "memory", .type = VFS_DIR, .mode = 0755, .dir = &bus_memory_dir },
	{ .name = "nd", .type = VFS_DIR, .mode = 0755, .dir = &sysfs_bus_nd_dir, .visible = sysfs_bus_nd_visible },
	{ .name = "node", .type = VFS_DIR, .mode = 0755, .dir = &bus_node_dir },
	{ .name = NULL },
};
const struct vfs_dir sysfs_bus_dir = { .ents = bus_ents };

/* ---- /sys/devices/system/cpu: only what the nodes' cpuN links need ---- */

static int cpu_count(struct kernel *k)
{
	int n = k->boot.nr_cpus;
	return n < 0 ? 0 : n > MAX_CPUS ? MAX_CPUS : n;
}

static int cpu_nid(struct kernel *k, unsigned long cpu)
{
	return k->boot.nr_nodes > 0 ? k->boot.cpu_to_node[cpu] : 0;
}

static bool cpu_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long cpu;
	if (!vfs_parse_numbered(name, "cpu", &cpu) || cpu >= (unsigned long)cpu_count(c->k))
		return false;
	*id = cpu;
	return true;
}

static void cpu_list(struct vfs_ctx *c, struct strlist *names)
{
	for (int cpu = 0; cpu < cpu_count(c->k); cpu++)
		sl_addf(names, "cpu%d", cpu);
}

static bool cpu_node_lookup(struct vfs_ctx *c, const char *name, unsigned long *id)
{
	unsigned long nid;
	if (!vfs_parse_numbered(name, "node", &nid) || (int)nid != cpu_nid(c->k, c->arg[0]))
		return false;
	*id = nid;
	return true;
}

static void cpu_node_list(struct vfs_ctx *c, struct strlist *names)
{
	sl_addf(names, "node%d", cpu_nid(c->k, c->arg[0]));
}

static void cpu_node_link(struct vfs_ctx *c, struct sbuf *t)
{
	sb_printf(t, "../../node/node%lu", c->arg[c->nargs - 1]);
}

static const struct vfs_ent cpu_node_ent = { .type = VFS_LINK, .mode = 0777, .link = cpu_node_link };
static const struct vfs_dyn cpu_entry_dyns[] = {
	{ .lookup = cpu_node_lookup, .list = cpu_node_list, .ent = &cpu_node_ent },
	{ .lookup = NULL },
};
static struct dev_pm_info *cpu_pm(struct vfs_ctx *c)
{
	return c->arg[0] < MAX_CPUS ? &c->k->cpu_pm[c->arg[0]] : NULL;
}
static const struct sysfs_pm_owner cpu_pm_owner = { .info = cpu_pm, .resume_latency = true };
static const struct vfs_dir cpu_power_dir = SYSFS_POWER_DIR(&cpu_pm_owner);

static const struct vfs_ent cpu_entry_ents[] = {
	{ .name = "power", .type = VFS_DIR, .mode = 0755, .dir = &cpu_power_dir },
	{ .name = "uevent", .type = VFS_FILE, .mode = 0644, .show = sysfs_uevent_show, .store = sysfs_uevent_store },
	{ .name = NULL },
};
static const struct vfs_dir cpu_entry_dir = { .ents = cpu_entry_ents, .dyns = cpu_entry_dyns };
static const struct vfs_ent cpu_entry_ent = { .type = VFS_DIR, .mode = 0755, .dir = &cpu_entry_dir };

static const struct vfs_dyn cpu_dyns[] = {
	{ .lookup = cpu_lookup, .list = cpu_list, .ent = &cpu_entry_ent },
	{ .lookup = NULL },
};
const struct vfs_dir sysfs_cpu_dir = { .dyns = cpu_dyns };
