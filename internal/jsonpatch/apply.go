package jsonpatch

import (
	"errors"
	"fmt"
)

// DefaultMaxCopyNodes bounds how many JSON values the copy operations of
// one patch may duplicate, when Options.MaxCopyNodes is zero. Without a
// bound, a patch of n operations {"op":"copy","from":"","path":"/-"}
// doubles an array document n times: forty such lines, a couple of kilobytes,
// would ask for a trillion values. A million values is far above anything
// a resource of a dozen fields needs.
const DefaultMaxCopyNodes = 1 << 20

// DefaultMaxSize bounds the document's size while a patch applies, when
// Options.MaxSize is zero. The copy budget counts values, not bytes: a
// patch that adds one 100 kB string and copies it 3000 times stays far
// under it and still makes a 300 MB document out of 300 kB of patch, which
// the caller then encodes and stores. 64 MiB is far above any resource a
// JSON Patch API edits.
const DefaultMaxSize = 64 << 20

// Options adjusts how a patch is applied. The zero value is plain RFC 6902
// with DefaultMaxCopyNodes and DefaultMaxSize.
type Options struct {
	// Check, when set, is called once for every operation, in order, after
	// the whole patch has been validated and before anything is applied. A
	// non-nil result refuses the whole patch with an *Error of kind
	// ErrRefused wrapping the returned error, so errors.As recovers the
	// checker's own error type. It is the hook through which an API limits
	// what a patch may touch: the SailPoint dialect allows only its 13
	// patchable fields on every path and from (see AllowTopLevel). The
	// Operation it receives shares Value with the patch; it must not modify
	// it.
	Check func(index int, op Operation) error

	// MaxCopyNodes bounds the values copy operations may duplicate in one
	// patch: 0 means DefaultMaxCopyNodes, a negative value means no bound.
	MaxCopyNodes int

	// MaxSize bounds the document's size in bytes while the patch applies:
	// an operation that grows the document past it fails with ErrTooLarge,
	// so a patch is stopped at the operation that crosses the limit, not
	// after it has built the whole document. 0 means DefaultMaxSize, a
	// negative value means no bound. The size is that of the compact JSON
	// encoding, counting each string by its bytes as if nothing needed
	// escaping and one comma after every element and member; it is kept
	// up to date operation by operation, at a cost proportional to the
	// values each one adds or removes. A document that starts over the
	// limit may still be patched by operations that do not grow it.
	MaxSize int64
}

// Apply applies a JSON patch document to a JSON document and returns the
// result, compact and with object members sorted. It is ApplyWithOptions
// with the zero Options.
func Apply(doc, patch []byte) ([]byte, error) {
	return ApplyWithOptions(doc, patch, Options{})
}

// ApplyWithOptions decodes the patch (DecodePatch) and the document
// (DecodeDocument, numbers kept exact), applies the patch and encodes the
// result. On any error it returns nil and an *Error; the patch is not
// applied at all.
func ApplyWithOptions(doc, patch []byte, opts Options) ([]byte, error) {
	p, err := DecodePatch(patch)
	if err != nil {
		return nil, err
	}
	v, err := DecodeDocument(doc)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidDocument, Index: -1, Reason: err.Error()}
	}
	// v is ours alone, so apply skips the defensive copy.
	out, err := p.apply(v, opts, false)
	if err != nil {
		return nil, err
	}
	b, err := encode(out)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidDocument, Index: -1, Reason: err.Error()}
	}
	return b, nil
}

// ApplyValue applies the patch to a decoded document (nil, bool, string,
// json.Number or any Go number, []any, map[string]any) and returns the
// result.
//
// Application is atomic: the patch runs on a private deep copy of doc, so
// doc is never modified, whether the patch succeeds or fails halfway. The
// result shares nothing with doc or with the patch's values, so the caller
// may change either freely. On failure the result is nil and the error an
// *Error naming the operation.
func (p Patch) ApplyValue(doc any, opts Options) (any, error) {
	return p.apply(doc, opts, true)
}

