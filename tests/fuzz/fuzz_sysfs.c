// SPDX-License-Identifier: MIT
/*
 * Writes to every writable file of the guest's sysfs, procfs, debugfs and
 * tracefs (memhp_write). The input is a list of writes, one a line: the
 * file's path, a tab, what is written (with the line's newline, as echo
 * writes it). A path that is not a writable file picks one by its hash, so
 * that any bytes reach a file. The writes run against
 * a fresh guest with a DIMM, the notifier error injection module and
 * tracefs; a refused write leaves the state as it was, and the invariants
 * hold after each write.
 */
#include "fuzz.h"
#include "fs/vfs.h"

static struct strlist files;

static struct memhp *guest(void)
{
	static const char *const setup[] = {
		"object_add memory-backend-ram,id=m1,size=512M", "device_add pc-dimm,id=d1,memdev=m1",
		"object_add memory-backend-ram,id=m2,size=256M",
		"device_add pc-dimm,id=d2,memdev=m2,node=1",
	};
	struct memhp *m = memhp_new(FUZZ_GUEST, NULL);
	char *out = NULL;

	if (!m)
		abort();
	memhp_set_offline_timeout(m, FUZZ_OFFLINE_TIMEOUT_MS);
	for (size_t i = 0; i < sizeof(setup) / sizeof(*setup); i++) {
		memhp_monitor(m, setup[i], &out);
		free(out);
	}
	memhp_shell(m, "modprobe memory-notifier-error-inject; mount -t tracefs nodev /sys/kernel/tracing",
		    &out);
	free(out);
	return m;
}

/* every file under dir that root may open for writing, symlinks not followed */
static void collect(struct kernel *k, const char *dir, int depth)
{
	struct strlist names = { 0 };

	if (depth > 10 || vfs_list(k, dir, &names))
		return;
	for (size_t i = 0; i < names.n; i++) {
		char path[512];
		struct vfs_stat st;

		snprintf(path, sizeof(path), "%s/%s", !strcmp(dir, "/") ? "" : dir, names.v[i]);
		if (vfs_stat(k, path, &st))
			continue;
		if (st.type == VFS_DIR)
			collect(k, path, depth + 1);
		else if (st.type == VFS_FILE && (st.mode & 0222))
			sl_add(&files, path);
	}
	sl_free(&names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf before = SBUF_INIT, after = SBUF_INIT;
	struct memhp *m = guest();

	if (!files.n) {
		collect(guest_kernel(m), "/sys", 0);
		collect(guest_kernel(m), "/proc", 0);
		if (!files.n)
			abort();
		sl_sort(&files);	/* the same byte picks the same file in every run */
	}
	for (int writes = 0; size && writes < 16; writes++) {
		const uint8_t *tab = memchr(data, '\t', size), *nl;
		char path[512];
		const char *file = NULL;
		unsigned hash = 5381;
		size_t plen, len;
		int rc;

		plen = tab ? (size_t)(tab - data) : 0;
		nl = memchr(data + plen, '\n', size - plen);
		len = nl ? (size_t)(nl - data) + 1 : size;
		snprintf(path, sizeof(path), "%.*s", (int)plen, (const char *)data);
		for (size_t i = 0; i < files.n && !file; i++)
			if (!strcmp(files.v[i], path))
				file = files.v[i];
		for (size_t i = 0; !file && i < plen; i++)
			hash = hash * 33 + data[i];
		if (!file)
			file = files.v[hash % files.n];
		fuzz_dump(m, &before);
		rc = memhp_write(m, file, (const char *)data + plen + (tab ? 1 : 0), len - plen - (tab ? 1 : 0));
		if (rc < 0) {
			fuzz_dump(m, &after);
			if (strcmp(sb_str(&before), sb_str(&after))) {
				fprintf(stderr, "--- before\n%s--- after\n%s", sb_str(&before), sb_str(&after));
				fuzz_fail("a refused write changed the state", file);
			}
		}
		if (fuzz_verify(m, file))
			fuzz_fail("mm_verify", file);
		data += len;
		size -= len;
	}
	sb_free(&before);
	sb_free(&after);
	memhp_free(m);
	return 0;
}
