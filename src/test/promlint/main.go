// Command promlint checks a Prometheus text exposition read from stdin as Prometheus itself would:
// the text format parser of prometheus/common (what the server scrapes with) and the metric-naming lint of
// client_golang's promlint (what `promtool check metrics` runs). It prints each sample as
// "name{label="value",...} value" and each lint problem as "lint: <metric>: <text>"; exit 1 on a parse error.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(2)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(input))
	if err != nil {
		fmt.Fprintln(os.Stderr, "parse:", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	names := make([]string, 0, len(families))
	for name := range families {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		family := families[name]
		for _, m := range family.GetMetric() {
			for _, sample := range samples(family, m) {
				fmt.Fprintln(out, sample)
			}
		}
	}
	problems, err := promlint.New(bytes.NewReader(input)).Lint()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lint:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Fprintf(out, "lint: %s: %s\n", p.Metric, p.Text)
	}
}

func samples(family *dto.MetricFamily, m *dto.Metric) []string {
	name := family.GetName()
	labels := labelText(m.GetLabel(), "")
	switch family.GetType() {
	case dto.MetricType_COUNTER:
		return []string{fmt.Sprintf("%s%s %v", name, labels, m.GetCounter().GetValue())}
	case dto.MetricType_GAUGE:
		return []string{fmt.Sprintf("%s%s %v", name, labels, m.GetGauge().GetValue())}
	case dto.MetricType_HISTOGRAM:
		h := m.GetHistogram()
		lines := []string{
			fmt.Sprintf("%s_count%s %v", name, labels, h.GetSampleCount()),
			fmt.Sprintf("%s_sum%s %v", name, labels, h.GetSampleSum()),
		}
		for _, b := range h.GetBucket() {
			lines = append(lines, fmt.Sprintf("%s_bucket%s %v", name, labelText(m.GetLabel(), fmt.Sprintf("%v", b.GetUpperBound())), b.GetCumulativeCount()))
		}
		return lines
	default:
		return []string{fmt.Sprintf("%s%s %v", name, labels, m.GetUntyped().GetValue())}
	}
}

func labelText(pairs []*dto.LabelPair, le string) string {
	parts := []string{}
	for _, p := range pairs {
		parts = append(parts, fmt.Sprintf("%s=%q", p.GetName(), p.GetValue()))
	}
	if le != "" {
		parts = append(parts, fmt.Sprintf("le=%q", le))
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ",") + "}"
}