func (p Patch) apply(doc any, opts Options, copyDoc bool) (any, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if opts.Check != nil {
		for i, op := range p {
			if err := opts.Check(i, op); err != nil {
				return nil, &Error{Kind: ErrRefused, Index: i, Op: op.Op, Err: err}
			}
		}
	}
	cur := doc
	if copyDoc {
		c, err := deepCopy(doc, nil)
		if err != nil {
			return nil, &Error{Kind: ErrInvalidDocument, Index: -1, Reason: err.Error()}
		}
		cur = c
	}
	var budget *int
	switch {
	case opts.MaxCopyNodes == 0:
		n := DefaultMaxCopyNodes
		budget = &n
	case opts.MaxCopyNodes > 0:
		n := opts.MaxCopyNodes
		budget = &n
	}
	var size *sizer
	switch {
	case opts.MaxSize == 0:
		size = &sizer{limit: DefaultMaxSize}
	case opts.MaxSize > 0:
		size = &sizer{limit: opts.MaxSize}
	}
	if size != nil {
		size.size = valueSize(cur)
	}
	for i, op := range p {
		next, err := applyOne(cur, i, op, budget, size)
		if err != nil {
			return nil, err
		}
		cur = next
	}
	return cur, nil
}

// sizer keeps a document's size (see valueSize) while a patch applies,
// adding each operation's change, so that the limit is checked without
// encoding the document after every operation.
type sizer struct {
	size, limit int64
}

// grow adds delta, the change operation i made, and refuses it when it
// grew the document past the limit.
func (s *sizer) grow(delta int64, i int, op Operation) error {
	if s == nil {
		return nil
	}
	if delta > 0 && s.size+delta > s.limit {
		return opError(ErrTooLarge, i, op, "path", op.Path,
			"the document would grow to about %d bytes, over the limit of %d", s.size+delta, s.limit)
	}
	s.size += delta
	return nil
}

// applyOne applies one validated operation to doc, which it may modify in
// place, and returns the new document. size, when not nil, follows the
// document's size and refuses an operation that grows it past its limit.
func applyOne(doc any, i int, op Operation, budget *int, size *sizer) (any, error) {
	path, _ := ParsePointer(op.Path) // validated already
	pathErr := func(member, ptr string, err error) error {
		return &Error{Kind: ErrPath, Index: i, Op: op.Op, Member: member, Pointer: ptr, Reason: err.Error()}
	}
	switch op.Op {
	case OpAdd, OpReplace:
		// The value is copied so the document never aliases the patch:
		// a later operation that changes the added value must not change
		// the caller's Patch, which may be applied again.
		val, err := deepCopy(op.Value, nil)
		if err != nil {
			return nil, opError(ErrMalformedPatch, i, op, "", "", "value: %v", err)
		}
		var delta int64
		if size != nil {
			delta = overhead(doc, path) + valueSize(val) - entrySize(doc, path, op.Op == OpAdd)
		}
		var out any
		if op.Op == OpAdd {
			out, err = add(doc, path, val)
		} else {
			out, err = replace(doc, path, val)
		}
		if err != nil {
			return nil, pathErr("path", op.Path, err)
		}
		return out, size.grow(delta, i, op)

	case OpRemove:
		var delta int64
		if size != nil {
			delta = -entrySize(doc, path, false)
		}
		out, err := remove(doc, path)
		if err != nil {
			return nil, pathErr("path", op.Path, err)
		}
		return out, size.grow(delta, i, op)

	case OpMove:
		from, _ := ParsePointer(op.From)
		val, err := from.Get(doc)
		if err != nil {
			return nil, pathErr("from", op.From, err)
		}
		if path.HasPrefix(from) {
			if len(path) == len(from) {
				return doc, nil // RFC 6902 §4.4: moving a value onto itself changes nothing
			}
			return nil, pathErr("path", op.Path, errors.New("a value cannot be moved into one of its own children"))
		}
		// Remove first, then add: that is the RFC's definition, and it is
		// what makes array moves like /foo/1 -> /foo/3 land where the
		// RFC's example A.7 says.
		// The moved value's own size cancels out; only its member name
		// or comma and whatever it replaces at path change the size.
		var delta int64
		if size != nil {
			delta = -overhead(doc, from)
		}
		out, err := remove(doc, from)
		if err != nil {
			return nil, pathErr("from", op.From, err)
		}
		if size != nil {
			delta += overhead(out, path) - entrySize(out, path, true)
		}
		out, err = add(out, path, val)
		if err != nil {
			return nil, pathErr("path", op.Path, err)
		}
		return out, size.grow(delta, i, op)

	case OpCopy:
		from, _ := ParsePointer(op.From)
		val, err := from.Get(doc)
		if err != nil {
			return nil, pathErr("from", op.From, err)
		}
		// A deep copy: source and copy must evolve independently.
		c, err := deepCopy(val, budget)
		if err != nil {
			if errors.Is(err, errBudget) {
				return nil, opError(ErrTooLarge, i, op, "from", op.From, "copying would exceed the limit of copied values")
			}
			return nil, pathErr("from", op.From, err)
		}
		var delta int64
		if size != nil {
			delta = overhead(doc, path) + valueSize(c) - entrySize(doc, path, true)
		}
		out, err := add(doc, path, c)
		if err != nil {
			return nil, pathErr("path", op.Path, err)
		}
		return out, size.grow(delta, i, op)

	case OpTest:
		// A path that does not resolve is ErrPath rather than
		// ErrTestFailed: the document lacks what the patch assumed, which
		// a caller may want to report differently from a different value.
		val, err := path.Get(doc)
		if err != nil {
			return nil, pathErr("path", op.Path, err)
		}
		if !Equal(val, op.Value) {
			return nil, opError(ErrTestFailed, i, op, "path", op.Path, "the value there is not the one the test expects")
		}
		return doc, nil
	}
	return nil, opError(ErrMalformedPatch, i, op, "", "", "unknown op %q", op.Op)
}

