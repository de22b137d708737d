// SPDX-License-Identifier: MIT
/*
 * The QEMU command line of a scenario: -m, -smp, -object, -numa, -append
 * (and -machine pc), with QEMU 7.2's checks and messages.
 *
 * QEMU checks in phases, and the first failing phase decides what the user
 * reads: option syntax while it scans argv (messages carry the option as a
 * location, "-m 1G,foo=1: Invalid parameter 'foo'"), then -object creation,
 * the -m size rules (machine_set_mem), -smp, the -numa nodes, and NUMA
 * completion. We keep that order. Messages are returned without QEMU's
 * "qemu-system-x86_64: " program prefix.
 */
#include <errno.h>
#include "../lib/alloc.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "machine_internal.h"
#include "cmdline_host.h"


/* one -numa as given, checked once -smp and the objects are known */
struct numa_arg {
	const char *text;
	char *loc;		/* "-numa TEXT", as QEMU names the option in messages */
	struct opt_list l;
};

struct parse_state {
	const char *m_text;
	char *m_loc;
	const char **object_text;
	char **object_loc;
	size_t nr_object;
	struct numa_arg *numa;
	size_t nr_numa;
	const char *smp_text;
	char *smp_loc;
};


/* -m [size=]SIZE[,slots=N][,maxmem=SIZE] */
static int parse_m(struct machine_config *cfg, const char *text, const char *loc, struct sbuf *err)
{
	struct opt_list l;
	const char *size = NULL, *slots = NULL, *maxmem = NULL;
	int ret = -1;

	opts_split(text, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key, *v = l.v[i].val;

		if (i == 0 && !v) {
			size = k;
		} else if (!v) {
			sb_printf(err, "%s: Invalid parameter '%s'", loc, k);
			goto out;
		} else if (!strcmp(k, "size")) {
			size = v;
		} else if (!strcmp(k, "slots")) {
			slots = v;
		} else if (!strcmp(k, "maxmem")) {
			maxmem = v;
		} else {
			sb_printf(err, "%s: Invalid parameter '%s'", loc, k);
			goto out;
		}
	}

	cfg->ram_size = 128 * MiB;
	if (size) {
		uint64_t sz;
		size_t n = strlen(size);

		if (!n) {
			sb_puts(err, "missing 'size' option value");
			goto out;
		}
		if (parse_size(size, 1, &sz)) {
			sb_printf(err, "%s: Parameter 'size' expects a non-negative number below 2^64", loc);
			goto out;
		}
		/* legacy suffix-less format: megabytes */
		if (size[n - 1] >= '0' && size[n - 1] <= '9') {
			if (sz > (UINT64_MAX >> 20)) {
				sb_puts(err, "too large 'size' option value");
				goto out;
			}
			sz <<= 20;
		}
		if (sz) {
			if (sz > UINT64_MAX - 8191) {
				sb_puts(err, "ram size too large");
				goto out;
			}
			cfg->ram_size = ROUND_UP(sz, 8192);
		}
	}
	cfg->maxram_size = cfg->ram_size;
	if (slots) {
		uint64_t n;

		if (parse_uint64(slots, &n)) {
			sb_printf(err, "%s: Parameter 'slots' expects a number", loc);
			goto out;
		}
		if (n > UINT32_MAX) {
			sb_printf(err, "unsupported amount of memory slots: %" PRIu64, n);
			goto out;
		}
		cfg->ram_slots = (unsigned int)n;
	}
	if (maxmem) {
		if (parse_size(maxmem, 1, &cfg->maxram_size)) {
			sb_printf(err, "%s: Parameter 'maxmem' expects a non-negative number below 2^64", loc);
			goto out;
		}
	}
	/* machine_set_mem() */
	if (maxmem) {
		if (cfg->maxram_size < cfg->ram_size) {
			sb_printf(err, "invalid value of maxmem: maximum memory size (0x%" PRIx64
				  ") must be at least the initial memory size (0x%" PRIx64 ")",
				  cfg->maxram_size, cfg->ram_size);
			goto out;
		}
		if (slots && cfg->ram_slots && cfg->maxram_size == cfg->ram_size) {
			sb_printf(err, "invalid value of maxmem: memory slots were specified but maximum "
				  "memory size (0x%" PRIx64 ") is equal to the initial memory size (0x%"
				  PRIx64 ")", cfg->maxram_size, cfg->ram_size);
			goto out;
		}
	} else if (slots) {
		sb_puts(err, "slots specified but no max-size");
		goto out;
	}
	ret = 0;
out:
	opts_free(&l);
	return ret;
}

