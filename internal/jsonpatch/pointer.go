package jsonpatch

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Pointer is a parsed RFC 6901 JSON Pointer: its reference tokens, already
// unescaped. The empty Pointer (no tokens) is the whole document; the
// pointer "/" is one token, the empty member name, which is not the same
// thing (RFC 6901 §5).
type Pointer []string

// ParsePointer parses the string form of a JSON Pointer.
//
// It checks only the syntax that holds whatever the document looks like:
// a non-empty pointer starts with "/", and "~" is followed by "0" or "1".
// Whether a token is a valid array index depends on the value it meets, so
// "01", "-1" and "-" are accepted here (they are fine member names) and
// refused when applied to an array. Percent-encoding is not decoded: that
// belongs to the URI fragment form, not the JSON string form used by
// JSON Patch.
func ParsePointer(s string) (Pointer, error) {
	if s == "" {
		return Pointer{}, nil
	}
	if s[0] != '/' {
		return nil, errors.New("a JSON Pointer must be empty or start with \"/\"")
	}
	parts := strings.Split(s[1:], "/")
	for i, part := range parts {
		tok, err := unescapeToken(part)
		if err != nil {
			return nil, err
		}
		parts[i] = tok
	}
	return Pointer(parts), nil
}

// unescapeToken decodes ~1 and ~0 in one left-to-right pass, which is the
// same as RFC 6901's "~1 first, then ~0" and makes "~01" decode to "~1"
// rather than "/".
func unescapeToken(s string) (string, error) {
	if !strings.Contains(s, "~") {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '~' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) || (s[i+1] != '0' && s[i+1] != '1') {
			return "", fmt.Errorf("%q: \"~\" must be followed by \"0\" or \"1\"", s)
		}
		if s[i+1] == '0' {
			b.WriteByte('~')
		} else {
			b.WriteByte('/')
		}
		i++
	}
	return b.String(), nil
}

// String returns the pointer in its JSON string form, escaping "~" as "~0"
// and "/" as "~1".
func (p Pointer) String() string {
	if len(p) == 0 {
		return ""
	}
	var b strings.Builder
	for _, tok := range p {
		b.WriteByte('/')
		for i := 0; i < len(tok); i++ {
			switch tok[i] {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(tok[i])
			}
		}
	}
	return b.String()
}

// IsRoot reports whether p is the whole document.
func (p Pointer) IsRoot() bool { return len(p) == 0 }

// HasPrefix reports whether p is q or lies inside q. It is what forbids
// moving a value into one of its own children.
func (p Pointer) HasPrefix(q Pointer) bool {
	if len(q) > len(p) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// Get returns the value p refers to in doc, without copying it. The error
// says which token failed and why.
func (p Pointer) Get(doc any) (any, error) {
	cur := doc
	for i := range p {
		next, err := child(cur, p, i)
		if err != nil {
			return nil, err
		}
		cur = next
	}
	return cur, nil
}

// child returns the existing member or element p[i] of v, which p[:i]
// names.
func child(v any, p Pointer, i int) (any, error) {
	tok := p[i]
	switch c := v.(type) {
	case map[string]any:
		val, ok := c[tok]
		if !ok {
			return nil, missingMember(p[:i], tok)
		}
		return val, nil
	case []any:
		n, err := arrayIndex(tok, len(c), false)
		if err != nil {
			return nil, fmt.Errorf("in %s: %w", where(p[:i]), err)
		}
		return c[n], nil
	default:
		return nil, notContainer(v, p[:i], tok)
	}
}

// where names a location for error messages.
func where(p Pointer) string {
	if len(p) == 0 {
		return "the document"
	}
	return strconv.Quote(p.String())
}

func missingMember(parent Pointer, tok string) error {
	return fmt.Errorf("%s has no member %q", where(parent), tok)
}

func notContainer(v any, parent Pointer, tok string) error {
	return fmt.Errorf("%s is %s, which cannot have a member %q", where(parent), kindName(v), tok)
}

// arrayIndex turns a reference token into an index of an array of length n.
// RFC 6901 §4 allows only "0" or a digit string without leading zero, so
// "01", "-1", "+1", "1e0" and " 1" are all refused rather than guessed at.
// "-" (the element after the last) is allowed only when forInsert is set:
// it names a position to add at, never an existing element. The bound is
// n for an insert (appending at index n is allowed) and n-1 otherwise.
func arrayIndex(tok string, n int, forInsert bool) (int, error) {
	if tok == "-" {
		if forInsert {
			return n, nil
		}
		return 0, errors.New(`array index "-" (after the last element) names no existing element`)
	}
	if tok == "" {
		return 0, errors.New("empty array index")
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return 0, fmt.Errorf("array index %q is not a non-negative decimal integer", tok)
		}
	}
	if len(tok) > 1 && tok[0] == '0' {
		return 0, fmt.Errorf("array index %q has a leading zero", tok)
	}
	i, err := strconv.Atoi(tok)
	limit := n - 1
	if forInsert {
		limit = n
	}
	if err != nil || i > limit {
		return 0, fmt.Errorf("array index %s is out of range for an array of %d elements", tok, n)
	}
	return i, nil
}

// kindName names a JSON value's type for error messages.
func kindName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default:
		if isNumber(v) {
			return "a number"
		}
		return fmt.Sprintf("a %T", v)
	}
}
