package jsonpatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The six operations of RFC 6902 §4.
const (
	OpAdd     = "add"
	OpRemove  = "remove"
	OpReplace = "replace"
	OpMove    = "move"
	OpCopy    = "copy"
	OpTest    = "test"
)

// Operation is one element of a patch document.
//
// Value and From each come with a Has flag because RFC 6902 distinguishes a
// missing member from an explicit null: {"op":"add","path":"/a","value":null}
// adds a null, while the same without "value" is malformed. In Go, a
// non-nil Value or a non-empty From counts as present even without its
// flag, so operations written in code need the flags only for an explicit
// null value or a move/copy from the document root ("").
type Operation struct {
	Op       string
	Path     string
	From     string
	HasFrom  bool
	Value    any
	HasValue bool
}

// Patch is a JSON Patch document: operations applied in order, each seeing
// the result of the one before, all or none.
type Patch []Operation

// UsesFrom reports whether the operation reads its "from" member (move and
// copy). Other operations ignore "from" as RFC 6902 §4 requires of members
// an operation does not define.
func (op Operation) UsesFrom() bool { return op.Op == OpMove || op.Op == OpCopy }

// usesValue reports whether the operation requires "value".
func (op Operation) usesValue() bool {
	return op.Op == OpAdd || op.Op == OpReplace || op.Op == OpTest
}

func (op Operation) hasFrom() bool  { return op.HasFrom || op.From != "" }
func (op Operation) hasValue() bool { return op.HasValue || op.Value != nil }

// PathPointer parses the operation's "path".
func (op Operation) PathPointer() (Pointer, error) { return ParsePointer(op.Path) }

// FromPointer parses the operation's "from". Check UsesFrom first: for
// operations other than move and copy "from" means nothing.
func (op Operation) FromPointer() (Pointer, error) { return ParsePointer(op.From) }

// validate checks what can be checked without the document: a known op,
// pointer syntax, and the members the op requires. i is the operation's
// index, for the error.
func (op Operation) validate(i int) error {
	switch op.Op {
	case OpAdd, OpRemove, OpReplace, OpMove, OpCopy, OpTest:
	case "":
		return opError(ErrMalformedPatch, i, op, "", "", `missing "op"`)
	default:
		return opError(ErrMalformedPatch, i, op, "", "", "unknown op %q (want add, remove, replace, move, copy or test)", op.Op)
	}
	if _, err := ParsePointer(op.Path); err != nil {
		return opError(ErrMalformedPatch, i, op, "path", op.Path, "%v", err)
	}
	if op.UsesFrom() {
		if !op.hasFrom() {
			return opError(ErrMalformedPatch, i, op, "", "", `missing "from", which %s requires`, op.Op)
		}
		if _, err := ParsePointer(op.From); err != nil {
			return opError(ErrMalformedPatch, i, op, "from", op.From, "%v", err)
		}
	}
	if op.usesValue() && !op.hasValue() {
		return opError(ErrMalformedPatch, i, op, "", "", `missing "value", which %s requires (write "value": null for null)`, op.Op)
	}
	return nil
}

// Validate checks every operation without a document: known ops, pointer
// syntax, and the members each op requires. Apply does this itself before
// touching anything; call it to reject a bad patch early.
func (p Patch) Validate() error {
	for i, op := range p {
		if err := op.validate(i); err != nil {
			return err
		}
	}
	return nil
}

