// SPDX-License-Identifier: MIT

// A QMP client that someone else wrote (DigitalOcean's go-qemu, Debian's
// golang-github-digitalocean-go-qemu-dev) driving memhp serve --qmp as it
// drives QEMU: hot-add a DIMM, resize a virtio-mem device, read the events,
// remove the DIMM.
//
//	go run main.go MEMHP   ("ok - go-qmp: ..." lines, then "N passed, N failed")
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/digitalocean/go-qemu/qmp"
)

var passed, failed int

func check(name string, ok bool, detail interface{}) {
	if ok {
		passed++
		fmt.Println("ok - go-qmp: " + name)
		return
	}
	failed++
	fmt.Printf("not ok - go-qmp: %s\n    %v\n", name, detail)
}

func run(mon *qmp.SocketMonitor, cmd string, args interface{}) (json.RawMessage, error) {
	req := map[string]interface{}{"execute": cmd}
	if args != nil {
		req["arguments"] = args
	}
	b, _ := json.Marshal(req)
	out, err := mon.Run(b)
	if err != nil {
		return nil, err
	}
	var r struct {
		Return json.RawMessage `json:"return"`
	}
	err = json.Unmarshal(out, &r)
	return r.Return, err
}

// the next event called name within d, skipping others
func waitEvent(events <-chan qmp.Event, name string, d time.Duration, pred func(qmp.Event) bool) *qmp.Event {
	deadline := time.After(d)
	for {
		select {
		case ev := <-events:
			if ev.Event == name && (pred == nil || pred(ev)) {
				return &ev
			}
		case <-deadline:
			return nil
		}
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: qmpclient MEMHP")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "memhp-go.")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "qmp.sock")
	srv := exec.Command(os.Args[1], "serve", "--qmp", sock, "-m", "1G,slots=4,maxmem=8G", "-smp", "2")
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		panic(err)
	}
	defer func() {
		srv.Process.Kill()
		srv.Wait()
	}()
	for i := 0; i < 400; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}

	mon, err := qmp.NewSocketMonitor("unix", sock, 5*time.Second)
	check("connect", err == nil, err)
	if err != nil {
		os.Exit(1)
	}
	err = mon.Connect()
	check("greeting and qmp_capabilities", err == nil, err)
	if err != nil {
		os.Exit(1)
	}
	// the library delivers events on an unbuffered channel and stops reading replies
	// while one waits: keep draining it into a buffer of our own
	raw, _ := mon.Events(context.Background())
	events := make(chan qmp.Event, 4096)
	go func() {
		for ev := range raw {
			events <- ev
		}
	}()

	_, err = run(mon, "object-add", map[string]interface{}{"qom-type": "memory-backend-ram", "id": "m1", "size": 512 << 20})
	check("object-add memory-backend-ram", err == nil, err)
	_, err = run(mon, "device_add", map[string]interface{}{"driver": "pc-dimm", "id": "d1", "memdev": "m1"})
	check("device_add pc-dimm", err == nil, err)
	ev := waitEvent(events, "ACPI_DEVICE_OST", 5*time.Second, nil)
	check("ACPI_DEVICE_OST after the plug", ev != nil && fmt.Sprint(ev.Data["info"]) ==
		"map[device:d1 slot:0 slot-type:DIMM source:1 status:0]", ev)
	r, err := run(mon, "query-memory-size-summary", nil)
	check("query-memory-size-summary", err == nil && string(r) ==
		`{"base-memory": 1073741824, "plugged-memory": 536870912}`, string(r))

	_, err = run(mon, "object-add", map[string]interface{}{"qom-type": "memory-backend-ram", "id": "vm", "size": 1 << 30})
	check("object-add for virtio-mem", err == nil, err)
	_, err = run(mon, "device_add", map[string]interface{}{"driver": "virtio-mem-pci", "id": "vm0", "memdev": "vm"})
	check("device_add virtio-mem-pci", err == nil, err)
	_, err = run(mon, "qom-set", map[string]interface{}{"path": "vm0", "property": "requested-size", "value": 256 << 20})
	check("qom-set requested-size", err == nil, err)
	ev = waitEvent(events, "MEMORY_DEVICE_SIZE_CHANGE", 5*time.Second, func(e qmp.Event) bool {
		return e.Data["size"] == float64(256<<20)
	})
	check("MEMORY_DEVICE_SIZE_CHANGE reaches the requested size", ev != nil &&
		ev.Data["qom-path"] == "/machine/peripheral/vm0" && ev.Data["id"] == "vm0", ev)
	r, err = run(mon, "qom-get", map[string]interface{}{"path": "vm0", "property": "size"})
	check("qom-get size", err == nil && string(r) == "268435456", string(r))

	_, err = run(mon, "device_del", map[string]interface{}{"id": "d1"})
	check("device_del", err == nil, err)
	ev = waitEvent(events, "DEVICE_DELETED", 5*time.Second, nil)
	check("DEVICE_DELETED", ev != nil && ev.Data["device"] == "d1", ev)
	r, err = run(mon, "query-memory-devices", nil)
	check("query-memory-devices: the DIMM is gone, virtio-mem stays", err == nil &&
		!strings.Contains(string(r), `"d1"`) && strings.Contains(string(r), `"virtio-mem"`), string(r))
	_, err = run(mon, "device_del", map[string]interface{}{"id": "nosuch"})
	check("an error comes back as an error", err != nil && err.Error() == "Device 'nosuch' not found", err)
	run(mon, "quit", nil)
	mon.Disconnect()
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err = <-done:
		check("quit ends memhp serve", err == nil, err)
	case <-time.After(20 * time.Second):
		check("quit ends memhp serve", false, "still running")
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
