package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// components in start order; `down` stops them in reverse.
var components = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}

// Audit: every request of a service account outside kube-system (the operator's, in the tests) at Metadata
// level, so a test can list the (verb, resource) pairs the operator really used and any it was refused.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    userGroups: ["system:serviceaccounts:kube-system"]
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
  - level: None
`

type plane struct {
	dir, bin string
	pki      *pki
	ports    map[string]int
	client   *http.Client
}

func newPlane(dir, bin string) (*plane, error) {
	for _, sub := range []string{"logs", "pids"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	// etcd's data, pods and the audit log of an earlier run would mislead this one
	_ = os.RemoveAll(filepath.Join(dir, "etcd"))
	_ = os.Remove(filepath.Join(dir, "logs", "audit.log"))
	if old, err := filepath.Glob(filepath.Join(dir, "pods", "*")); err == nil {
		for _, f := range old {
			_ = os.RemoveAll(f)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "pods"), 0o755); err != nil {
		return nil, err
	}
	p, err := writePKI(dir)
	if err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	ports := map[string]int{}
	for _, name := range []string{"etcd-client", "etcd-peer", "apiserver", "kcm", "scheduler"} {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		ports[name] = port
	}
	pl := &plane{dir: dir, bin: bin, pki: p, ports: ports}
	pool := x509.NewCertPool()
	pool.AddCert(p.ca.cert)
	admin, err := tls.X509KeyPair(p.admin.certPEM, p.admin.keyPEM)
	if err != nil {
		return nil, err
	}
	pl.client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: pool, Certificates: []tls.Certificate{admin},
	}}}
	server := pl.server()
	for _, kc := range []struct {
		file string
		key  keyPair
		user string
	}{
		{"admin.kubeconfig", p.admin, "localkube-admin"},
		{"controller-manager.kubeconfig", p.kcm, "system:kube-controller-manager"},
		{"scheduler.kubeconfig", p.scheduler, "system:kube-scheduler"},
	} {
		if err := writeKubeconfig(filepath.Join(dir, kc.file), server, p.ca.certPEM, kc.key, kc.user); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "audit-policy.yaml"), []byte(auditPolicy), 0o644); err != nil {
		return nil, err
	}
	if err := writeEnvFile(dir, bin, server); err != nil {
		return nil, err
	}
	return pl, nil
}

func (p *plane) server() string { return fmt.Sprintf("https://127.0.0.1:%d", p.ports["apiserver"]) }

func (p *plane) path(parts ...string) string {
	return filepath.Join(append([]string{p.dir}, parts...)...)
}

func (p *plane) args(name string) []string {
	pki := func(f string) string { return p.path("pki", f) }
	etcd := fmt.Sprintf("http://127.0.0.1:%d", p.ports["etcd-client"])
	peer := fmt.Sprintf("http://127.0.0.1:%d", p.ports["etcd-peer"])
	switch name {
	case "etcd":
		return []string{
			"--name=localkube", "--data-dir=" + p.path("etcd"),
			"--listen-client-urls=" + etcd, "--advertise-client-urls=" + etcd,
			"--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
			"--initial-cluster=localkube=" + peer,
			// a test cluster is thrown away after the run: durability buys nothing, fsync costs seconds
			"--unsafe-no-fsync=true", "--log-level=warn",
		}
	case "kube-apiserver":
		return []string{
			"--etcd-servers=" + etcd,
			"--bind-address=127.0.0.1", "--secure-port=" + strconv.Itoa(p.ports["apiserver"]),
			"--tls-cert-file=" + pki("apiserver.crt"), "--tls-private-key-file=" + pki("apiserver.key"),
			"--client-ca-file=" + pki("ca.crt"),
			"--authorization-mode=RBAC",
			"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
			"--service-account-key-file=" + pki("sa.pub"),
			"--service-account-signing-key-file=" + pki("sa.key"),
			"--service-cluster-ip-range=10.0.0.0/24",
			"--allow-privileged=true",
			// as OpenShift and hardened clusters run it: blockOwnerDeletion needs update on the owner's finalizers
			"--enable-admission-plugins=OwnerReferencesPermissionEnforcement",
			"--audit-policy-file=" + p.path("audit-policy.yaml"),
			"--audit-log-path=" + p.path("logs", "audit.log"),
			"--audit-log-maxsize=0",
			"--cert-dir=" + p.path("apiserver-certs"),
			"--profiling=false",
		}
	case "kube-controller-manager":
		kc := p.path("controller-manager.kubeconfig")
		return []string{
			"--kubeconfig=" + kc, "--authentication-kubeconfig=" + kc, "--authorization-kubeconfig=" + kc,
			"--bind-address=127.0.0.1", "--secure-port=" + strconv.Itoa(p.ports["kcm"]),
			"--cert-dir=" + p.path("kcm-certs"),
			"--leader-elect=false",
			// each controller with its own service account, as kubeadm runs it: RBAC's bootstrap roles fit that
			"--use-service-account-credentials=true",
			"--service-account-private-key-file=" + pki("sa.key"),
			"--root-ca-file=" + pki("ca.crt"),
			"--cluster-signing-cert-file=" + pki("ca.crt"), "--cluster-signing-key-file=" + pki("ca.key"),
			"--controllers=*",
			"--profiling=false",
		}
	case "kube-scheduler":
		kc := p.path("scheduler.kubeconfig")
		return []string{
			"--kubeconfig=" + kc, "--authentication-kubeconfig=" + kc, "--authorization-kubeconfig=" + kc,
			"--bind-address=127.0.0.1", "--secure-port=" + strconv.Itoa(p.ports["scheduler"]),
			"--cert-dir=" + p.path("scheduler-certs"),
			"--leader-elect=false",
			"--profiling=false",
		}
	}
	panic(name)
}

// start launches each component detached (own session, output to its log, no inherited pipes, so a caller
// waiting for our output is not held by them) and waits for each to be ready before the next.
func (p *plane) start() error {
	for i, name := range components {
		if err := p.launch(i+1, name); err != nil {
			return err
		}
		if err := p.awaitReady(name, 90*time.Second); err != nil {
			return fmt.Errorf("%s not ready: %v\n--- last lines of %s ---\n%s", name, err,
				p.path("logs", name+".log"), tail(p.path("logs", name+".log"), 30))
		}
	}
	// the controllers run with credentials of their own once these exist: proof the controller manager works
	return p.awaitReadyURL("service account default/default", 60*time.Second,
		p.server()+"/api/v1/namespaces/default/serviceaccounts/default", p.client)
}

func (p *plane) launch(order int, name string) error {
	logFile, err := os.OpenFile(p.path("logs", name+".log"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(p.bin, name), p.args(name)...)
	cmd.Dir = p.dir
	cmd.Stdin = nil
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	if err := writePid(p.dir, order, name, cmd.Process.Pid); err != nil {
		return err
	}
	return cmd.Process.Release()
}

func (p *plane) awaitReady(name string, timeout time.Duration) error {
	insecure := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		// the components' serving certificates are self-signed; only liveness is asked here
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
	switch name {
	case "etcd":
		return p.awaitReadyURL(name, timeout, fmt.Sprintf("http://127.0.0.1:%d/health", p.ports["etcd-client"]), http.DefaultClient)
	case "kube-apiserver":
		return p.awaitReadyURL(name, timeout, p.server()+"/readyz", p.client)
	case "kube-controller-manager":
		return p.awaitReadyURL(name, timeout, fmt.Sprintf("https://127.0.0.1:%d/healthz", p.ports["kcm"]), insecure)
	case "kube-scheduler":
		return p.awaitReadyURL(name, timeout, fmt.Sprintf("https://127.0.0.1:%d/healthz", p.ports["scheduler"]), insecure)
	}
	return nil
}

func (p *plane) awaitReadyURL(what string, timeout time.Duration, url string, client *http.Client) error {
	deadline := time.Now().Add(timeout)
	last := "no answer"
	for time.Now().Before(deadline) {
		if dead := p.deadComponent(); dead != "" {
			return fmt.Errorf("%s exited", dead)
		}
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s: not ready after %s (%s)", what, timeout, last)
}

// deadComponent names a started component whose process has exited.
func (p *plane) deadComponent() string {
	for _, r := range recordedProcesses(p.dir) {
		if filepath.Base(filepath.Dir(r.file)) == "pids" && (!alive(r.pid) || zombie(r.pid)) {
			return r.name
		}
	}
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// startWatchdog leaves a detached process that runs `down` once parent is gone (a build killed mid-way, or one
// that never reached its stop step), so no control plane outlives the build that started it.
func startWatchdog(dir, bin string, parent int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "logs", "watchdog.log"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(self, "watchdog", "--dir", dir, "--pid", strconv.Itoa(parent))
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := writePid(dir, 0, "watchdog", cmd.Process.Pid); err != nil {
		return err
	}
	return cmd.Process.Release()
}

func watchdog(dir string, parent int) {
	for {
		time.Sleep(time.Second)
		if _, err := os.Stat(pidFile(dir, 0, "watchdog")); err != nil {
			return // `down` ran
		}
		if !alive(parent) || zombie(parent) {
			fmt.Printf("%s: process %d is gone; stopping the control plane\n", time.Now().Format(time.RFC3339), parent)
			down(dir, func(f string, a ...any) { fmt.Printf(f+"\n", a...) })
			return
		}
	}
}
