package jsonpatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// DecodeDocument decodes exactly one JSON value with json.Decoder.UseNumber,
// so numbers stay json.Number: an int64 id or a 2^53+1 counter survives a
// patch unchanged instead of being rounded through float64. Trailing data
// after the value is an error.
func DecodeDocument(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

// Equal reports whether a and b are the same JSON value, the comparison RFC
// 6902 §4.6 prescribes for "test": objects compare member by member
// whatever the order, arrays element by element in order, numbers by
// numeric value (1, 1.0 and 1e0 are equal; the string "1" is not), and
// strings, booleans and null by identity. Values may be json.Number or any
// Go numeric type, so documents decoded with or without UseNumber compare
// alike.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	default:
		xs, ok1 := numberText(a)
		ys, ok2 := numberText(b)
		if !ok1 || !ok2 {
			return false
		}
		return numbersEqual(xs, ys)
	}
}

func isNumber(v any) bool {
	_, ok := numberText(v)
	return ok
}

// numberText returns the decimal text of a numeric value. Floats use the
// shortest representation that round-trips, so the comparison is exact on
// the value the float actually holds.
func numberText(v any) (string, bool) {
	switch n := v.(type) {
	case json.Number:
		return string(n), true
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return "", false
		}
		return strconv.FormatFloat(n, 'g', -1, 64), true
	case float32:
		f := float64(n)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 32), true
	case int:
		return strconv.FormatInt(int64(n), 10), true
	case int8:
		return strconv.FormatInt(int64(n), 10), true
	case int16:
		return strconv.FormatInt(int64(n), 10), true
	case int32:
		return strconv.FormatInt(int64(n), 10), true
	case int64:
		return strconv.FormatInt(n, 10), true
	case uint:
		return strconv.FormatUint(uint64(n), 10), true
	case uint8:
		return strconv.FormatUint(uint64(n), 10), true
	case uint16:
		return strconv.FormatUint(uint64(n), 10), true
	case uint32:
		return strconv.FormatUint(uint64(n), 10), true
	case uint64:
		return strconv.FormatUint(n, 10), true
	}
	return "", false
}

// decimal is a number reduced to sign × digits × 10^exp with no leading or
// trailing zero digits, so two spellings of one value reduce to the same
// triple. It is exact for any JSON number, including ones far outside
// float64's range, and never expands an exponent into digits (which would
// let "1e999999999" cost gigabytes, as big.Rat would).
type decimal struct {
	neg    bool
	digits string
	exp    *big.Int
}

func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if strings.HasPrefix(s, "-") {
		d.neg = true
		s = s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	mant, expPart := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, expPart = s[:i], s[i+1:]
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if intPart == "" && frac == "" {
		return d, false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return d, false
			}
		}
	}
	exp := new(big.Int)
	if expPart != "" {
		if _, ok := exp.SetString(expPart, 10); !ok {
			return d, false
		}
	}
	digits := intPart + frac
	exp.Sub(exp, big.NewInt(int64(len(frac))))
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		// Zero: sign and exponent are irrelevant, so -0 == 0 == 0.0e5.
		return decimal{digits: "", exp: new(big.Int)}, true
	}
	trimmed := strings.TrimRight(digits, "0")
	exp.Add(exp, big.NewInt(int64(len(digits)-len(trimmed))))
	d.digits = trimmed
	d.exp = exp
	return d, true
}

func numbersEqual(a, b string) bool {
	if a == b {
		return true
	}
	x, ok1 := parseDecimal(a)
	y, ok2 := parseDecimal(b)
	if !ok1 || !ok2 {
		return false
	}
	if x.digits == "" || y.digits == "" {
		return x.digits == y.digits
	}
	return x.neg == y.neg && x.digits == y.digits && x.exp.Cmp(y.exp) == 0
}

// errBudget is returned by deepCopy when the node budget runs out.
var errBudget = errors.New("copy budget exhausted")

// deepCopy returns a copy of v that shares no map or slice with it, after
// checking that v holds only values with a JSON meaning. Patching works on
// copies so that a failed patch leaves the caller's document untouched and
// so that a value added or copied into the document never aliases the
// patch or another part of the document (a later operation that changes
// the copy must not change the source: the suite's "copy then change"
// records check exactly this).
//
// budget, when not nil, is decremented once per value copied; deepCopy
// returns errBudget when it would go below zero.
func deepCopy(v any, budget *int) (any, error) {
	if budget != nil {
		if *budget <= 0 {
			return nil, errBudget
		}
		*budget--
	}
	switch x := v.(type) {
	case nil, bool, string:
		return x, nil
	case json.Number:
		if !isJSONNumber(string(x)) {
			return nil, fmt.Errorf("json.Number %q is not a JSON number", string(x))
		}
		return x, nil
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			c, err := deepCopy(e, budget)
			if err != nil {
				return nil, err
			}
			m[k] = c
		}
		return m, nil
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			c, err := deepCopy(e, budget)
			if err != nil {
				return nil, err
			}
			s[i] = c
		}
		return s, nil
	default:
		if _, ok := numberText(v); ok {
			return x, nil
		}
		return nil, fmt.Errorf("a Go %T has no JSON meaning", v)
	}
}

// valueSize is the size of v's compact JSON encoding as a patch's size
// limit counts it: strings by their bytes plus quotes, as if nothing needed
// escaping, and one comma after every element and member (so a non-empty
// container counts one byte more than its encoding). Counting a comma per
// entry makes the size additive, so an operation's change is the size of
// what it adds less the size of what it removes (see overhead and
// entrySize). The walk costs one step per value, whatever the strings'
// lengths.
func valueSize(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 4
	case bool:
		if x {
			return 4
		}
		return 5
	case string:
		return int64(len(x)) + 2
	case map[string]any:
		n := int64(2)
		for k, e := range x {
			n += int64(len(k)) + 4 + valueSize(e)
		}
		return n
	case []any:
		n := int64(2)
		for _, e := range x {
			n += valueSize(e) + 1
		}
		return n
	}
	t, _ := numberText(v)
	return int64(len(t))
}

// overhead is what a value at p costs besides its own size: for an object
// member its quoted name, colon and comma, for an array element its comma,
// for the whole document nothing. It looks only at p's parent in doc.
func overhead(doc any, p Pointer) int64 {
	if p.IsRoot() {
		return 0
	}
	parent, _ := p[:len(p)-1].Get(doc)
	if _, ok := parent.(map[string]any); ok {
		return int64(len(p[len(p)-1])) + 4
	}
	return 1
}

// entrySize is the size (valueSize plus overhead) of the value p names in
// doc, 0 when p names nothing. insert says p is where an add inserts: an
// array index there names a gap before an element, which the add does not
// replace.
func entrySize(doc any, p Pointer, insert bool) int64 {
	if p.IsRoot() {
		return valueSize(doc)
	}
	parent, err := p[:len(p)-1].Get(doc)
	if err != nil {
		return 0
	}
	tok := p[len(p)-1]
	switch c := parent.(type) {
	case map[string]any:
		if v, ok := c[tok]; ok {
			return int64(len(tok)) + 4 + valueSize(v)
		}
	case []any:
		if insert {
			return 0
		}
		if i, err := arrayIndex(tok, len(c), false); err == nil {
			return valueSize(c[i]) + 1
		}
	}
	return 0
}

// isJSONNumber reports whether s is a number in RFC 8259 syntax. A
// json.Number built in Go code can hold any string; encoding/json would
// refuse to marshal a bad one only at the very end.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

// encode marshals a value the way the package answers: compact, without
// the HTML escaping encoding/json adds by default (a patched document is
// data, not HTML), object members in sorted order.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
