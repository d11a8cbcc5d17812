package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// sectionMark starts a line that names the section of cases below it; it ends the case above it.
const sectionMark = "# ---- "

type testCase struct {
	name, template string
	// data is the JSON the case renders; dataRef is how the corpus wrote it ("@std" or the JSON itself)
	data, dataRef string
}

// readCases reads the corpus format (see the head of cases.txt): "@data NAME JSON" lines define data sets, and
// each "=== NAME | DATA" line starts a case whose template is every line up to the next "===" or section line.
func readCases(source string) (map[string]string, []testCase, error) {
	datasets := map[string]string{}
	var cases []testCase
	lines := strings.Split(strings.TrimSuffix(source, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "@data "):
			name, data, _ := strings.Cut(strings.TrimPrefix(line, "@data "), " ")
			if !json.Valid([]byte(data)) {
				return nil, nil, fmt.Errorf("line %d: data set %s is not JSON", i+1, name)
			}
			datasets[name] = data
		case strings.HasPrefix(line, "=== "):
			name, data, _ := strings.Cut(strings.TrimPrefix(line, "=== "), " | ")
			name, data = strings.TrimSpace(name), strings.TrimSpace(data)
			dataRef := data
			if strings.HasPrefix(data, "@") {
				known, ok := datasets[data[1:]]
				if !ok {
					return nil, nil, fmt.Errorf("line %d: unknown data set %s", i+1, data)
				}
				data = known
			} else if data == "" {
				data, dataRef = "{}", "{}"
			}
			if !json.Valid([]byte(data)) {
				return nil, nil, fmt.Errorf("line %d: data of %q is not JSON", i+1, name)
			}
			var body []string
			for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "=== ") && !strings.HasPrefix(lines[i+1], sectionMark) {
				i++
				body = append(body, lines[i])
			}
			cases = append(cases, testCase{name: name, template: strings.Join(body, "\n"), data: data, dataRef: dataRef})
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			return nil, nil, fmt.Errorf("line %d: expected @data, === or a comment: %q", i+1, line)
		}
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			return nil, nil, fmt.Errorf("case %q appears twice", c.name)
		}
		seen[c.name] = true
	}
	return datasets, cases, nil
}
