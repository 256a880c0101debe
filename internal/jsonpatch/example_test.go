package jsonpatch_test

import (
	"errors"
	"fmt"

	"github.com/whmcsemu/whmcsemu/internal/jsonpatch"
)

func ExampleApply() {
	doc := []byte(`{"name":"ci","enabled":true,"redirectUris":["https://a.example"],"id":9007199254740993}`)
	patch := []byte(`[
		{"op":"test","path":"/enabled","value":true},
		{"op":"replace","path":"/enabled","value":false},
		{"op":"add","path":"/redirectUris/-","value":"https://b.example"},
		{"op":"add","path":"/description","value":null}
	]`)
	out, err := jsonpatch.Apply(doc, patch)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"description":null,"enabled":false,"id":9007199254740993,"name":"ci","redirectUris":["https://a.example","https://b.example"]}
}

// A caller tells a malformed patch from one that does not apply with
// errors.Is, and the error names the operation.
func ExampleError() {
	doc := []byte(`{"list":["a","b"]}`)
	for _, patch := range []string{
		`[{"op":"add","path":"/list/-"}]`,
		`[{"op":"remove","path":"/list/01"}]`,
		`[{"op":"test","path":"/list/0","value":"z"}]`,
	} {
		_, err := jsonpatch.Apply(doc, []byte(patch))
		switch {
		case errors.Is(err, jsonpatch.ErrMalformedPatch):
			fmt.Println("400:", err)
		case errors.Is(err, jsonpatch.ErrPath):
			fmt.Println("409:", err)
		case errors.Is(err, jsonpatch.ErrTestFailed):
			fmt.Println("412:", err)
		}
	}
	// Output:
	// 400: jsonpatch: malformed patch: operation 0 (add): missing "value", which add requires (write "value": null for null)
	// 409: jsonpatch: path cannot be applied: operation 0 (remove): path "/list/01": in "/list": array index "01" has a leading zero
	// 412: jsonpatch: test failed: operation 0 (test): path "/list/0": the value there is not the one the test expects
}

// Options.Check restricts what a patch may touch, before anything is
// applied; the checker's own error comes back through errors.As.
func ExampleAllowTopLevel() {
	opts := jsonpatch.Options{Check: jsonpatch.AllowTopLevel("name", "description")}
	doc := []byte(`{"name":"n","description":"d","secret":"s"}`)

	_, err := jsonpatch.ApplyWithOptions(doc, []byte(`[
		{"op":"replace","path":"/name","value":"m"},
		{"op":"copy","from":"/secret","path":"/description"}
	]`), opts)
	var fe *jsonpatch.FieldError
	if errors.Is(err, jsonpatch.ErrRefused) && errors.As(err, &fe) {
		fmt.Printf("refused: operation %d, %s names %q\n", fe.Index, fe.Member, fe.Field)
	}
	// Output:
	// refused: operation 1, from names "secret"
}

func ExampleParsePointer() {
	p, _ := jsonpatch.ParsePointer("/a~1b/~01/0")
	fmt.Printf("%q %s\n", []string(p), p)
	// Output:
	// ["a/b" "~1" "0"] /a~1b/~01/0
}
