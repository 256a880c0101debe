package jsonpatch

import "fmt"

// FieldError is what an AllowTopLevel check returns for a pointer outside
// its allow-list. A dialect finds it with errors.As to word its own answer.
type FieldError struct {
	// Index is the operation's position in the patch.
	Index int
	// Member is "path" or "from".
	Member string
	// Pointer is the offending pointer as written in the patch.
	Pointer string
	// Field is the top-level member the pointer names; empty when the
	// pointer is the whole document.
	Field string
}

func (e *FieldError) Error() string {
	if e.Field == "" && e.Pointer == "" {
		return fmt.Sprintf("%s %q: the whole document cannot be patched", e.Member, e.Pointer)
	}
	return fmt.Sprintf("%s %q: field %q cannot be patched", e.Member, e.Pointer, e.Field)
}

// AllowTopLevel returns an Options.Check that lets an operation through only
// when its path, and its from for move and copy, lie inside one of the
// named top-level members. A pointer to the whole document ("") is refused,
// because replacing or moving the root would reach every field at once;
// a pointer below an allowed member ("/redirectUris/0") is allowed. The
// error is a *FieldError.
//
// "from" is checked only for move and copy: the other operations ignore it
// (RFC 6902 §4), so it reads nothing and a check on it would refuse
// harmless patches. A move's from is checked as strictly as its path
// because a move removes its source.
func AllowTopLevel(fields ...string) func(index int, op Operation) error {
	allowed := make(map[string]bool, len(fields))
	for _, f := range fields {
		allowed[f] = true
	}
	check := func(i int, member, raw string) error {
		p, err := ParsePointer(raw)
		if err != nil || len(p) == 0 || !allowed[p[0]] {
			field := ""
			if len(p) > 0 {
				field = p[0]
			}
			return &FieldError{Index: i, Member: member, Pointer: raw, Field: field}
		}
		return nil
	}
	return func(i int, op Operation) error {
		if err := check(i, "path", op.Path); err != nil {
			return err
		}
		if op.UsesFrom() {
			return check(i, "from", op.From)
		}
		return nil
	}
}
