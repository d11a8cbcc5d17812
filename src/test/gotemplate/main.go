// Command gotemplate renders ark's template conformance corpus with Go's own text/template, so the Java engine can
// be judged against the real thing: go run . cases.txt vectors.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"text/template"
)

// vectors is the file the Java conformance test reads: the named data sets and every case with Go's verdict.
type vectors struct {
	Go       string            `json:"go"`
	Datasets map[string]string `json:"datasets"`
	Cases    []vector          `json:"cases"`
}

// vector is one case with Go's verdict: the output, or the class of error ("parse" or "exec") and Go's message.
type vector struct {
	Name     string `json:"name"`
	Template string `json:"template"`
	Data     string `json:"data"` // "@name" of a data set, or the JSON itself
	Output   string `json:"output,omitempty"`
	Error    string `json:"error,omitempty"`
	Message  string `json:"message,omitempty"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gotemplate <cases.txt> <vectors.json>")
		os.Exit(2)
	}
	source, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	datasets, cases, err := readCases(string(source))
	if err != nil {
		fail(err)
	}
	file := vectors{Go: runtime.Version(), Datasets: datasets}
	for _, c := range cases {
		file.Cases = append(file.Cases, render(c))
	}
	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(file); err != nil {
		fail(err)
	}
	if err := os.WriteFile(os.Args[2], out.Bytes(), 0o644); err != nil {
		fail(err)
	}
	parse, exec := 0, 0
	for _, v := range file.Cases {
		switch v.Error {
		case "parse":
			parse++
		case "exec":
			exec++
		}
	}
	fmt.Printf("gotemplate: %d cases (%d parse errors, %d exec errors) -> %s\n", len(file.Cases), parse, exec, os.Args[2])
}

func render(c testCase) vector {
	v := vector{Name: c.name, Template: c.template, Data: c.dataRef}
	t, err := template.New("t").Option("missingkey=error").Funcs(arkFunctions).Parse(c.template)
	if err != nil {
		v.Error, v.Message = "parse", err.Error()
		return v
	}
	var data any
	if err := json.Unmarshal([]byte(c.data), &data); err != nil {
		fail(fmt.Errorf("case %q: data is not JSON: %v", c.name, err))
	}
	var out strings.Builder
	if err := t.Execute(&out, data); err != nil {
		v.Error, v.Message = "exec", err.Error()
		return v
	}
	v.Output = out.String()
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gotemplate:", err)
	os.Exit(1)
}
