package actions

import (
	"errors"
	"strconv"
	"strings"
)

// PHP's serialize() format, which WHMCS documents for a few array
// parameters sent as one value (CreateQuote's and UpdateQuote's lineitems:
// "a base64 encoded serialized array"). phpUnserialize reads the part of
// the format such values use: arrays, strings, integers, floats, booleans
// and null; objects and references are refused, as WHMCS's
// safe_unserialize refuses them.

// phpEntry is one key and value of a PHP array, in the array's order.
type phpEntry struct {
	Key   string
	Value any // string, int64, float64, bool, nil or []phpEntry
}

// phpMaxDepth bounds how deeply arrays may nest.
const phpMaxDepth = 8

var errPHPSerialized = errors.New("not a PHP serialized value")

// phpUnserialize reads one serialized value that must take the whole of s.
func phpUnserialize(s string) (any, error) {
	p := phpParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(p.s) {
		return nil, errPHPSerialized
	}
	return v, nil
}

type phpParser struct {
	s string
	i int
}

// upTo returns the text before the next c and moves past c.
func (p *phpParser) upTo(c byte) (string, error) {
	j := strings.IndexByte(p.s[p.i:], c)
	if j < 0 {
		return "", errPHPSerialized
	}
	out := p.s[p.i : p.i+j]
	p.i += j + 1
	return out, nil
}

func (p *phpParser) expect(lit string) error {
	if !strings.HasPrefix(p.s[p.i:], lit) {
		return errPHPSerialized
	}
	p.i += len(lit)
	return nil
}

func (p *phpParser) value(depth int) (any, error) {
	if p.i+1 >= len(p.s) || p.s[p.i+1] != ':' && p.s[p.i] != 'N' {
		return nil, errPHPSerialized
	}
	kind := p.s[p.i]
	if kind == 'N' {
		return nil, p.expect("N;")
	}
	p.i += 2
	switch kind {
	case 'b':
		t, err := p.upTo(';')
		if err != nil || t != "0" && t != "1" {
			return nil, errPHPSerialized
		}
		return t == "1", nil
	case 'i':
		t, err := p.upTo(';')
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, errPHPSerialized
		}
		return n, nil
	case 'd':
		t, err := p.upTo(';')
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, errPHPSerialized
		}
		return f, nil
	case 's':
		t, err := p.upTo(':')
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || p.i+n+3 > len(p.s) || p.s[p.i] != '"' {
			return nil, errPHPSerialized
		}
		out := p.s[p.i+1 : p.i+1+n]
		p.i += n + 1
		return out, p.expect(`";`)
	case 'a':
		if depth >= phpMaxDepth {
			return nil, errPHPSerialized
		}
		t, err := p.upTo(':')
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(t)
		// Each entry takes at least 8 bytes (i:0;i:0;): a count past what
		// is left is a lie, refused before anything is allocated for it.
		if err != nil || n < 0 || n > (len(p.s)-p.i)/8 {
			return nil, errPHPSerialized
		}
		if err := p.expect("{"); err != nil {
			return nil, err
		}
		out := make([]phpEntry, 0, n)
		for range n {
			k, err := p.value(phpMaxDepth) // a key is a scalar
			if err != nil {
				return nil, err
			}
			var key string
			switch k := k.(type) {
			case int64:
				key = strconv.FormatInt(k, 10)
			case string:
				key = k
			default:
				return nil, errPHPSerialized
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, phpEntry{Key: key, Value: v})
		}
		return out, p.expect("}")
	}
	return nil, errPHPSerialized
}

// phpKeyLess orders the keys of an array sent as name[key][field]
// parameters: numbers by value first, then the others as text.
func phpKeyLess(a, b string) bool {
	na, aerr := strconv.ParseInt(a, 10, 64)
	nb, berr := strconv.ParseInt(b, 10, 64)
	switch {
	case aerr == nil && berr == nil:
		return na < nb
	case (aerr == nil) != (berr == nil):
		return aerr == nil
	}
	return a < b
}

// phpString is a scalar as PHP's string conversion writes it: true is "1",
// false and null "", floats in their shortest form. Arrays are "Array".
func phpString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "1"
		}
		return ""
	case []phpEntry:
		return "Array"
	}
	return ""
}
