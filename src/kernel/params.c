// SPDX-License-Identifier: MIT
/*
 * Memory hotplug's boot options and module parameters.
 *
 * The parsers follow lib/kstrtox.c, lib/string_helpers.c and lib/cmdline.c
 * closely, because what a sysfs write accepts ("0x10", "10\n", "on", a
 * trailing blank that is *not* accepted) is user-visible. The command line
 * is parsed in two passes like start_kernel(): early parameters (mem=,
 * movable_node) first, then __setup handlers and built-in module
 * parameters, so their log messages come out in the kernel's order.
 */
#include <ctype.h>
#include "../lib/alloc.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "params.h"
#include "e820_user.h"

/* ---- lib/string_helpers.c, lib/kstrtox.c ---- */

bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	/* one side may carry exactly one trailing newline: echo's */
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

static int sysfs_match_string(const char *const *array, int n, const char *str)
{
	for (int i = 0; i < n; i++)
		if (sysfs_streq(array[i], str))
			return i;
	return -EINVAL;
}

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		switch (s[1]) {
		case 'n': case 'N':
			*res = true;
			return 0;
		case 'f': case 'F':
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* Base 0 picks 16 for "0x" + hex digit, 8 for a leading 0, else 10. */
static const char *fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0') {
			if (tolower((unsigned char)s[1]) == 'x' && isxdigit((unsigned char)s[2]))
				*base = 16;
			else
				*base = 8;
		} else {
			*base = 10;
		}
	}
	if (*base == 16 && s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
		s += 2;
	return s;
}

/*
 * Digits consumed from s; *overflow set if the value wrapped. Like Linux,
 * parsing continues after an overflow so the caller can tell -ERANGE from
 * -EINVAL the same way the kernel does.
 */
static size_t parse_integer(const char *s, unsigned int base, unsigned long long *res,
			    bool *overflow)
{
	unsigned long long r = 0;
	size_t n = 0;

	*overflow = false;
	for (;; s++, n++) {
		unsigned char c = (unsigned char)*s;
		unsigned int val;

		if (c >= '0' && c <= '9')
			val = c - '0';
		else if (tolower(c) >= 'a' && tolower(c) <= 'f')
			val = tolower(c) - 'a' + 10;
		else
			break;
		if (val >= base)
			break;
		if (r > (ULLONG_MAX - val) / base)
			*overflow = true;
		r = r * base + val;
	}
	*res = r;
	return n;
}

static int _kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long r;
	bool overflow;
	size_t n;

	s = fixup_radix(s, &base);
	n = parse_integer(s, base, &r, &overflow);
	if (overflow)
		return -ERANGE;
	if (!n)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = r;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return _kstrtoull(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long tmp;
	int rv;

	if (s[0] == '-') {
		rv = _kstrtoull(s + 1, base, &tmp);
		if (rv < 0)
			return rv;
		if (tmp > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = (long long)(0ULL - tmp);
	} else {
		rv = kstrtoull(s, base, &tmp);
		if (rv < 0)
			return rv;
		if (tmp > (unsigned long long)LLONG_MAX)
			return -ERANGE;
		*res = (long long)tmp;
	}
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long tmp;
	int rv = kstrtoull(s, base, &tmp);

	if (rv < 0)
		return rv;
	if (tmp > UINT_MAX)
		return -ERANGE;
	*res = (unsigned int)tmp;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long tmp;
	int rv = kstrtoll(s, base, &tmp);

	if (rv < 0)
		return rv;
	if (tmp < INT_MIN || tmp > INT_MAX)
		return -ERANGE;
	*res = (int)tmp;
	return 0;
}

/* simple_strtoull(): no sign, no error; wraps on overflow like the kernel's. */
static unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base)
{
	unsigned long long r;
	bool overflow;

	cp = fixup_radix(cp, &base);
	cp += parse_integer(cp, base, &r, &overflow);
	if (endp)
		*endp = (char *)cp;
	return r;
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	char *end;
	unsigned long long ret = simple_strtoull(ptr, &end, 0);
	unsigned int shift = 0;

	switch (*end) {
	case 'E': case 'e': shift = 60; break;
	case 'P': case 'p': shift = 50; break;
	case 'T': case 't': shift = 40; break;
	case 'G': case 'g': shift = 30; break;
	case 'M': case 'm': shift = 20; break;
	case 'K': case 'k': shift = 10; break;
	}
	if (shift) {
		ret <<= shift;
		end++;
	}
	if (retptr)
		*retptr = end;
	return ret;
}

/* ---- online types (drivers/base/memory.c keeps the table; parsed here) ---- */

