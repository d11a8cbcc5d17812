package main

import (
	"encoding/base64"
	"fmt"
	"os"
)

// writeKubeconfig writes a self-contained kubeconfig (certificates embedded) for one client identity.
func writeKubeconfig(path, server string, ca []byte, client keyPair, user string) error {
	b64 := base64.StdEncoding.EncodeToString
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: localkube
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: localkube
  context:
    cluster: localkube
    user: %s
    namespace: default
current-context: localkube
`, server, b64(ca), user, b64(client.certPEM), b64(client.keyPEM), user)
	return os.WriteFile(path, []byte(text), 0o600)
}
