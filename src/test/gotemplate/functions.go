package main

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

// arkFunctions are the functions ark adds to Go's builtins (the ones teams written for the original ark call),
// defined here as ark's Java engine defines them.
var arkFunctions = template.FuncMap{
	// default FALLBACK VALUE: VALUE unless it is empty (false, 0, nil, "", empty list or map), else FALLBACK.
	"default": func(fallback any, given ...any) (any, error) {
		if len(given) > 1 {
			return nil, fmt.Errorf("default takes a fallback and at most one value, got %d values", len(given))
		}
		if len(given) == 0 {
			return fallback, nil
		}
		if truth, _ := template.IsTrue(given[0]); !truth {
			return fallback, nil
		}
		return given[0], nil
	},
	// int VALUE: a whole number from a number (truncated toward zero), a decimal number written as text, or a bool.
	"int": func(v any) (int, error) {
		switch x := v.(type) {
		case int:
			return x, nil
		case float64:
			return truncate(x)
		case bool:
			if x {
				return 1, nil
			}
			return 0, nil
		case string:
			s := strings.TrimSpace(x)
			if !decimal.MatchString(s) {
				return 0, fmt.Errorf("int: %q is not a number", x)
			}
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return int(n), nil
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return 0, fmt.Errorf("int: %q is out of range", x)
			}
			return truncate(f)
		default:
			return 0, fmt.Errorf("int: cannot convert %T", v)
		}
	},
	// toJson VALUE: the value as JSON, as Go's encoding/json writes it.
	"toJson": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
	"trim":  strings.TrimSpace,
}

var decimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func truncate(f float64) (int, error) {
	if math.IsNaN(f) || f < -9223372036854775808.0 || f >= 9223372036854775808.0 {
		return 0, fmt.Errorf("int: %v is out of range", f)
	}
	return int(f), nil
}
