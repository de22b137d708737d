#!/bin/sh
# SPDX-License-Identifier: MIT
# daxctl-ns.sh MOUNT COMMAND
#
# Runs COMMAND (Debian's own daxctl or ndctl) against a `memhp serve` machine. In a
# private mount namespace:
# - the served sysfs is bound over /sys (libdaxctl reads /sys/bus/dax,
#   /sys/dev/char, /sys/devices/system/{memory,node} and /sys/module);
# - a tmpfs /dev holds the dax char devices, made from each device's `dev`
#   as devtmpfs would (libdaxctl stat()s /dev/daxR.N for its numbers); the
#   pmem block devices are files there, not device nodes (major 259 would
#   name a disk of the host's own): memhp serve's MOUNT/.memhp/dev/pmemR,
#   the namespace's media, bound over /dev/pmemR, so libndctl's O_EXCL open
#   before reconfiguring and ndctl's zero_info_block() (O_DIRECT read and
#   write of the first 8 KiB) reach the guest's bytes; a btt's pmemRs stays
#   a sparse file of its size (memhp does not translate sectors);
# - libkmod's view is the guest's: /lib/modules is emptied, and a
#   modprobe.d `install` line for kmem, device_dax, dax_pmem and nd_pmem
#   hands daxctl's and ndctl's module loads to the guest (with `alias` lines
#   for the nd modaliases ndctl_bind() looks up; MOUNT/.memhp/modprobe is
#   memhp serve's modprobe control file); a module the guest already has
#   reads "live" in /sys/module/NAME/initstate and kmod stops there.
set -e
exec unshare -m --propagation private sh -c '
	mount --bind "$1/sys" /sys || exit 99
	mount -t tmpfs tmpfs /dev || exit 99
	for d in /sys/bus/dax/devices/*; do
		[ -e "$d/dev" ] || continue
		mm=$(cat "$d/dev")
		mknod "/dev/${d##*/}" c "${mm%:*}" "${mm#*:}"
	done
	# ndctl create-namespace makes daxR.N (and enables the raw pmemR)
	# during its own run and uses it right after: devtmpfs would have made
	# the node by then. Its minor is the lowest dax_cdev has free, and its
	# name daxR.N after the namespace it claims: one per namespace, each
	# with that minor, since one ndctl line makes at most one dax device
	free=0
	while [ -e "/sys/dev/char/252:$free" ]; do free=$((free + 1)); done
	for ns in /sys/bus/nd/devices/namespace*; do
		[ -e "$ns" ] || continue
		ns=${ns##*namespace}
		[ -e "/dev/dax$ns" ] || mknod "/dev/dax$ns" c 252 "$free"
	done
	for r in /sys/bus/nd/devices/region*; do
		[ -e "$r" ] || continue
		r=${r##*region}
		truncate -s "$(cat "/sys/bus/nd/devices/region$r/size")" "/dev/pmem$r"
	done
	for b in /sys/bus/nd/devices/*/block/*; do
		[ -e "$b/size" ] || continue
		truncate -s $(($(cat "$b/size") * 512)) "/dev/${b##*/}"
	done
	# the disks memhp serves (the namespaces media) replace those files
	for d in "$1"/.memhp/dev/*; do
		[ -e "$d" ] || continue
		[ -e "/dev/${d##*/}" ] || : >"/dev/${d##*/}"
		mount --bind "$d" "/dev/${d##*/}" || exit 99
	done
	if [ -d /lib/modules ]; then mount -t tmpfs tmpfs /lib/modules || exit 99; fi
	mount -t tmpfs tmpfs /etc/modprobe.d || exit 99
	for m in kmem device_dax dax_pmem nd_pmem; do
		echo "install $m echo $m >$1/.memhp/modprobe" >>/etc/modprobe.d/memhp-guest.conf
	done
	# ndctl_bind() first has libkmod load the module of the device'"'"'s
	# modalias; with no modules.alias here the aliases say it
	echo "alias nd:t7* dax_pmem" >>/etc/modprobe.d/memhp-guest.conf
	echo "alias nd:t4* nd_pmem" >>/etc/modprobe.d/memhp-guest.conf
	echo "alias nd:t5* nd_pmem" >>/etc/modprobe.d/memhp-guest.conf
	exec sh -c "$2"
' sh "$1" "$2"
