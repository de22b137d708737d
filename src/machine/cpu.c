// SPDX-License-Identifier: MIT
/*
 * The qemu64 CPU's physical address width, as QEMU 7.2 settles it: -cpu's
 * features become global properties of qemu64-x86_64-cpu
 * (x86_cpu_parse_featurestr()), applied when the CPU is created, then
 * host_cpu_realizefn() (KVM only: host-phys-bits) and x86_cpu_realizefn()
 * check and default phys-bits. pc_memory_init() later holds the memory
 * layout against it (layout.c). The guest also sees whether the CPU has 1 GiB
 * pages (pdpe1gb, which qemu64 lacks): Linux reports DirectMap1G only then.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef __x86_64__
#include <cpuid.h>
#endif

#include "machine_internal.h"

#define TCG_PHYS_ADDR_BITS		40	/* qemu64's default */
#define TARGET_PHYS_ADDR_SPACE_BITS	52

/* qemu_strtou64() with base 0 on the whole text (a minus wraps, as strtoull) */
static int strtou64_whole(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (end == s || *end)
		return -EINVAL;
	return errno ? -ERANGE : 0;
}

/*
 * The string input visitor's visit_type_uintN(): a uint64 first, then the
 * property's own range; the message names the type that refused.
 */
static int prop_uint(const char *name, const char *val, uint64_t max, const char *type, uint64_t *out,
		     struct sbuf *err)
{
	uint64_t v;

	if (strtou64_whole(val, &v)) {
		sb_printf(err, "can't apply global qemu64-x86_64-cpu.%s=%s: Parameter '%s' expects uint64",
			  name, val, name);
		return -1;
	}
	if (v > max) {
		sb_printf(err, "can't apply global qemu64-x86_64-cpu.%s=%s: Parameter '%s' expects %s",
			  name, val, name, type);
		return -1;
	}
	*out = v;
	return 0;
}

static int prop_bool(const char *name, const char *val, bool *out, struct sbuf *err)
{
	if (parse_bool(val, out)) {
		sb_printf(err, "can't apply global qemu64-x86_64-cpu.%s=%s: Parameter '%s' expects 'on' or 'off'",
			  name, val, name);
		return -1;
	}
	return 0;
}

/* One "name[=value]" of the feature string; only the address-width properties matter here. */
static int apply_feature(struct cpu_phys_props *p, char *tok, struct sbuf *err)
{
	char *eq = strchr(tok, '=');
	const char *val = eq ? eq + 1 : "on";
	uint64_t v;

	if (tok[0] == '+' || tok[0] == '-') {	/* legacy +flag/-flag */
		if (!strcmp(tok + 1, "pdpe1gb"))
			p->pdpe1gb = tok[0] == '+';
		return 0;
	}
	if (eq)
		*eq = '\0';
	/* feat2prop(): "phys_bits" names the property "phys-bits" */
	for (char *c = tok; *c; c++)
		if (*c == '_')
			*c = '-';
	if (!strcmp(tok, "phys-bits")) {
		if (prop_uint(tok, val, UINT32_MAX, "uint32_t", &v, err))
			return -1;
		p->phys_bits = (uint32_t)v;
	} else if (!strcmp(tok, "host-phys-bits-limit")) {
		if (prop_uint(tok, val, UINT8_MAX, "uint8_t", &v, err))
			return -1;
		p->host_phys_bits_limit = (uint8_t)v;
	} else if (!strcmp(tok, "host-phys-bits")) {
		if (prop_bool(tok, val, &p->host_phys_bits, err))
			return -1;
	} else if (!strcmp(tok, "pdpe1gb")) {
		if (prop_bool(tok, val, &p->pdpe1gb, err))
			return -1;
	}
	return 0;
}

int cpu_parse_features(struct cpu_phys_props *p, const char *features, struct sbuf *err)
{
	char *copy, *save = NULL;
	int rc = 0;

	*p = (struct cpu_phys_props){ 0 };
	if (!features || !*features)
		return 0;
	copy = strdup(features);
	if (!copy) {
		sb_puts(err, "out of memory");
		return -1;
	}
	/* globals are applied in the order given: the last of a name wins, the first refusal ends */
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = apply_feature(p, tok, err);
	free(copy);
	return rc;
}

/* host_cpu_phys_bits(): CPUID 0x80000008's EAX[7:0] where the host has that leaf */
static uint32_t host_cpu_phys_bits(void)
{
#ifdef __x86_64__
	unsigned int a, b, c, d;

	if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000008 &&
	    __get_cpuid(0x80000008, &a, &b, &c, &d))
		return a & 0xff;
#endif
	return 36;
}

static int check_range(uint32_t bits, struct sbuf *err)
{
	if (bits && (bits > TARGET_PHYS_ADDR_SPACE_BITS || bits < 32)) {
		/* QEMU's message has the two spaces */
		sb_printf(err, "phys-bits should be between 32 and %u  (but is %u)", TARGET_PHYS_ADDR_SPACE_BITS,
			  bits);
		return -1;
	}
	return 0;
}

int cpu_realize_phys_bits(const struct cpu_phys_props *p, bool kvm, uint32_t *out, struct sbuf *err)
{
	uint32_t bits = p->phys_bits;

	/* host_cpu_adjust_phys_bits(): TCG ignores host-phys-bits */
	if (kvm && p->host_phys_bits) {
		bits = host_cpu_phys_bits();
		if (p->host_phys_bits_limit && bits > p->host_phys_bits_limit)
			bits = p->host_phys_bits_limit;
	}
	if (check_range(bits, err))
		return -1;
	/* 0: nobody set it, so TCG's width */
	*out = bits ? bits : TCG_PHYS_ADDR_BITS;
	return 0;
}
