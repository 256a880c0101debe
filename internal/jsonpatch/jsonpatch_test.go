package jsonpatch

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// record is one entry of the json-patch-tests conformance suite
// (testdata/SOURCE.md). The patch stays raw so DecodePatch sees exactly the
// bytes of the file, duplicate members included.
type record struct {
	Comment  string          `json:"comment"`
	Doc      json.RawMessage `json:"doc"`
	Patch    json.RawMessage `json:"patch"`
	Expected json.RawMessage `json:"expected"`
	Error    *string         `json:"error"`
	Disabled bool            `json:"disabled"`
}

func loadSuite(t *testing.T, name string) []record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

func mustDecode(t testing.TB, s string) any {
	t.Helper()
	v, err := DecodeDocument([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

// runRecord applies one record and returns why it failed, or "" if it
// behaved as the record says. Besides the result it checks atomicity: the
// decoded input document must be unchanged afterwards, success or not.
func runRecord(t *testing.T, r record) string {
	doc := mustDecode(t, string(r.Doc))
	before := mustDecode(t, string(r.Doc))
	var out any
	p, err := DecodePatch(r.Patch)
	if err == nil {
		out, err = p.ApplyValue(doc, Options{})
	}
	if !Equal(doc, before) {
		return "the input document was modified"
	}
	// The byte API must agree with the value API.
	outBytes, errBytes := Apply(r.Doc, r.Patch)
	if (err == nil) != (errBytes == nil) {
		return fmt.Sprintf("Apply and ApplyValue disagree: %v vs %v", errBytes, err)
	}
	switch {
	case r.Error != nil:
		if err == nil {
			return fmt.Sprintf("want error %q, got success", *r.Error)
		}
		var e *Error
		if !errors.As(err, &e) {
			return fmt.Sprintf("error is %T, not *Error: %v", err, err)
		}
		t.Logf("refused as expected (%s): %v", *r.Error, err)
	case r.Expected != nil:
		if err != nil {
			return fmt.Sprintf("unexpected error: %v", err)
		}
		want := mustDecode(t, string(r.Expected))
		if !Equal(out, want) {
			return fmt.Sprintf("got %v, want %s", out, r.Expected)
		}
		if !Equal(mustDecode(t, string(outBytes)), want) {
			return fmt.Sprintf("Apply gave %s, want %s", outBytes, r.Expected)
		}
	default: // a record with neither: the patch must simply apply
		if err != nil {
			return fmt.Sprintf("unexpected error: %v", err)
		}
	}
	return ""
}

// TestConformanceSuite runs every non-disabled record of both suite files;
// each must behave exactly as recorded.
func TestConformanceSuite(t *testing.T) {
	for _, file := range []string{"tests.json", "spec_tests.json"} {
		t.Run(file, func(t *testing.T) {
			recs := loadSuite(t, file)
			pass, fail, disabled := 0, 0, 0
			for i, r := range recs {
				name := fmt.Sprintf("%03d_%s", i, r.Comment)
				if r.Disabled {
					disabled++
					continue
				}
				t.Run(name, func(t *testing.T) {
					if why := runRecord(t, r); why != "" {
						fail++
						t.Errorf("record %d (%s): %s", i, r.Comment, why)
						return
					}
					pass++
				})
			}
			t.Logf("%s: %d records, %d passed, %d failed, %d disabled (skipped)", file, len(recs), pass, fail, disabled)
			if pass+disabled != len(recs) {
				t.Errorf("%s: only %d of %d active records pass", file, pass, len(recs)-disabled)
			}
		})
	}
}

// TestDisabledRecords documents what the package does with the records the
// suite disables, which other implementations are not required to pass.
// This one passes all four: the disabled status is upstream's, not ours.
func TestDisabledRecords(t *testing.T) {
	checked := 0
	for _, file := range []string{"tests.json", "spec_tests.json"} {
		for i, r := range loadSuite(t, file) {
			if !r.Disabled {
				continue
			}
			checked++
			if why := runRecord(t, r); why != "" {
				t.Errorf("%s record %d (%s): %s", file, i, r.Comment, why)
			}
		}
	}
	if checked != 4 {
		t.Errorf("expected 4 disabled records, found %d", checked)
	}
}

func TestParsePointer(t *testing.T) {
	good := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"/", []string{""}},
		{"//", []string{"", ""}},
		{"/foo/0", []string{"foo", "0"}},
		{"/a~1b", []string{"a/b"}},
		{"/m~0n", []string{"m~n"}},
		{"/~01", []string{"~1"}},
		{"/~10", []string{"/0"}},
		{"/c%d", []string{"c%d"}},
		{"/-", []string{"-"}},
	}
	for _, c := range good {
		p, err := ParsePointer(c.in)
		if err != nil {
			t.Errorf("ParsePointer(%q): %v", c.in, err)
			continue
		}
		if fmt.Sprint([]string(p)) != fmt.Sprint(c.want) || len(p) != len(c.want) {
			t.Errorf("ParsePointer(%q) = %q, want %q", c.in, []string(p), c.want)
		}
		if p.String() != c.in {
			t.Errorf("ParsePointer(%q).String() = %q", c.in, p.String())
		}
	}
	for _, in := range []string{"foo", "~0", "/~", "/~2", "/a~", " /a", "#/a"} {
		if _, err := ParsePointer(in); err == nil {
			t.Errorf("ParsePointer(%q) succeeded, want error", in)
		}
	}
}

// TestErrorKinds checks that each kind of failure can be told apart with
// errors.Is, and that the input is untouched in every case.
func TestErrorKinds(t *testing.T) {
	const doc = `{"a":[1,2,3],"o":{"k":"v"},"n":null}`
	cases := []struct {
		patch string
		kind  error
	}{
		{`{}`, ErrMalformedPatch},
		{`[1]`, ErrMalformedPatch},
		{`[{"op":"add","path":"/x"}]`, ErrMalformedPatch},                         // missing value
		{`[{"op":"replace","path":"/a/0"}]`, ErrMalformedPatch},                   // missing value
		{`[{"op":"test","path":"/n"}]`, ErrMalformedPatch},                        // missing value on a null target
		{`[{"op":"move","path":"/x"}]`, ErrMalformedPatch},                        // missing from
		{`[{"op":"copy","path":"/x","from":null}]`, ErrMalformedPatch},            // from must be a string
		{`[{"op":"add","value":1}]`, ErrMalformedPatch},                           // missing path
		{`[{"op":"add","path":null,"value":1}]`, ErrMalformedPatch},               // null path
		{`[{"op":"add","path":"x","value":1}]`, ErrMalformedPatch},                // no leading slash
		{`[{"op":"add","path":"/~2","value":1}]`, ErrMalformedPatch},              // bad escape
		{`[{"op":"frobnicate","path":"/x"}]`, ErrMalformedPatch},                  // unknown op
		{`[{"path":"/x","value":1}]`, ErrMalformedPatch},                          // missing op
		{`[{"op":"add","op":"remove","path":"/x","value":1}]`, ErrMalformedPatch}, // duplicate op
		{`[{"op":"add","path":"/x","value":1,"value":2}]`, ErrMalformedPatch},     // duplicate value
		{`[] []`, ErrMalformedPatch},                                              // trailing data
		{`[{"op":"add","path":"/a/01","value":1}]`, ErrPath},                      // leading zero
		{`[{"op":"test","path":"/a/00","value":1}]`, ErrPath},                     // leading zero
		{`[{"op":"add","path":"/a/-1","value":1}]`, ErrPath},                      // negative index
		{`[{"op":"remove","path":"/a/-1"}]`, ErrPath},                             // negative index
		{`[{"op":"replace","path":"/a/-","value":1}]`, ErrPath},                   // "-" names no element
		{`[{"op":"remove","path":"/a/3"}]`, ErrPath},                              // out of range
		{`[{"op":"add","path":"/a/4","value":1}]`, ErrPath},                       // beyond the end
		{`[{"op":"add","path":"/a/99999999999999999999999","value":1}]`, ErrPath}, // overflow
		{`[{"op":"add","path":"/missing/x","value":1}]`, ErrPath},                 // parents are not created
		{`[{"op":"add","path":"/o/k/x","value":1}]`, ErrPath},                     // into a string
		{`[{"op":"remove","path":""}]`, ErrPath},                                  // the root
		{`[{"op":"move","from":"/o","path":"/o/k2"}]`, ErrPath},                   // into own child
		{`[{"op":"copy","from":"/nope","path":"/x"}]`, ErrPath},                   // missing from
		{`[{"op":"test","path":"/nope","value":1}]`, ErrPath},                     // missing target
		{`[{"op":"test","path":"/a/0","value":"1"}]`, ErrTestFailed},              // string is not number
		{`[{"op":"test","path":"/n","value":false}]`, ErrTestFailed},              // null is not false
		{`[{"op":"test","path":"/o","value":{"k":"v","x":1}}]`, ErrTestFailed},    // extra member
	}
	for _, c := range cases {
		v := mustDecode(t, doc)
		_, err := func() (any, error) {
			p, err := DecodePatch([]byte(c.patch))
			if err != nil {
				return nil, err
			}
			return p.ApplyValue(v, Options{})
		}()
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: got %v, want kind %v", c.patch, err, c.kind)
		}
		if !Equal(v, mustDecode(t, doc)) {
			t.Errorf("%s: input modified", c.patch)
		}
		if _, err2 := Apply([]byte(doc), []byte(c.patch)); !errors.Is(err2, c.kind) {
			t.Errorf("Apply %s: got %v, want kind %v", c.patch, err2, c.kind)
		}
	}
	if _, err := Apply([]byte(`{"a":`), []byte(`[]`)); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("bad document: got %v", err)
	}
}

