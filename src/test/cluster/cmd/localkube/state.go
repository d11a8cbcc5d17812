package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A started process is remembered as <dir>/pids/<order>-<name>.pid; the harness kubelet of the Java tests adds
// the processes of its pods under <dir>/pods/*.pid, so `down` can stop those too.

func pidFile(dir string, order int, name string) string {
	return filepath.Join(dir, "pids", fmt.Sprintf("%d-%s.pid", order, name))
}

func writePid(dir string, order int, name string, pid int) error {
	if err := os.MkdirAll(filepath.Join(dir, "pids"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(pidFile(dir, order, name), []byte(strconv.Itoa(pid)+"\n"), 0o644)
}

type recorded struct {
	file string
	name string
	pid  int
}

// recordedProcesses lists pid files, pods first, then the control plane in reverse start order.
func recordedProcesses(dir string) []recorded {
	var out []recorded
	read := func(pattern string) []recorded {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		var list []recorded
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				continue
			}
			list = append(list, recorded{file: f, name: strings.TrimSuffix(filepath.Base(f), ".pid"), pid: pid})
		}
		return list
	}
	out = append(out, read("pods/*.pid")...)
	plane := read("pids/*.pid")
	sort.Slice(plane, func(i, j int) bool { return order(plane[i].name) > order(plane[j].name) })
	return append(out, plane...)
}

func order(name string) int {
	n, _ := strconv.Atoi(strings.SplitN(name, "-", 2)[0])
	return n
}

// ours tells whether pid is still a process we started: its command line names our state directory, so a pid
// the kernel has since given to another process is never signalled.
func ours(pid int, dir string) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	return bytes.Contains(cmdline, []byte(dir))
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// stopProcess sends SIGTERM, waits up to grace, then SIGKILLs; it reaps the process when it is our child.
func stopProcess(pid int, grace time.Duration) {
	_ = syscall.Kill(pid, syscall.SIGTERM)
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		if !alive(pid) || zombie(pid) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	for i := 0; i < 100 && alive(pid) && !zombie(pid); i++ {
		time.Sleep(50 * time.Millisecond)
	}
}

func zombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// the state follows the parenthesised command name
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] == 'Z'
	}
	return false
}

// down stops every recorded process of dir and forgets it; it reports what it stopped.
func down(dir string, log func(string, ...any)) {
	for _, p := range recordedProcesses(dir) {
		if p.pid != os.Getpid() && alive(p.pid) && ours(p.pid, dir) {
			log("stopping %s (pid %d)", p.name, p.pid)
			stopProcess(p.pid, 10*time.Second)
		}
		_ = os.Remove(p.file)
	}
}

// running tells whether the control plane of dir is up: every component's recorded process is alive.
func running(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "pids", "*.pid"))
	if len(files) < len(components) {
		return false
	}
	for _, p := range recordedProcesses(dir) {
		if strings.HasPrefix(filepath.Base(filepath.Dir(p.file)), "pids") && !(alive(p.pid) && ours(p.pid, dir)) {
			return false
		}
	}
	return true
}
