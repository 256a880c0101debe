package jsonpatch

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzApply feeds arbitrary documents and patches. Whatever the input, the
// package must not panic, every error must be an *Error of a known kind,
// the caller's document must be unchanged afterwards (success or failure),
// a success must encode to JSON that decodes to the same value, the size
// kept while applying must be the result's size, and a patch that decodes
// must survive a MarshalJSON round trip.
func FuzzApply(f *testing.F) {
	for _, file := range []string{"tests.json", "spec_tests.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		var recs []record
		if err := json.Unmarshal(data, &recs); err != nil {
			f.Fatal(err)
		}
		for _, r := range recs {
			f.Add([]byte(r.Doc), []byte(r.Patch))
		}
	}
	f.Add([]byte(`{"a":{"b":[1,2]}}`), []byte(`[{"op":"copy","from":"","path":"/a/b/0"},{"op":"move","from":"/a","path":"/z"}]`))
	f.Add([]byte(`[1e999999,-0,0.1]`), []byte(`[{"op":"test","path":"/0","value":10e999998}]`))

	kinds := []error{ErrMalformedPatch, ErrInvalidDocument, ErrPath, ErrTestFailed, ErrRefused, ErrTooLarge}
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		v, docErr := DecodeDocument(doc)
		out, err := Apply(doc, patch)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			known := false
			for _, k := range kinds {
				known = known || errors.Is(err, k)
			}
			if !known {
				t.Fatalf("error of unknown kind: %v", err)
			}
			_ = e.Error()
		} else if _, derr := DecodeDocument(out); derr != nil {
			t.Fatalf("result %q is not JSON: %v", out, derr)
		}
		p, perr := DecodePatch(patch)
		if perr != nil || docErr != nil {
			return
		}
		before, _ := DecodeDocument(doc)
		// A checker that refuses every second operation exercises the
		// refusal path too.
		if got, res, err := trackedSize(mustDecode(t, string(doc)), p); err == nil && got != valueSize(res) {
			t.Fatalf("tracked size %d, the result's is %d", got, valueSize(res))
		}
		for _, opts := range []Options{{}, {MaxCopyNodes: 8}, {MaxSize: 64}, {Check: func(i int, _ Operation) error {
			if i%2 == 1 {
				return errors.New("odd")
			}
			return nil
		}}} {
			res, err := p.ApplyValue(v, opts)
			if !Equal(v, before) {
				t.Fatalf("input modified (err %v)", err)
			}
			if err == nil && opts.Check == nil && opts.MaxCopyNodes == 0 && opts.MaxSize == 0 {
				if got, _ := DecodeDocument(out); !Equal(got, res) {
					t.Fatalf("Apply and ApplyValue disagree: %s vs %v", out, res)
				}
			}
		}
		enc, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal patch: %v", err)
		}
		q, err := DecodePatch(enc)
		if err != nil || len(q) != len(p) {
			t.Fatalf("patch round trip %s: %v", enc, err)
		}
		for i := range p {
			if p[i].Op != q[i].Op || p[i].Path != q[i].Path || p[i].hasValue() != q[i].hasValue() || !Equal(p[i].Value, q[i].Value) {
				t.Fatalf("operation %d changed in round trip: %+v vs %+v", i, p[i], q[i])
			}
		}
	})
}