func TestErrorNamesOperation(t *testing.T) {
	_, err := Apply([]byte(`{"a":1}`), []byte(`[{"op":"test","path":"/a","value":1},{"op":"remove","path":"/b"}]`))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v", err)
	}
	if e.Index != 1 || e.Op != "remove" || e.Member != "path" || e.Pointer != "/b" {
		t.Errorf("got %+v", e)
	}
	if !strings.Contains(err.Error(), "operation 1 (remove)") {
		t.Errorf("message %q does not name the operation", err)
	}
}

// TestAtomic: a patch whose last operation fails must leave no trace of the
// earlier ones, in the caller's value nor in the result.
func TestAtomic(t *testing.T) {
	v := mustDecode(t, `{"name":"x","list":[1,2],"obj":{"a":1}}`)
	p, err := DecodePatch([]byte(`[
		{"op":"replace","path":"/name","value":"y"},
		{"op":"add","path":"/list/-","value":3},
		{"op":"remove","path":"/list/0"},
		{"op":"move","from":"/obj/a","path":"/moved"},
		{"op":"test","path":"/name","value":"x"}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.ApplyValue(v, Options{})
	if !errors.Is(err, ErrTestFailed) || out != nil {
		t.Fatalf("got %v, %v", out, err)
	}
	if !Equal(v, mustDecode(t, `{"name":"x","list":[1,2],"obj":{"a":1}}`)) {
		t.Fatalf("input modified: %v", v)
	}
}

// TestNoAliasing: the result shares nothing with the input or the patch.
func TestNoAliasing(t *testing.T) {
	v := mustDecode(t, `{"a":{"b":[1]}}`)
	p, _ := DecodePatch([]byte(`[{"op":"add","path":"/v","value":{"x":[1]}},{"op":"copy","from":"/a","path":"/c"}]`))
	out, err := p.ApplyValue(v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := out.(map[string]any)
	m["v"].(map[string]any)["x"].([]any)[0] = "changed"
	m["a"].(map[string]any)["b"].([]any)[0] = "changed"
	m["c"].(map[string]any)["b"] = "changed"
	if !Equal(v, mustDecode(t, `{"a":{"b":[1]}}`)) {
		t.Errorf("input changed through the result: %v", v)
	}
	if !Equal(p[0].Value, mustDecode(t, `{"x":[1]}`)) {
		t.Errorf("patch changed through the result: %v", p[0].Value)
	}
	// Applying the same Patch again gives the same result.
	out2, err := p.ApplyValue(v, Options{})
	if err != nil || !Equal(out2, mustDecode(t, `{"a":{"b":[1]},"v":{"x":[1]},"c":{"b":[1]}}`)) {
		t.Errorf("second application: %v, %v", out2, err)
	}
}

func TestNullsAndFrom(t *testing.T) {
	cases := []struct{ doc, patch, want string }{
		{`{}`, `[{"op":"add","path":"/a","value":null}]`, `{"a":null}`},
		{`{"a":1}`, `[{"op":"replace","path":"/a","value":null}]`, `{"a":null}`},
		{`{"a":null}`, `[{"op":"test","path":"/a","value":null}]`, `{"a":null}`},
		{`[null]`, `[{"op":"test","path":"/0","value":null}]`, `[null]`},
		{`{"a":null}`, `[{"op":"move","from":"/a","path":"/b"}]`, `{"b":null}`},
		{`{"a":null}`, `[{"op":"copy","from":"/a","path":"/b"}]`, `{"a":null,"b":null}`},
		{`{"a":[1,2,3]}`, `[{"op":"move","from":"/a/0","path":"/a/-"}]`, `{"a":[2,3,1]}`},
		{`{"a":{"b":1}}`, `[{"op":"copy","from":"","path":"/a/c"}]`, `{"a":{"b":1,"c":{"a":{"b":1}}}}`},
		{`{"a":{"b":1}}`, `[{"op":"move","from":"/a","path":""}]`, `{"b":1}`},
		{`{"a":1}`, `[{"op":"move","from":"","path":""}]`, `{"a":1}`},
		{`null`, `[{"op":"add","path":"","value":{"x":1}}]`, `{"x":1}`},
		{`{"a":1}`, `[{"op":"add","path":"/b","value":2,"from":"/ignored","extra":[1]}]`, `{"a":1,"b":2}`},
	}
	for _, c := range cases {
		out, err := Apply([]byte(c.doc), []byte(c.patch))
		if err != nil {
			t.Errorf("%s on %s: %v", c.patch, c.doc, err)
			continue
		}
		if !Equal(mustDecode(t, string(out)), mustDecode(t, c.want)) {
			t.Errorf("%s on %s = %s, want %s", c.patch, c.doc, out, c.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	// Integers beyond float64's exact range survive a patch.
	out, err := Apply([]byte(`{"id":9007199254740993,"f":1.50}`), []byte(`[{"op":"add","path":"/big","value":12345678901234567890123}]`))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"big":12345678901234567890123,"f":1.50,"id":9007199254740993}` {
		t.Errorf("got %s", out)
	}
	eq := [][2]any{
		{json.Number("1"), json.Number("1.0")},
		{json.Number("1"), json.Number("1e0")},
		{json.Number("100"), json.Number("1E2")},
		{json.Number("0.5"), json.Number("5e-1")},
		{json.Number("-0"), json.Number("0")},
		{json.Number("0"), json.Number("0.000e10")},
		{json.Number("1"), 1.0},
		{json.Number("3"), 3},
		{json.Number("1e400"), json.Number("10e399")},
		{json.Number("9007199254740993"), json.Number("9007199254740993.000")},
	}
	for _, c := range eq {
		if !Equal(c[0], c[1]) || !Equal(c[1], c[0]) {
			t.Errorf("%v and %v should be equal", c[0], c[1])
		}
	}
	ne := [][2]any{
		{json.Number("1"), json.Number("-1")},
		{json.Number("1"), "1"},
		{json.Number("9007199254740993"), json.Number("9007199254740992")},
		{json.Number("1e400"), json.Number("1e401")},
		{json.Number("0"), false},
		{nil, false},
		{[]any{}, map[string]any{}},
	}
	for _, c := range ne {
		if Equal(c[0], c[1]) || Equal(c[1], c[0]) {
			t.Errorf("%v and %v should differ", c[0], c[1])
		}
	}
	// A huge exponent compares without being expanded.
	if Equal(json.Number("1e999999999999"), json.Number("1e999999999998")) {
		t.Error("huge exponents compared equal")
	}
}

func TestAllowTopLevel(t *testing.T) {
	opts := Options{Check: AllowTopLevel("name", "redirectUris", "enabled")}
	doc := []byte(`{"name":"n","redirectUris":["https://a"],"enabled":true,"secret":"s","scope":["x"]}`)
	ok := []string{
		`[{"op":"replace","path":"/name","value":"m"}]`,
		`[{"op":"add","path":"/redirectUris/-","value":"https://b"}]`,
		`[{"op":"copy","from":"/name","path":"/redirectUris/0"}]`,
		`[{"op":"replace","path":"/enabled","value":false,"from":"/secret"}]`, // from ignored by replace
	}
	for _, p := range ok {
		if _, err := ApplyWithOptions(doc, []byte(p), opts); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	refused := []struct{ patch, member, field string }{
		{`[{"op":"replace","path":"/secret","value":"x"}]`, "path", "secret"},
		{`[{"op":"remove","path":"/scope/0"}]`, "path", "scope"},
		{`[{"op":"replace","path":"","value":{}}]`, "path", ""},
		{`[{"op":"copy","from":"/secret","path":"/name"}]`, "from", "secret"},
		{`[{"op":"move","from":"/scope","path":"/redirectUris"}]`, "from", "scope"},
		{`[{"op":"test","path":"/name","value":"n"},{"op":"add","path":"/tenant","value":"t"}]`, "path", "tenant"},
	}
	for _, c := range refused {
		_, err := ApplyWithOptions(doc, []byte(c.patch), opts)
		var fe *FieldError
		if !errors.Is(err, ErrRefused) || !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a refused FieldError", c.patch, err)
			continue
		}
		if fe.Member != c.member || fe.Field != c.field {
			t.Errorf("%s: got %+v", c.patch, fe)
		}
	}
	// A refusal comes before anything is applied, even when the refused
	// operation is not the first.
	var calls []int
	_, err := ApplyWithOptions(doc, []byte(`[{"op":"remove","path":"/nope"},{"op":"remove","path":"/name"}]`), Options{
		Check: func(i int, op Operation) error { calls = append(calls, i); return nil },
	})
	if !errors.Is(err, ErrPath) || fmt.Sprint(calls) != "[0 1]" {
		t.Errorf("check calls %v, err %v", calls, err)
	}
}

func TestCopyLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`[`)
	for i := 0; i < 60; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"op":"copy","from":"","path":"/-"}`) // doubles the array
	}
	b.WriteString(`]`)
	_, err := Apply([]byte(`[1]`), []byte(b.String()))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	_, err = ApplyWithOptions([]byte(`{"a":[1,2,3]}`), []byte(`[{"op":"copy","from":"/a","path":"/b"}]`), Options{MaxCopyNodes: 3})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge with a limit of 3", err)
	}
	if _, err = ApplyWithOptions([]byte(`{"a":[1,2,3]}`), []byte(`[{"op":"copy","from":"/a","path":"/b"}]`), Options{MaxCopyNodes: 4}); err != nil {
		t.Errorf("limit 4: %v", err)
	}
}

func TestOperationJSON(t *testing.T) {
	src := `[{"op":"add","path":"/a","value":null},{"op":"remove","path":"/b"},{"op":"move","from":"","path":"/c"},{"op":"test","path":"/d","value":1.0}]`
	var p Patch
	if err := json.Unmarshal([]byte(src), &p); err != nil {
		t.Fatal(err)
	}
	if !p[0].HasValue || p[0].Value != nil || p[1].HasValue || !p[2].HasFrom {
		t.Fatalf("presence flags wrong: %+v", p)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != src {
		t.Errorf("round trip:\n got %s\nwant %s", out, src)
	}
	if err := json.Unmarshal([]byte(`[{"op":"add","path":"/a"}]`), &p); !errors.Is(err, ErrMalformedPatch) {
		t.Errorf("got %v", err)
	}
	// Operations written in Go need no flags for non-null values.
	q := Patch{{Op: OpAdd, Path: "/x", Value: 1}, {Op: OpCopy, From: "/x", Path: "/y"}}
	v, err := q.ApplyValue(map[string]any{}, Options{})
	if err != nil || !Equal(v, map[string]any{"x": 1, "y": 1}) {
		t.Errorf("got %v, %v", v, err)
	}
	if _, err := (Patch{{Op: OpAdd, Path: "/x", Value: make(chan int)}}).ApplyValue(map[string]any{}, Options{}); !errors.Is(err, ErrMalformedPatch) {
		t.Errorf("non-JSON value: got %v", err)
	}
	if _, err := (Patch{}).ApplyValue(map[string]any{"c": make(chan int)}, Options{}); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("non-JSON document: got %v", err)
	}
}

// TestSizeLimit reproduces the SailPoint report: one 100 kB string copied
// 3000 times would make a 300 MB document out of a 300 kB patch. The copy
// budget counts values, not bytes, so only the size limit stops it.
func TestSizeLimit(t *testing.T) {
	big := strings.Repeat("x", 100_000)
	var b strings.Builder
	b.WriteString(`[{"op":"add","path":"/a/-","value":"` + big + `"}`)
	for i := 0; i < 3000; i++ {
		b.WriteString(`,{"op":"copy","from":"/a/0","path":"/a/-"}`)
	}
	b.WriteString(`]`)
	_, err := Apply([]byte(`{"a":[]}`), []byte(b.String()))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("default options: got %v, want ErrTooLarge", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != OpCopy {
		t.Errorf("the error should name the copy that crossed the limit: %v", err)
	}

	_, err = ApplyWithOptions([]byte(`{"a":[]}`), []byte(b.String()), Options{MaxSize: 1 << 20})
	if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) || e.Index != 10 {
		t.Fatalf("a 1 MiB limit should stop at the tenth copy (operation 10), got %v", err)
	}

	// The limit applies to the document as it is after each operation:
	// growing past it and shrinking back is refused, staying under it
	// is not, and removing from a document already over it is allowed.
	doc := []byte(`{"a":"` + strings.Repeat("y", 50) + `"}`) // 59 bytes as counted
	for _, tt := range []struct {
		patch string
		max   int64
		ok    bool
	}{
		{`[{"op":"copy","from":"/a","path":"/b"}]`, 120, true},  // 59 + 57 = 116
		{`[{"op":"copy","from":"/a","path":"/b"}]`, 100, false}, // 116 > 100
		{`[{"op":"copy","from":"/a","path":"/b"},{"op":"remove","path":"/b"}]`, 100, false},
		{`[{"op":"replace","path":"/a","value":"z"},{"op":"copy","from":"/a","path":"/b"}]`, 20, true},
		{`[{"op":"move","from":"/a","path":"/b"}]`, 58, true}, // over already, but not growing
		{`[{"op":"add","path":"/a","value":"` + strings.Repeat("y", 51) + `"}]`, 58, false},
		{`[{"op":"remove","path":"/a"}]`, 10, true},
		{`[{"op":"test","path":"/a","value":"` + strings.Repeat("y", 50) + `"}]`, 10, true},
		{`[{"op":"copy","from":"/a","path":"/b"}]`, -1, true},
	} {
		_, err := ApplyWithOptions(doc, []byte(tt.patch), Options{MaxSize: tt.max})
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s with MaxSize %d: %v", tt.patch, tt.max, err)
		}
	}
}

// TestDocumentSize checks the size accounting against the encoder on
// documents without characters that need escaping: the tracked size is the
// compact encoding's length plus one comma per non-empty container.
func TestDocumentSize(t *testing.T) {
	for _, s := range []string{`null`, `true`, `"abc"`, `12.5e3`, `[]`, `{}`, `[1,2,[3]]`, `{"a":{"bc":[true,null]},"d":"e"}`} {
		v := mustDecode(t, s)
		want := int64(len(s)) + int64(nonEmptyContainers(v))
		if got := valueSize(v); got != want {
			t.Errorf("valueSize(%s) = %d, want %d", s, got, want)
		}
	}
}

func nonEmptyContainers(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 0 {
			n++
		}
		for _, e := range x {
			n += nonEmptyContainers(e)
		}
	case []any:
		if len(x) > 0 {
			n++
		}
		for _, e := range x {
			n += nonEmptyContainers(e)
		}
	}
	return n
}

// trackedSize applies p to doc (which it modifies) operation by operation
// with a size tracker and returns the size the tracker ended with, the
// result and any error.
func trackedSize(doc any, p Patch) (int64, any, error) {
	s := &sizer{limit: 1 << 62, size: valueSize(doc)}
	for i, op := range p {
		next, err := applyOne(doc, i, op, nil, s)
		if err != nil {
			return 0, nil, err
		}
		doc = next
	}
	return s.size, doc, nil
}

// TestSizeTracking checks, on every record of the conformance suite that
// applies, that the size kept operation by operation is the size of the
// result measured afresh: the increments for add, remove, replace, move
// and copy (into objects, arrays and the root) add up.
func TestSizeTracking(t *testing.T) {
	checked := 0
	for _, file := range []string{"tests.json", "spec_tests.json"} {
		for i, r := range loadSuite(t, file) {
			p, err := DecodePatch(r.Patch)
			if err != nil || p.Validate() != nil {
				continue
			}
			got, out, err := trackedSize(mustDecode(t, string(r.Doc)), p)
			if err != nil {
				continue
			}
			checked++
			if want := valueSize(out); got != want {
				t.Errorf("%s record %d (%s): tracked %d bytes, the result has %d", file, i, r.Comment, got, want)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d records checked", checked)
	}
}