// update walks to the container that holds the last token of p and calls f
// with it; f returns the container's new value (an array may be
// reallocated), which update stores back into its parent. Every token but
// the last must name an existing member or element: RFC 6902 never creates
// missing parents.
func update(node any, p Pointer, depth int, f func(container any, tok string) (any, error)) (any, error) {
	if depth == len(p)-1 {
		return f(node, p[depth])
	}
	tok := p[depth]
	ch, err := child(node, p, depth)
	if err != nil {
		return nil, err
	}
	nc, err := update(ch, p, depth+1, f)
	if err != nil {
		return nil, err
	}
	switch c := node.(type) {
	case map[string]any:
		c[tok] = nc
	case []any:
		i, _ := arrayIndex(tok, len(c), false) // child checked it
		c[i] = nc
	}
	return node, nil
}

// add implements RFC 6902 §4.1: set an object member (creating or
// replacing it), or insert into an array before the index (the index may
// equal the length, and "-" appends), or replace the whole document.
func add(doc any, p Pointer, val any) (any, error) {
	if p.IsRoot() {
		return val, nil
	}
	parent := p[:len(p)-1]
	return update(doc, p, 0, func(container any, tok string) (any, error) {
		switch c := container.(type) {
		case map[string]any:
			c[tok] = val
			return c, nil
		case []any:
			i, err := arrayIndex(tok, len(c), true)
			if err != nil {
				return nil, fmt.Errorf("in %s: %w", where(parent), err)
			}
			c = append(c, nil)
			copy(c[i+1:], c[i:])
			c[i] = val
			return c, nil
		default:
			return nil, notContainer(container, parent, tok)
		}
	})
}

// remove implements RFC 6902 §4.2: the target must exist. Removing the
// whole document is refused, since it would leave no JSON value.
func remove(doc any, p Pointer) (any, error) {
	if p.IsRoot() {
		return nil, errors.New("the whole document cannot be removed")
	}
	parent := p[:len(p)-1]
	return update(doc, p, 0, func(container any, tok string) (any, error) {
		switch c := container.(type) {
		case map[string]any:
			if _, ok := c[tok]; !ok {
				return nil, missingMember(parent, tok)
			}
			delete(c, tok)
			return c, nil
		case []any:
			i, err := arrayIndex(tok, len(c), false)
			if err != nil {
				return nil, fmt.Errorf("in %s: %w", where(parent), err)
			}
			copy(c[i:], c[i+1:])
			c[len(c)-1] = nil
			return c[:len(c)-1], nil
		default:
			return nil, notContainer(container, parent, tok)
		}
	})
}

// replace implements RFC 6902 §4.3: like remove then add, so the target
// must exist; "-" is refused because it names no element.
func replace(doc any, p Pointer, val any) (any, error) {
	if p.IsRoot() {
		return val, nil
	}
	parent := p[:len(p)-1]
	return update(doc, p, 0, func(container any, tok string) (any, error) {
		switch c := container.(type) {
		case map[string]any:
			if _, ok := c[tok]; !ok {
				return nil, missingMember(parent, tok)
			}
			c[tok] = val
			return c, nil
		case []any:
			i, err := arrayIndex(tok, len(c), false)
			if err != nil {
				return nil, fmt.Errorf("in %s: %w", where(parent), err)
			}
			c[i] = val
			return c, nil
		default:
			return nil, notContainer(container, parent, tok)
		}
	})
}
