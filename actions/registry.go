// Package actions holds the WHMCS API actions whmcsemu emulates: one request
// struct and one handler per action, grouped in files by WHMCS category, and
// the static table that finds them by name. It knows no net/http: a handler
// sees a context, the Env and its decoded parameters, so the same code serves
// the HTTP endpoint, the local API and tests.
package actions

import (
	"context"
	"net/url"
	"reflect"
	"strings"

	"github.com/gorilla/schema"
)

// Action is one API action.
type Action struct {
	Name string // as WHMCS documents it, e.g. "CreateOAuthCredential"
	run  func(ctx context.Context, env *Env, params url.Values) (any, error)
}

// Run decodes params into the action's request and runs its handler. The
// result is a response struct whose first field is result.
func (a *Action) Run(ctx context.Context, env *Env, params url.Values) (any, error) {
	return a.run(ctx, env, params)
}

// handle makes an Action from a typed handler. Req is decoded from the
// parameters by the shared decoder (struct tags `schema:"name"`).
func handle[Req any](name string, h func(context.Context, *Env, *Req) (any, error)) *Action {
	return &Action{
		Name: name,
		run: func(ctx context.Context, env *Env, params url.Values) (any, error) {
			req := new(Req)
			// With IgnoreUnknownKeys and converters that accept any text the
			// way PHP does, decoding cannot fail on a value; what remains are
			// odd keys (a.b.c paths), which WHMCS ignores too.
			_ = decoder.Decode(req, params)
			return h(ctx, env, req)
		},
	}
}

// table is every emulated action, by normalised name.
var table = index(
	handle("CreateOAuthCredential", createOAuthCredential),
	handle("ListOAuthCredentials", listOAuthCredentials),
	handle("UpdateOAuthCredential", updateOAuthCredential),
	handle("DeleteOAuthCredential", deleteOAuthCredential),
	handle("CreateSsoToken", createSsoToken),
	handle("ValidateLogin", validateLogin),
)

func index(list ...*Action) map[string]*Action {
	m := make(map[string]*Action, len(list))
	for _, a := range list {
		key := Normalize(a.Name)
		if _, dup := m[key]; dup {
			panic("actions: " + a.Name + " registered twice")
		}
		if !documented[key] {
			panic("actions: " + a.Name + " is not a documented WHMCS action")
		}
		m[key] = a
	}
	return m
}

// Lookup finds an action by its normalised name or alias.
func Lookup(normalized string) (*Action, bool) {
	if to, ok := aliases[normalized]; ok {
		normalized = to
	}
	a, ok := table[normalized]
	return a, ok
}

// Emulated returns the documented names of every emulated action.
func Emulated() []string {
	out := make([]string, 0, len(table))
	for _, a := range table {
		out = append(out, a.Name)
	}
	return out
}

// decoder is shared: gorilla/schema caches each request struct's layout.
var decoder = newDecoder()

func newDecoder() *schema.Decoder {
	d := schema.NewDecoder()
	d.IgnoreUnknownKeys(true)
	d.MaxSize(1000) // PHP's max_input_vars
	d.RegisterConverter(int64(0), func(s string) reflect.Value { return reflect.ValueOf(IntVal(s)) })
	d.RegisterConverter(int(0), func(s string) reflect.Value { return reflect.ValueOf(int(IntVal(s))) })
	d.RegisterConverter(false, func(s string) reflect.Value { return reflect.ValueOf(Truthy(s)) })
	return d
}

// IntVal reads an integer as PHP's (int) cast does: leading white space, an
// optional sign and the digits that follow; anything else gives 0.
func IntVal(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n int64
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := int64(s[i] - '0')
		if n > (1<<63-1-d)/10 { // PHP saturates on overflow
			if neg {
				return -1 << 63
			}
			return 1<<63 - 1
		}
		n = n*10 + d
	}
	if neg {
		return -n
	}
	return n
}

// Truthy is PHP's truthiness of a request value: "" and "0" are false,
// everything else ("false" and "off" included) is true.
func Truthy(s string) bool { return s != "" && s != "0" }
