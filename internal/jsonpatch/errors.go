package jsonpatch

import (
	"errors"
	"fmt"
	"strings"
)

// The error kinds. Every error this package returns is an *Error whose Kind
// is one of these, so a caller tells them apart with errors.Is instead of
// matching message text. They map onto HTTP answers (RFC 5789 §2.2): a
// malformed patch or document is the client's syntax problem (400), a path
// or test failure is a patch that cannot be applied to this document (409 or
// 422, or whatever the dialect documents), a refusal is the dialect's own
// policy, and a limit is a patch too costly to apply.
var (
	// ErrMalformedPatch: the patch document is not a JSON array of valid
	// operation objects (unknown op, missing or mistyped member, pointer
	// syntax error, duplicate member). Nothing was applied.
	ErrMalformedPatch = errors.New("malformed patch")

	// ErrInvalidDocument: the target document is not one JSON value, or
	// (for ApplyValue) holds a Go value with no JSON meaning.
	ErrInvalidDocument = errors.New("invalid document")

	// ErrPath: a well-formed pointer does not resolve the way its operation
	// needs: a missing member or parent, an array index out of range or
	// spelled badly for an array (leading zero, "-1", "-" where it is not
	// allowed), traversal into a scalar, or a move into its own child.
	ErrPath = errors.New("path cannot be applied")

	// ErrTestFailed: a "test" operation found a different value.
	ErrTestFailed = errors.New("test failed")

	// ErrRefused: Options.Check refused an operation; Error.Err holds the
	// checker's own error, reachable with errors.As.
	ErrRefused = errors.New("operation refused")

	// ErrTooLarge: the patch would copy more values than
	// Options.MaxCopyNodes allows, or grow the document past
	// Options.MaxSize.
	ErrTooLarge = errors.New("patch too large")
)

// Error describes why a patch was not applied. Because application is
// atomic, any Error means the document is exactly as it was.
type Error struct {
	// Kind is one of the Err* sentinels above; errors.Is(err, Kind) is true.
	Kind error
	// Index is the position of the failing operation in the patch, or -1
	// when the error is not about one operation (for example the patch is
	// not an array, or the document is not JSON).
	Index int
	// Op is the failing operation's "op" value when known.
	Op string
	// Member names the operation member at fault: "op", "path", "from" or
	// "value"; empty when the operation as a whole is at fault.
	Member string
	// Pointer is the JSON Pointer involved, as written in the patch.
	Pointer string
	// Reason is a short human explanation.
	Reason string
	// Err is an underlying cause, such as the error Options.Check returned.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("jsonpatch: ")
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	}
	if e.Index >= 0 {
		fmt.Fprintf(&b, ": operation %d", e.Index)
		if e.Op != "" {
			fmt.Fprintf(&b, " (%s)", e.Op)
		}
	}
	if e.Member != "" {
		fmt.Fprintf(&b, ": %s %q", e.Member, e.Pointer)
	} else if e.Pointer != "" {
		fmt.Fprintf(&b, ": %q", e.Pointer)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is this error's Kind, so errors.Is works with
// the sentinels.
func (e *Error) Is(target error) bool { return target != nil && target == e.Kind }

// Unwrap returns the underlying cause, so errors.As reaches a checker's own
// error type.
func (e *Error) Unwrap() error { return e.Err }

// opError builds an *Error about operation i of kind k.
func opError(kind error, i int, op Operation, member, pointer, format string, args ...any) *Error {
	return &Error{Kind: kind, Index: i, Op: op.Op, Member: member, Pointer: pointer, Reason: fmt.Sprintf(format, args...)}
}
