#!/bin/sh
# SPDX-License-Identifier: MIT
# daxctl-ns.sh MOUNT COMMAND
#
# Runs COMMAND (Debian's own daxctl) against a `memhp serve` machine. In a
# private mount namespace:
# - the served sysfs is bound over /sys (libdaxctl reads /sys/bus/dax,
#   /sys/dev/char, /sys/devices/system/{memory,node} and /sys/module);
# - a tmpfs /dev holds the dax char devices, made from each device's `dev`
#   as devtmpfs would (libdaxctl stat()s /dev/daxR.N for its numbers);
# - libkmod's view is the guest's: /lib/modules is emptied, and a
#   modprobe.d `install` line for kmem and device_dax hands daxctl's module
#   load to the guest (MOUNT/.memhp/modprobe, memhp serve's modprobe control
#   file); a module the guest already has reads "live" in
#   /sys/module/NAME/initstate and kmod stops there.
set -e
exec unshare -m --propagation private sh -c '
	mount --bind "$1/sys" /sys || exit 99
	mount -t tmpfs tmpfs /dev || exit 99
	for d in /sys/bus/dax/devices/*; do
		[ -e "$d/dev" ] || continue
		mm=$(cat "$d/dev")
		mknod "/dev/${d##*/}" c "${mm%:*}" "${mm#*:}"
	done
	if [ -d /lib/modules ]; then mount -t tmpfs tmpfs /lib/modules || exit 99; fi
	mount -t tmpfs tmpfs /etc/modprobe.d || exit 99
	for m in kmem device_dax; do
		echo "install $m echo $m >$1/.memhp/modprobe" >>/etc/modprobe.d/memhp-guest.conf
	done
	exec sh -c "$2"
' sh "$1" "$2"
