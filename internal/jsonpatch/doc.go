// Package jsonpatch applies RFC 6902 JSON Patch documents, addressing
// values with RFC 6901 JSON Pointers.
//
// It exists for whmcsemu's SailPoint dialect, whose PATCH /v3/oauth-clients
// takes application/json-patch+json, and it is strict where the RFCs are and
// lenient nowhere else, because an emulator that accepts what the real
// service refuses hides bugs in the code under test:
//
//   - Pointers: "" is the whole document and "/" the member named "";
//     ~1 and ~0 are unescaped in one pass, so "~01" is "~1"; an array index
//     is "0" or a digit string without leading zero, so "01", "-1" and
//     "1e0" are refused on arrays (they remain valid member names on
//     objects), and "-" (after the last element) is accepted only where an
//     element is being added.
//   - Operations: "op" and "path" are required; "value" is required for
//     add, replace and test, where an explicit null counts as present;
//     "from" is required for move and copy; a duplicated member is refused;
//     members the RFC does not define are ignored.
//   - Semantics: add creates or replaces an object member and inserts into
//     arrays; missing parents are never created; remove and replace need
//     an existing target; move is remove then add and cannot move a value
//     into its own child; copy copies deeply; test compares JSON values
//     (numbers by value, object members in any order).
//   - Atomicity: a patch applies completely or not at all. It runs on a
//     private copy, so the caller's document is never modified.
//
// Documents are decoded with json.Decoder.UseNumber, so numbers keep their
// exact text: an int64 id does not come back as 1.2345678901234567e+18.
//
// Errors are *Error values whose Kind (ErrMalformedPatch, ErrPath,
// ErrTestFailed, ErrRefused, ErrTooLarge, ErrInvalidDocument) tells a caller
// with errors.Is whether the request was malformed or merely cannot apply
// to this document. Options.Check lets a dialect refuse operations by their
// pointers before anything is applied (see AllowTopLevel).
//
// Limits: a patch may copy at most Options.MaxCopyNodes values and grow the
// document to at most Options.MaxSize bytes (both with defaults), checked
// operation by operation, so a short patch that copies a large value many
// times is stopped where it crosses the limit (ErrTooLarge).
//
// The package uses the standard library only.
package jsonpatch
