package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// keyPair is a certificate with its private key, PEM-encoded as the components read them.
type keyPair struct {
	cert    *x509.Certificate
	key     *rsa.PrivateKey
	certPEM []byte
	keyPEM  []byte
}

// pki holds what the control plane authenticates with: one CA signing every serving and client certificate,
// and the key that signs service-account tokens.
type pki struct {
	ca        keyPair
	apiserver keyPair
	admin     keyPair
	kcm       keyPair
	scheduler keyPair
}

func (p *pki) caFile(dir string) string { return filepath.Join(dir, "pki", "ca.crt") }

func newKey() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) }

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

func encode(cert []byte, key *rsa.PrivateKey) ([]byte, []byte) {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}),
		// PKCS#1, which every client here (kubectl, helm, fabric8) reads
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

func newCA() (keyPair, error) {
	key, err := newKey()
	if err != nil {
		return keyPair{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "localkube-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return keyPair{}, err
	}
	cert, _ := x509.ParseCertificate(der)
	c, k := encode(der, key)
	return keyPair{cert: cert, key: key, certPEM: c, keyPEM: k}, nil
}

func (ca keyPair) sign(cn string, orgs []string, usage x509.ExtKeyUsage, dns []string, ips []net.IP) (keyPair, error) {
	key, err := newKey()
	if err != nil {
		return keyPair{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: cn, Organization: orgs},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		DNSNames:     dns,
		IPAddresses:  ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return keyPair{}, err
	}
	cert, _ := x509.ParseCertificate(der)
	c, k := encode(der, key)
	return keyPair{cert: cert, key: key, certPEM: c, keyPEM: k}, nil
}

// writePKI creates the CA, the API server's serving certificate, client certificates for the admin (group
// system:masters), the controller manager and the scheduler (the identities RBAC's bootstrap roles name),
// and the service-account signing key.
func writePKI(dir string) (*pki, error) {
	ca, err := newCA()
	if err != nil {
		return nil, err
	}
	p := &pki{ca: ca}
	p.apiserver, err = ca.sign("kube-apiserver", nil, x509.ExtKeyUsageServerAuth,
		[]string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
		[]net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.0.0.1")})
	if err != nil {
		return nil, err
	}
	if p.admin, err = ca.sign("localkube-admin", []string{"system:masters"}, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}
	if p.kcm, err = ca.sign("system:kube-controller-manager", nil, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}
	if p.scheduler, err = ca.sign("system:kube-scheduler", nil, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}
	saKey, err := newKey()
	if err != nil {
		return nil, err
	}
	saPub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"ca.crt":        ca.certPEM,
		"ca.key":        ca.keyPEM,
		"apiserver.crt": p.apiserver.certPEM,
		"apiserver.key": p.apiserver.keyPEM,
		"admin.crt":     p.admin.certPEM,
		"admin.key":     p.admin.keyPEM,
		"sa.key":        pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(saKey)}),
		"sa.pub":        pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: saPub}),
	}
	if err := os.MkdirAll(filepath.Join(dir, "pki"), 0o700); err != nil {
		return nil, err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, "pki", name), data, 0o600); err != nil {
			return nil, fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return p, nil
}