/* -smp [cpus=]N[,sockets=..,cores=..,threads=..,maxcpus=..] */
static int parse_smp(struct machine_config *cfg, const char *text, const char *loc, struct sbuf *err)
{
	struct opt_list l;
	int64_t cpus = -1, prod = 1, v;
	bool have_topo = false;
	int ret = -1;

	opts_split(text, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.v[i].key, *val = l.v[i].val;
		const char *name = k;

		if (i == 0 && !val) {
			val = k;
			name = "cpus";
		} else if (!val || (strcmp(k, "cpus") && strcmp(k, "sockets") && strcmp(k, "dies") &&
				    strcmp(k, "clusters") && strcmp(k, "cores") &&
				    strcmp(k, "threads") && strcmp(k, "maxcpus"))) {
			sb_printf(err, "%s: Invalid parameter '%s'", loc, k);
			goto out;
		}
		if (parse_int64(val, &v) || v < 0) {
			sb_printf(err, "Parameter 'smp.%s' expects integer", name);
			goto out;
		}
		if (!strcmp(name, "cpus")) {
			cpus = v;
		} else if (strcmp(name, "maxcpus")) {
			prod *= v ? v : 1;
			have_topo = true;
		}
	}
	if (cpus <= 0)
		cpus = have_topo ? prod : 1;	/* "-smp 0" is a deprecated way to say 1 */
	if (cpus > PC_MAX_CPUS) {
		sb_printf(err, "Invalid SMP CPUs %" PRId64 ". The max CPUs supported by machine "
			  "'pc-i440fx-7.2' is %d", cpus, PC_MAX_CPUS);
		goto out;
	}
	cfg->smp = (int)cpus;
	ret = 0;
out:
	opts_free(&l);
	return ret;
}

static int parse_machine(struct machine_config *cfg, const char *text, const char *loc, struct sbuf *err)
{
	struct opt_list l;
	const char *type = NULL;
	int ret = 0;

	opts_split(text, &l);
	for (size_t i = 0; i < l.n && !ret; i++) {
		const char *k = l.v[i].key, *v = l.v[i].val;

		if (i == 0 && !v) {
			type = k;
		} else if (!strcmp(k, "type") && v) {
			type = v;
		} else if (!strcmp(k, "accel") && v) {
			/* the legacy spelling of -accel */
			if (cmdline_host_option(cfg, "accel", v, NULL, err) < 0)
				ret = -1;
		} else if (!strcmp(k, "nvdimm")) {
			/* pc_machine_set_nvdimm(): the keyval boolean, refused without a location */
			if (parse_bool(v ? v : "on", &cfg->nvdimm)) {
				sb_puts(err, "Parameter 'nvdimm' expects 'on' or 'off'");
				ret = -1;
			}
		} else {
			sb_printf(err, "%s: memhp: machine property '%s' is not modelled", loc, k);
			ret = -1;
		}
	}
	if (!ret && type && strcmp(type, "pc") && strncmp(type, "pc-i440fx-", 10)) {
		sb_printf(err, "%s: memhp models only the pc (i440fx) machine", loc);
		ret = -1;
	}
	opts_free(&l);
	return ret;
}

