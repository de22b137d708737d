#!/bin/sh
# SPDX-License-Identifier: MIT
# udevadm-ns.sh MOUNT RULES_DIR ACTION DEVPATH
#
# Runs systemd's own rule engine (`udevadm test`) for one kernel event of a
# `memhp serve` machine: in a private mount namespace the served sysfs is
# bound over /sys, RULES_DIR over /usr/lib/udev/rules.d (and an empty
# /etc/udev/rules.d, a scratch /run) so that only the rules under test
# run and the host's udev database is untouched.
# SYSTEMD_DEVICE_VERIFY_SYSFS=0: sd-device refuses a syspath whose file
# system is not sysfs (fstatfs SYSFS_MAGIC); a FUSE mount is not, and
# systemd reads this variable to skip exactly that check.
set -e
mnt=$1 rules=$2 action=$3 devpath=$4
exec unshare -m --propagation private sh -c '
	mount --bind "$1/sys" /sys &&
	mount -t tmpfs tmpfs /etc/udev/rules.d &&
	mount --bind "$2" /usr/lib/udev/rules.d &&
	{ [ -d /lib/udev/rules.d ] && [ ! /lib/udev/rules.d -ef /usr/lib/udev/rules.d ] &&
	  mount --bind "$2" /lib/udev/rules.d || true; } &&
	mount -t tmpfs tmpfs /run || exit 99
	SYSTEMD_DEVICE_VERIFY_SYSFS=0 exec udevadm test --action="$3" "$4"
' sh "$mnt" "$rules" "$action" "$devpath"
