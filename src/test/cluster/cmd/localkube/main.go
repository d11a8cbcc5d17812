// Command localkube runs a real Kubernetes control plane on loopback for tests: embedded etcd, kube-apiserver
// (RBAC, service-account tokens, audit log), kube-controller-manager and kube-scheduler, built from the official
// modules of this Go module. There is no kubelet: tests play one.
//
//	localkube up   --dir D --bin B [--watch-parent]   start, wait until ready, print shell lines for the admin
//	localkube env  --dir D --bin B                    print the shell lines again
//	localkube down --dir D                            stop every process recorded under D
//
// The script src/test/cluster/localkube builds the binaries (cached by the hash of go.sum) and runs this.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	dir := fs.String("dir", "", "state directory: certificates, kubeconfigs, logs, pid files, etcd data")
	bin := fs.String("bin", "", "directory of the built binaries")
	watchParent := fs.Bool("watch-parent", false, "stop everything when the process that ran `up` exits")
	parent := fs.Int("pid", 0, "(watchdog) the process to outlive")
	_ = fs.Parse(args)
	if *dir == "" {
		fail("--dir is required")
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail("%v", err)
	}
	switch cmd {
	case "up":
		if *bin == "" {
			fail("--bin is required")
		}
		up(abs, *bin, *watchParent)
	case "env":
		printEnv(abs, *bin)
	case "down":
		down(abs, say)
		say("localkube in %s is down", abs)
	case "status":
		if running(abs) {
			fmt.Println("up")
			return
		}
		fmt.Println("down")
		os.Exit(1)
	case "watchdog":
		watchdog(abs, *parent)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: localkube up|env|down|status --dir DIR [--bin BIN] [--watch-parent]")
	os.Exit(2)
}

// say writes progress to stderr, so stdout carries only the shell lines of `up` and `env`.
func say(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "localkube: "+format+"\n", a...)
}

func fail(format string, a ...any) {
	say(format, a...)
	os.Exit(1)
}

func up(dir, bin string, watchParent bool) {
	if running(dir) {
		say("already up in %s", dir)
		printEnv(dir, bin)
		return
	}
	down(dir, say) // leftovers of a run that died half-way
	start := time.Now()
	plane, err := newPlane(dir, bin)
	if err != nil {
		fail("%v", err)
	}
	if err := plane.start(); err != nil {
		say("%v", err)
		down(dir, say)
		os.Exit(1)
	}
	if watchParent {
		if err := startWatchdog(dir, bin, os.Getppid()); err != nil {
			say("%v", err)
			down(dir, say)
			os.Exit(1)
		}
	}
	say("up in %.1fs: API server %s, logs in %s", time.Since(start).Seconds(), plane.server(), filepath.Join(dir, "logs"))
	printEnv(dir, bin)
}

// printEnv prints what a shell needs to use the control plane: `eval "$(localkube env ...)"`.
func printEnv(dir, bin string) {
	data, err := os.ReadFile(filepath.Join(dir, "env"))
	if err != nil {
		fail("not up in %s (no env file)", dir)
	}
	os.Stdout.Write(data)
}

func writeEnvFile(dir, bin, server string) error {
	absBin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	lines := []string{
		"export KUBECONFIG=" + strconv.Quote(filepath.Join(dir, "admin.kubeconfig")),
		"export PATH=" + strconv.Quote(absBin) + ":\"$PATH\"",
		"export LOCALKUBE_DIR=" + strconv.Quote(dir),
		"export LOCALKUBE_BIN=" + strconv.Quote(absBin),
		"export LOCALKUBE_SERVER=" + strconv.Quote(server),
	}
	return os.WriteFile(filepath.Join(dir, "env"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}