/* "A" or "A-B" */
static int parse_cpu_range(const char *s, uint64_t *a, uint64_t *b)
{
	const char *dash = strchr(s, '-');
	char buf[64];

	if (!dash)
		return parse_uint64(s, a) || (*b = *a, 0);
	if ((size_t)(dash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = 0;
	if (parse_uint64(buf, a) || parse_uint64(dash + 1, b) || *b < *a)
		return -EINVAL;
	return 0;
}

/* -numa node,nodeid=N,cpus=A[-B],memdev=ID (parse_numa_node()) */
static int apply_numa(struct machine *m, struct numa_arg *na, struct sbuf *err)
{
	struct machine_config *cfg = &m->cfg;
	struct opt_list *l = &na->l;
	const char *type = NULL, *memdev = NULL;
	int64_t nodeid = -1;
	struct numa_node_cfg *node;

	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->v[i].key, *v = l->v[i].val;

		if (i == 0 && !v) {
			type = k;
			continue;
		}
		if (!strcmp(k, "type")) {
			type = v;
		} else if (!strcmp(k, "nodeid")) {
			if (parse_int64(v, &nodeid) || nodeid < 0 || nodeid > UINT16_MAX) {
				sb_printf(err, "%s: Parameter 'nodeid' expects uint16_t", na->loc);
				return -1;
			}
		} else if (!strcmp(k, "memdev")) {
			memdev = v;
		} else if (!strcmp(k, "mem")) {
			sb_printf(err, "%s: Parameter -numa node,mem is not supported by this machine type\n"
				  "Use -numa node,memdev instead", na->loc);
			return -1;
		} else if (strcmp(k, "cpus") && strcmp(k, "initiator")) {
			sb_printf(err, "%s: Parameter '%s' is unexpected", na->loc, k);
			return -1;
		}
	}
	if (!type) {
		sb_printf(err, "%s: Parameter 'type' is missing", na->loc);
		return -1;
	}
	if (strcmp(type, "node")) {
		if (!strcmp(type, "dist") || !strcmp(type, "cpu") || !strcmp(type, "hmat-lb") ||
		    !strcmp(type, "hmat-cache"))
			sb_printf(err, "%s: memhp does not model -numa %s", na->loc, type);
		else
			sb_printf(err, "%s: Parameter 'type' does not accept value '%s'", na->loc, type);
		return -1;
	}
	if (nodeid < 0)
		nodeid = cfg->nr_nodes;
	if (nodeid >= QEMU_MAX_NODES) {
		sb_printf(err, "%s: Max number of NUMA nodes reached: %" PRId64, na->loc, nodeid);
		return -1;
	}
	if (nodeid >= MAX_NUMNODES) {
		sb_printf(err, "%s: memhp supports at most %d NUMA nodes", na->loc, MAX_NUMNODES);
		return -1;
	}
	node = &cfg->node[nodeid];
	if (node->present) {
		sb_printf(err, "%s: Duplicate NUMA nodeid: %" PRId64, na->loc, nodeid);
		return -1;
	}
	for (size_t i = 0; i < l->n; i++) {
		uint64_t a, b;

		if (strcmp(l->v[i].key, "cpus") || !l->v[i].val)
			continue;
		if (parse_cpu_range(l->v[i].val, &a, &b)) {
			sb_printf(err, "%s: Parameter 'cpus' expects uint16_t", na->loc);
			return -1;
		}
		for (uint64_t c = a; c <= b; c++) {
			if (c >= (uint64_t)cfg->smp) {
				sb_printf(err, "%s: CPU index (%" PRIu64 ") should be smaller than maxcpus (%d)",
					  na->loc, c, cfg->smp);
				return -1;
			}
			cfg->cpu_node[c] = (int)nodeid;
		}
	}
	if (memdev) {
		struct backend *be = qom_table_lookup(m->objects, memdev);

		if (!be) {
			sb_printf(err, "%s: memdev=%s is ambiguous", na->loc, memdev);
			return -1;
		}
		node->memdev = mh_strdup(memdev);
		node->be = be;
		node->mem = be->size;
		cfg->numa_memdev = true;
	}
	node->present = true;
	cfg->numa_given = true;
	if (nodeid + 1 > cfg->nr_nodes)
		cfg->nr_nodes = (int)nodeid + 1;
	return 0;
}

/* numa_complete_configuration() and the memdev consumption of machine init */
static int complete_numa(struct machine *m, struct sbuf *err)
{
	struct machine_config *cfg = &m->cfg;
	uint64_t total = 0;

	if (!cfg->numa_given) {
		/* pc enables NUMA by itself when memory can be hot-plugged */
		if (cfg->ram_slots || cfg->maxram_size > cfg->ram_size) {
			cfg->nr_nodes = 1;
			cfg->node[0].present = true;
			cfg->node[0].mem = cfg->ram_size;
		}
		for (int c = 0; c < MAX_CPUS; c++)
			cfg->cpu_node[c] = 0;
		return 0;
	}
	for (int i = cfg->nr_nodes - 1; i >= 0; i--) {
		if (!cfg->node[i].present) {
			sb_printf(err, "numa: Node ID missing: %d", i);
			return -1;
		}
	}
	for (int i = 0; i < cfg->nr_nodes; i++)
		total += cfg->node[i].mem;
	if (total != cfg->ram_size) {
		sb_printf(err, "total memory for NUMA nodes (0x%" PRIx64 ") should equal RAM size (0x%"
			  PRIx64 ")", total, cfg->ram_size);
		return -1;
	}
	for (int i = 0; i < cfg->nr_nodes; i++) {
		struct backend *be = cfg->node[i].be;

		if (!be)
			continue;
		if (be->mapped) {
			sb_printf(err, "memory backend %s can't be used multiple times.", be->id);
			return -1;
		}
		be->mapped = true;
	}
	/* CPUs that no -numa names go to node 0 (QEMU warns, then does so) */
	for (int c = 0; c < MAX_CPUS; c++)
		if (cfg->cpu_node[c] < 0)
			cfg->cpu_node[c] = 0;
	return 0;
}

static int create_objects(struct machine *m, struct parse_state *ps, struct sbuf *err)
{
	for (size_t i = 0; i < ps->nr_object; i++) {
		const char *text = ps->object_text[i], *loc = ps->object_loc[i];
		struct backend_opts bo;
		struct backend *be;
		struct sbuf e = SBUF_INIT;
		bool size_zero;

		if (backend_parse(text, &bo, &size_zero, &e)) {
			if (!size_zero)
				sb_printf(err, "%s: ", loc);
			sb_puts(err, sb_str(&e));
			sb_free(&e);
			return -1;
		}
		if (qom_table_lookup(m->objects, bo.id)) {
			sb_printf(err, "%s: Duplicate ID '%s' for object", loc, bo.id);
			backend_opts_release(&bo);
			return -1;
		}
		be = backend_create(&bo, err);
		backend_opts_release(&bo);
		if (!be)
			return -1;
		if (qom_table_insert(m->objects, be->id, be)) {
			backend_destroy(be);
			sb_puts(err, "out of memory");
			return -1;
		}
	}
	return 0;
}

int machine_parse_cmdline(struct machine *m, int argc, char *const argv[], struct sbuf *err)
{
	struct machine_config *cfg = &m->cfg;
	struct parse_state ps = { 0 };
	struct sbuf loc = SBUF_INIT;
	int i = 0, ret = -1;

	cfg->smp = 1;
	cfg->ram_size = cfg->maxram_size = 128 * MiB;
	for (int c = 0; c < MAX_CPUS; c++)
		cfg->cpu_node[c] = -1;

	ps.object_text = mh_calloc((size_t)argc + 1, sizeof(*ps.object_text));
	ps.object_loc = mh_calloc((size_t)argc + 1, sizeof(*ps.object_loc));
	ps.numa = mh_calloc((size_t)argc + 1, sizeof(*ps.numa));
	if (!ps.object_text || !ps.object_loc || !ps.numa) {
		sb_puts(err, "out of memory");
		goto out;
	}

	/* the program name, if the caller kept it */
	if (argc > 0 && argv[0] && argv[0][0] != '-')
		i = 1;
	for (; i < argc; i++) {
		const char *opt = argv[i], *arg;
		int host;

		if (!opt || opt[0] != '-' || !opt[1]) {
			sb_printf(err, "%s: memhp takes no disk image", opt ? opt : "(null)");
			goto out;
		}
		opt++;
		if (opt[0] == '-')
			opt++;		/* QEMU accepts --m as -m */
		host = cmdline_host_takes_arg(opt);
		if (host == 0) {
			if (cmdline_host_option(cfg, opt, NULL, argv[i], err) < 0)
				goto out;
			continue;
		}
		if (strcmp(opt, "m") && strcmp(opt, "smp") && strcmp(opt, "object") &&
		    strcmp(opt, "numa") && strcmp(opt, "append") && strcmp(opt, "M") &&
		    strcmp(opt, "device") && strcmp(opt, "machine") && host != 1) {
			sb_printf(err, "%s: invalid option", argv[i]);
			goto out;
		}
		if (i + 1 >= argc || !argv[i + 1]) {
			sb_printf(err, "%s: requires an argument", argv[i]);
			goto out;
		}
		arg = argv[i + 1];
		sb_reset(&loc);
		sb_printf(&loc, "%s %s", argv[i], arg);
		i++;
		if (host == 1) {
			if (cmdline_host_option(cfg, opt, arg, sb_str(&loc), err) < 0)
				goto out;
		} else if (!strcmp(opt, "m")) {
			ps.m_text = arg;	/* the last -m wins */
			free(ps.m_loc);
			ps.m_loc = sb_detach(&loc);
		} else if (!strcmp(opt, "smp")) {
			ps.smp_text = arg;
			free(ps.smp_loc);
			ps.smp_loc = sb_detach(&loc);
		} else if (!strcmp(opt, "object")) {
			ps.object_loc[ps.nr_object] = sb_detach(&loc);
			ps.object_text[ps.nr_object++] = arg;
		} else if (!strcmp(opt, "numa")) {
			ps.numa[ps.nr_numa].loc = sb_detach(&loc);
			ps.numa[ps.nr_numa].text = arg;
			opts_split(arg, &ps.numa[ps.nr_numa].l);
			ps.nr_numa++;
		} else if (!strcmp(opt, "device")) {
			if (!cfg->cold_dimm) {
				cfg->cold_dimm = mh_calloc((size_t)argc + 1, sizeof(char *));
				cfg->cold_dimm_loc = mh_calloc((size_t)argc + 1, sizeof(char *));
				if (!cfg->cold_dimm || !cfg->cold_dimm_loc) {
					sb_puts(err, "out of memory");
					goto out;
				}
			}
			cfg->cold_dimm_loc[cfg->nr_cold_dimms] = sb_detach(&loc);
			cfg->cold_dimm[cfg->nr_cold_dimms++] = mh_strdup(arg);
		} else if (!strcmp(opt, "append")) {
			free(cfg->append);
			cfg->append = mh_strdup(arg);
		} else if (!strcmp(opt, "M") || !strcmp(opt, "machine")) {
			if (parse_machine(cfg, arg, sb_str(&loc), err))
				goto out;
		}
	}

	if (ps.m_text && parse_m(cfg, ps.m_text, ps.m_loc, err))
		goto out;
	if (create_objects(m, &ps, err))
		goto out;
	if (ps.smp_text && parse_smp(cfg, ps.smp_text, ps.smp_loc, err))
		goto out;
	for (size_t n = 0; n < ps.nr_numa; n++)
		if (apply_numa(m, &ps.numa[n], err))
			goto out;
	if (complete_numa(m, err))
		goto out;
	if (!cfg->append)
		cfg->append = mh_strdup("");
	ret = cfg->append ? 0 : -1;
out:
	for (size_t n = 0; n < ps.nr_numa; n++) {
		opts_free(&ps.numa[n].l);
		free(ps.numa[n].loc);
	}
	for (size_t n = 0; n < ps.nr_object; n++)
		free(ps.object_loc[n]);
	free(ps.numa);
	free(ps.object_text);
	free(ps.object_loc);
	free(ps.m_loc);
	free(ps.smp_loc);
	sb_free(&loc);
	return ret;
}

void machine_config_release(struct machine_config *cfg)
{
	for (int i = 0; i < QEMU_MAX_NODES; i++) {
		free(cfg->node[i].memdev);
		cfg->node[i].memdev = NULL;
	}
	free(cfg->append);
	cfg->append = NULL;
	free(cfg->qmp_path);
	cfg->qmp_path = NULL;
	free(cfg->cpu_features);
	cfg->cpu_features = NULL;
	for (int i = 0; i < cfg->nr_cold_dimms; i++) {
		free(cfg->cold_dimm[i]);
		free(cfg->cold_dimm_loc[i]);
	}
	free(cfg->cold_dimm);
	free(cfg->cold_dimm_loc);
	cfg->cold_dimm = cfg->cold_dimm_loc = NULL;
	cfg->nr_cold_dimms = 0;
}
