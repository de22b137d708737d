// SPDX-License-Identifier: MIT
/*
 * A machine's life: parse QEMU's options, lay memory out, create the boot
 * RAM, describe it all to the guest kernel and boot it; at the end, take
 * the guest down before the memory behind it.
 */
#include <stdlib.h>
#include "../lib/alloc.h"
#include <string.h>

#include "machine_internal.h"

static void destroy_backend(const char *key, void *value, void *opaque)
{
	backend_destroy(value);
}

/* The machine's own RAM backend when no -numa memdev provides boot RAM. */
static int create_pc_ram(struct machine *m, struct sbuf *err)
{
	struct backend_opts bo = {
		.id = (char *)"pc.ram",
		.size = m->cfg.ram_size,
		.have_size = true,
		.merge = true, .dump = true, .reserve = true,
		.policy = "default",
	};
	struct backend *be;

	be = backend_create(&bo, err);
	if (!be)
		return -1;
	be->mapped = true;
	if (qom_table_insert(m->objects, be->id, be)) {
		backend_destroy(be);
		sb_puts(err, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * -device pc-dimm on the command line: plugged like device_add, before the
 * guest runs (so "hotplugged: false"); QEMU reports a refusal as an error
 * of that option and does not start.
 */
static int plug_cold_dimms(struct machine *m, struct sbuf *err)
{
	for (int i = 0; i < m->cfg.nr_cold_dimms; i++) {
		struct sbuf out = SBUF_INIT;
		int rc = dimm_device_add(m, m->cfg.cold_dimm[i], &out);
		if (rc || out.len) {
			const char *msg = sb_str(&out);
			if (!strncmp(msg, "Error: ", 7))
				msg += 7;
			sb_printf(err, "%s: %.*s", m->cfg.cold_dimm_loc[i],
				  (int)strcspn(msg, "\n"), msg);
			sb_free(&out);
			return -1;
		}
		sb_free(&out);
	}
	return 0;
}

/* pc_cpus_init(): the CPU is created, and its properties checked, before memory is laid out */
static int realize_cpu(struct machine_config *cfg, struct sbuf *err)
{
	struct cpu_phys_props p;

	if (cpu_parse_features(&p, cfg->cpu_features, err))
		return -1;
	/* without -cpu, the CPU the recordings were made with (the oracle's -cpu max) has them */
	cfg->gbpages = !cfg->cpu_features || p.pdpe1gb;
	return cpu_realize_phys_bits(&p, cfg->kvm, &cfg->phys_bits, err);
}

struct machine *machine_new(int argc, char *const argv[], struct sbuf *err)
{
	struct machine *m = mh_calloc(1, sizeof(*m));
	char kerr[512] = "";

	if (!m) {
		sb_puts(err, "out of memory");
		return NULL;
	}
	pthread_rwlock_init(&m->dimm_lock, NULL);
	m->objects = qom_table_new();
	if (!m->objects) {
		sb_puts(err, "out of memory");
		goto fail;
	}
	if (argc < 0 || (argc > 0 && !argv)) {
		sb_puts(err, "no arguments");
		goto fail;
	}
	if (machine_parse_cmdline(m, argc, argv, err))
		goto fail;
	if (realize_cpu(&m->cfg, err))
		goto fail;
	if (machine_compute_layout(&m->cfg, &m->lay, err))
		goto fail;
	if (!m->cfg.numa_memdev && create_pc_ram(m, err))
		goto fail;
	machine_build_ram_segments(m);
	if (plug_cold_dimms(m, err))
		goto fail;
	machine_fill_boot_params(m, &m->bp);

	m->k = kernel_boot(&m->bp, kerr, sizeof(kerr));
	if (!m->k) {
		sb_puts(err, kerr[0] ? kerr : "guest kernel failed to boot");
		goto fail;
	}
	/* virtio_pci + virtio_mem bind to the cold-plugged virtio-mem devices */
	vmem_probe_cold(m);
	return m;
fail:
	machine_free(m);
	return NULL;
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	/* the guest goes first: it may still reach backend memory */
	if (m->k)
		kernel_destroy(m->k);
	m->k = NULL;
	dimm_release_all(m);
	vmem_release_all(m);
	if (m->objects) {
		qom_table_foreach(m->objects, destroy_backend, NULL);
		qom_table_free(m->objects);
	}
	machine_config_release(&m->cfg);
	pthread_rwlock_destroy(&m->dimm_lock);
	free(m);
}

struct kernel *machine_guest(struct machine *m)
{
	return m ? m->k : NULL;
}

void machine_set_event_handler(struct machine *m, machine_event_fn fn, void *opaque)
{
	if (!m)
		return;
	m->event_fn = fn;
	m->event_opaque = opaque;
}

void machine_emit_event(struct machine *m, const char *event, const char *json_data)
{
	if (m->event_fn)
		m->event_fn(m->event_opaque, event, json_data);
}