// DecodePatch parses a patch document: a JSON array of operation objects.
//
// It reads the JSON as a token stream rather than through encoding/json's
// struct decoding, for three reasons: a duplicated "op", "path", "from" or
// "value" member is refused (RFC 6902 A.13; encoding/json would silently
// keep the last one, so what was applied would depend on a parser detail);
// a missing member can be told from an explicit null; and every error can
// name the operation it is about. Members the RFC does not define are
// ignored (§4). Values decode with UseNumber, so integers survive exactly.
// The result is validated as by Patch.Validate.
func DecodePatch(data []byte) (Patch, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &Error{Kind: ErrMalformedPatch, Index: -1, Reason: "not JSON: " + err.Error()}
	}
	if tok != json.Delim('[') {
		return nil, &Error{Kind: ErrMalformedPatch, Index: -1, Reason: "a patch must be a JSON array of operations"}
	}
	p := Patch{}
	for i := 0; dec.More(); i++ {
		op, err := decodeOperation(dec, i)
		if err != nil {
			return nil, err
		}
		p = append(p, op)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, &Error{Kind: ErrMalformedPatch, Index: -1, Reason: "not JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{Kind: ErrMalformedPatch, Index: -1, Reason: "unexpected data after the patch array"}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeOperation reads one operation object from dec. It does not
// validate the operation beyond member presence and types.
func decodeOperation(dec *json.Decoder, i int) (Operation, error) {
	var op Operation
	bad := func(member, format string, args ...any) (Operation, error) {
		return Operation{}, &Error{Kind: ErrMalformedPatch, Index: i, Op: op.Op, Member: member, Reason: fmt.Sprintf(format, args...)}
	}
	tok, err := dec.Token()
	if err != nil {
		return bad("", "not JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return bad("", "an operation must be a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad("", "not JSON: %v", err)
		}
		key, _ := tok.(string)
		switch key {
		case "op", "path", "from", "value":
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return bad("", "not JSON: %v", err)
			}
			continue
		}
		if seen[key] {
			return bad("", "member %q appears twice", key)
		}
		seen[key] = true
		var v any
		if err := dec.Decode(&v); err != nil {
			return bad("", "not JSON: %v", err)
		}
		if key == "value" {
			op.Value, op.HasValue = v, true
			continue
		}
		s, ok := v.(string)
		if !ok {
			// Member is left empty: the pointer field holds the pointer
			// text, and this member's value is not one.
			return Operation{}, &Error{Kind: ErrMalformedPatch, Index: i, Op: op.Op,
				Reason: fmt.Sprintf("%q must be a string, not %s", key, kindName(v))}
		}
		switch key {
		case "op":
			op.Op = s
		case "path":
			op.Path = s
		case "from":
			op.From, op.HasFrom = s, true
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return bad("", "not JSON: %v", err)
	}
	if !seen["op"] {
		return bad("", `missing "op"`)
	}
	if !seen["path"] {
		return bad("", `missing "path"`)
	}
	return op, nil
}

// UnmarshalJSON decodes a patch document with DecodePatch, so a Patch
// inside a larger request body gets the same checks.
func (p *Patch) UnmarshalJSON(data []byte) error {
	q, err := DecodePatch(data)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// UnmarshalJSON decodes one operation object with the same rules as
// DecodePatch.
func (op *Operation) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	o, err := decodeOperation(dec, -1)
	if err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Kind: ErrMalformedPatch, Index: -1, Reason: "unexpected data after the operation"}
	}
	if err := o.validate(-1); err != nil {
		return err
	}
	*op = o
	return nil
}

// MarshalJSON writes the members the operation has: "from" and "value"
// only when present, so an explicit null value survives a round trip and
// a missing one stays missing.
func (op Operation) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	put := func(name string, v any) error {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		enc, err := encode(v)
		if err != nil {
			return err
		}
		b.WriteString(`"` + name + `":`)
		b.Write(enc)
		return nil
	}
	if err := put("op", op.Op); err != nil {
		return nil, err
	}
	if op.hasFrom() {
		if err := put("from", op.From); err != nil {
			return nil, err
		}
	}
	if err := put("path", op.Path); err != nil {
		return nil, err
	}
	if op.hasValue() {
		if _, err := deepCopy(op.Value, nil); err != nil {
			return nil, errors.New("jsonpatch: value: " + err.Error())
		}
		if err := put("value", op.Value); err != nil {
			return nil, err
		}
	}
	return append(append([]byte{'{'}, b.Bytes()...), '}'), nil
}