const char *const online_type_to_str[4] = {
	[MMOP_OFFLINE] = "offline",
	[MMOP_ONLINE] = "online",
	[MMOP_ONLINE_KERNEL] = "online_kernel",
	[MMOP_ONLINE_MOVABLE] = "online_movable",
};

int mhp_online_type_from_str(const char *buf)
{
	return sysfs_match_string(online_type_to_str, 4, buf);
}

/* ---- module parameters ---- */

static const char *const online_policy_to_str[] = {
	[ONLINE_POLICY_CONTIG_ZONES] = "contig-zones",
	[ONLINE_POLICY_AUTO_MOVABLE] = "auto-movable",
};

void mhp_params_init(struct mhp_params *p)
{
	p->default_online_type = MMOP_OFFLINE;
	p->movable_node = false;
	p->memmap_on_memory = MEMMAP_ON_MEMORY_DISABLE;
	p->online_policy = ONLINE_POLICY_CONTIG_ZONES;
	p->auto_movable_ratio = 301;
	p->auto_movable_numa_aware = true;
	p->max_mem_size = UINT64_MAX;
}

/*
 * Setters receive NULL for a bare "name" on the command line; only bool
 * parameters (KERNEL_PARAM_OPS_FL_NOARG in Linux) accept that, as "1".
 */
static int set_bool(bool *dst, const char *val)
{
	return kstrtobool(val ? val : "1", dst);
}

static int set_numa_aware(struct mhp_params *p, const char *val)
{
	return set_bool(&p->auto_movable_numa_aware, val);
}

static int set_ratio(struct mhp_params *p, const char *val)
{
	unsigned int v;
	int ret;

	if (!val)
		return -EINVAL;
	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	__atomic_store_n(&p->auto_movable_ratio, v, __ATOMIC_RELAXED);
	return 0;
}

/*
 * 6.1 declares memmap_on_memory a plain bool; "force" comes from >= 6.6
 * (set_memmap_mode) and is accepted as a documented extension.
 */
static int set_memmap(struct mhp_params *p, const char *val)
{
	bool on;
	int ret;

	if (val && (sysfs_streq(val, "force") || sysfs_streq(val, "FORCE"))) {
		p->memmap_on_memory = MEMMAP_ON_MEMORY_FORCE;
		return 0;
	}
	ret = set_bool(&on, val);
	if (ret)
		return ret;
	p->memmap_on_memory = on ? MEMMAP_ON_MEMORY_ENABLE : MEMMAP_ON_MEMORY_DISABLE;
	return 0;
}

static int set_policy(struct mhp_params *p, const char *val)
{
	int ret;

	if (!val)
		return -EINVAL;
	ret = sysfs_match_string(online_policy_to_str, 2, val);
	if (ret < 0)
		return ret;
	__atomic_store_n(&p->online_policy, ret, __ATOMIC_RELAXED);
	return 0;
}

static void get_numa_aware(const struct mhp_params *p, struct sbuf *out)
{
	sb_puts(out, p->auto_movable_numa_aware ? "Y\n" : "N\n");
}

static void get_ratio(const struct mhp_params *p, struct sbuf *out)
{
	sb_printf(out, "%u\n", __atomic_load_n(&p->auto_movable_ratio, __ATOMIC_RELAXED));
}

static void get_memmap(const struct mhp_params *p, struct sbuf *out)
{
	static const char *const str[] = {
		[MEMMAP_ON_MEMORY_DISABLE] = "N\n",
		[MEMMAP_ON_MEMORY_ENABLE] = "Y\n",
		[MEMMAP_ON_MEMORY_FORCE] = "force\n",
	};

	sb_puts(out, str[p->memmap_on_memory]);
}

static void get_policy(const struct mhp_params *p, struct sbuf *out)
{
	sb_printf(out, "%s\n", online_policy_to_str[__atomic_load_n(&p->online_policy,
								     __ATOMIC_RELAXED)]);
}

struct mhp_param_desc {
	const char *name;
	unsigned int mode;
	int (*set)(struct mhp_params *p, const char *val);
	void (*get)(const struct mhp_params *p, struct sbuf *out);
};

/* sorted by name: this is also the order of `ls` */
static const struct mhp_param_desc mhp_param_table[] = {
	{ "auto_movable_numa_aware", 0644, set_numa_aware, get_numa_aware },
	{ "auto_movable_ratio", 0644, set_ratio, get_ratio },
	{ "memmap_on_memory", 0444, set_memmap, get_memmap },
	{ "online_policy", 0644, set_policy, get_policy },
};

const char *const memory_hotplug_param_names[] = {
	"auto_movable_numa_aware",
	"auto_movable_ratio",
	"memmap_on_memory",
	"online_policy",
};
const int memory_hotplug_nr_params = 4;

