/* SPDX-License-Identifier: MIT */
/*
 * What a device's power/ directory (drivers/base/power/sysfs.c) remembers
 * between reads. None of the devices memhp shows uses runtime PM (it stays
 * disabled, so the runtime timers never run), but root may still forbid it
 * or ask for asynchronous suspend, and sysfs shows that back. All zero is a
 * freshly registered device.
 */
#ifndef MEMHP_BASE_POWER_H
#define MEMHP_BASE_POWER_H

#include <stdbool.h>

struct dev_pm_info {
	bool runtime_forbidden;		/* pm_runtime_forbid(): "on" in control (runtime_auto cleared) */
	bool async_suspend;		/* device_enable_async_suspend() */
	/* cpu devices' resume-latency request; unset = PM_QOS_RESUME_LATENCY_NO_CONSTRAINT */
	bool resume_latency_set;
	int resume_latency_us;
};

#endif
