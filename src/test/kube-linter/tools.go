//go:build tools

// Package kubelinter pins kube-linter (its Go module, built from the module proxy) for the chart's lint test:
// `go build golang.stackrox.io/kube-linter/cmd/kube-linter` in this directory builds exactly v0.8.3.
package kubelinter

import _ "golang.stackrox.io/kube-linter/cmd/kube-linter"