static const struct mhp_param_desc *find_param(const char *name)
{
	for (size_t i = 0; i < sizeof(mhp_param_table) / sizeof(mhp_param_table[0]); i++)
		if (!strcmp(mhp_param_table[i].name, name))
			return &mhp_param_table[i];
	return NULL;
}

int mhp_param_show(struct kernel *k, const char *name, struct sbuf *out)
{
	const struct mhp_param_desc *d = find_param(name);

	if (!d)
		return -ENOENT;
	d->get(&k->params, out);
	return 0;
}

int mhp_param_store(struct kernel *k, const char *name, const char *buf)
{
	const struct mhp_param_desc *d = find_param(name);

	if (!d)
		return -ENOENT;
	/* kernfs refuses to open a file without write bits for writing, even for root */
	if (!(d->mode & 0222))
		return -EACCES;
	return d->set(&k->params, buf);
}

unsigned mhp_param_mode(const char *name)
{
	const struct mhp_param_desc *d = find_param(name);

	return d ? d->mode : 0;
}

/* ---- kernel command line (init/main.c, kernel/params.c, lib/cmdline.c) ---- */

static char dash2underscore(char c)
{
	return c == '-' ? '_' : c;
}

/* Parameter names compare with '-' and '_' as the same character. */
static bool parameqn(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (dash2underscore(a[i]) != dash2underscore(b[i]))
			return false;
	return true;
}

static bool parameq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && parameqn(a, b, n);
}

static char *skip_spaces(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * lib/cmdline.c next_arg(): split off one "param[=val]" honouring double
 * quotes; quotes around the value or the whole word are dropped.
 */
static char *next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (isspace((unsigned char)args[i]) && !in_quote)
			break;
		/* like Linux, an '=' in the first position does not count */
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}

	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';

	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	return skip_spaces(args);
}

typedef void (*param_handler_t)(struct kernel *k, char *param, char *val);

/* parse_args(): every word up to a lone "--" (the rest belongs to init). */
static void parse_args(struct kernel *k, const char *cmdline, param_handler_t handle)
{
	char *copy = mh_strdup(cmdline);
	char *args, *param, *val;

	if (!copy)
		return;
	args = skip_spaces(copy);
	while (*args) {
		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		handle(k, param, val);
	}
	free(copy);
}

static int parse_memopt(struct kernel *k, const char *p)
{
	unsigned long long size;
	char *end;

	if (!p)
		return -EINVAL;
	if (!strcmp(p, "nopentium")) {
		klog(k, "mem=nopentium ignored! (only supported on x86_32)");
		return -EINVAL;
	}
	size = memparse(p, &end);
	/* "mem={invalid}" must not remove all memory */
	if (size == 0)
		return -EINVAL;
	/* The boot code truncates e820 RAM at max_mem_size. */
	k->params.max_mem_size = size;
	return 0;
}

static void do_early_param(struct kernel *k, char *param, char *val)
{
	if (parameq(param, "mem")) {
		if (parse_memopt(k, val))
			klog(k, "Malformed early option '%s'", param);
	} else if (parameq(param, "memmap")) {
		if (e820_parse_memmap(k, val))
			klog(k, "Malformed early option '%s'", param);
	} else if (parameq(param, "movable_node")) {
		/* the value, if any, is ignored: presence enables it */
		k->params.movable_node = true;
	}
}

#define MHP_PARAM_PREFIX "memory_hotplug."

static void do_param(struct kernel *k, char *param, char *val)
{
	static const char setup_str[] = "memhp_default_state";
	size_t plen = strlen(MHP_PARAM_PREFIX);

	if (parameqn(param, MHP_PARAM_PREFIX, plen)) {
		const char *name = param + plen;

		for (size_t i = 0; i < sizeof(mhp_param_table) / sizeof(mhp_param_table[0]); i++) {
			const struct mhp_param_desc *d = &mhp_param_table[i];

			if (!parameq(name, d->name))
				continue;
			if (d->set(&k->params, val) < 0)
				klog(k, "Booting kernel: `%s' invalid for parameter `%s'",
				     val ? val : "", param);
			return;
		}
		/* unknown "module.param": Linux silently drops dotted words */
		return;
	}
	/* __setup("memhp_default_state=") needs the '=' */
	if (val && parameq(param, setup_str)) {
		int type = mhp_online_type_from_str(val);

		/* an invalid word is consumed silently and the default kept */
		if (type >= 0)
			k->params.default_online_type = type;
	}
}

void parse_kernel_cmdline(struct kernel *k, const char *cmdline)
{
	if (!cmdline)
		return;
	parse_args(k, cmdline, do_early_param);
	parse_args(k, cmdline, do_param);
}
