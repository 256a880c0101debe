package whmcsemu

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/whmcsemu/whmcsemu/actions"
)

// Responses are structs (result first, keys in WHMCS's order, named by
// their json tags), slices, strings, numbers, booleans and nil. The three
// encoders below walk them the same way: JSON as PHP's json_encode writes
// it with WHMCS's flags, XML as WHMCS's <whmcsapi> document, and NVP.

// field is one encoded struct field; index is its path through embedded
// structs, as reflect.Value.FieldByIndex takes it.
type field struct {
	name      string
	index     []int
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type → []field

func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	out := appendFields(nil, t, nil)
	fieldCache.Store(t, out)
	return out
}

// appendFields appends t's encoded fields. An embedded struct without a
// json name has its fields put in its place, in order, as encoding/json
// does, so that response structs can share a header (the actions' result
// and list counts); the names must not repeat.
func appendFields(out []field, t reflect.Type, prefix []int) []field {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		index := append(prefix[:len(prefix):len(prefix)], i)
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			out = appendFields(out, sf.Type, index)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, field{name: name, index: index, omitEmpty: opts == "omitempty"})
	}
	return out
}

// orderedType is actions.Ordered: an object whose keys keep their order.
var orderedType = reflect.TypeFor[actions.Ordered]()

// isObject reports whether v is written as an object: a struct, a map or
// an actions.Ordered.
func isObject(v reflect.Value) bool {
	return v.Kind() == reflect.Struct || v.Kind() == reflect.Map || v.Type() == orderedType
}

// members calls fn for each key and value of a struct, string-keyed map
// or actions.Ordered, in order (struct order, sorted map keys, or the
// order given), skipping empty omitempty fields.
func members(v reflect.Value, fn func(key string, v reflect.Value)) {
	if v.IsValid() && v.Type() == orderedType {
		for _, kv := range v.Interface().(actions.Ordered) {
			fn(kv.Key, reflect.ValueOf(&kv.Value).Elem())
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			fv := v.FieldByIndex(f.index)
			if f.omitEmpty && fv.IsZero() {
				continue
			}
			fn(f.name, fv)
		}
	case reflect.Map:
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		for _, k := range keys {
			fn(k, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
		}
	}
}

// wireType is actions.Wire: a value whose kind the emulated WHMCS version
// chooses (actions.Int, a number or a string) is written as what its
// WireValue returns, in every response type.
var wireType = reflect.TypeFor[actions.Wire]()

// deref follows pointers and interfaces and replaces an actions.Wire by
// its value; it returns an invalid Value for nil.
func deref(v reflect.Value) reflect.Value {
	for {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		case reflect.Struct:
			if !v.Type().Implements(wireType) || !v.CanInterface() {
				return v
			}
			v = reflect.ValueOf(v.Interface().(actions.Wire).WireValue())
		default:
			return v
		}
	}
}

// appendJSON writes v as PHP's json_encode does with the flags WHMCS uses
// (JSON_HEX_TAG, JSON_HEX_AMP, JSON_HEX_APOS, JSON_HEX_QUOT,
// JSON_UNESCAPED_SLASHES): every character outside ASCII as \uXXXX.
func appendJSON(b []byte, v reflect.Value) []byte {
	v = deref(v)
	switch v.Kind() {
	case reflect.Invalid:
		return append(b, "null"...)
	case reflect.String:
		return appendJSONString(b, v.String())
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.AppendFloat(b, v.Float(), 'f', -1, 64)
	case reflect.Slice, reflect.Array:
		if v.Type() == orderedType {
			return appendJSONObject(b, v)
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, v.Index(i))
		}
		return append(b, ']')
	case reflect.Struct, reflect.Map:
		return appendJSONObject(b, v)
	}
	return append(b, "null"...)
}

// appendJSONObject writes a struct, map or actions.Ordered as an object;
// an empty map or Ordered as [], PHP's empty array.
func appendJSONObject(b []byte, v reflect.Value) []byte {
	if v.Kind() != reflect.Struct && v.Len() == 0 {
		return append(b, "[]"...) // PHP's empty array
	}
	b = append(b, '{')
	first := true
	members(v, func(key string, fv reflect.Value) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, key)
		b = append(b, ':')
		b = appendJSON(b, fv)
	})
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes written as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = !strings.ContainsRune(`"\<>&'`, rune(c))
	}
	return t
}()

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && jsonSafe[c] {
			// Copy the run of bytes that need no escape in one go.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && jsonSafe[s[j]] {
				j++
			}
			b = append(b, s[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '"':
				b = append(b, `\u0022`...)
			case '\\':
				b = append(b, `\\`...)
			case '<':
				b = append(b, `\u003C`...)
			case '>':
				b = append(b, `\u003E`...)
			case '&':
				b = append(b, `\u0026`...)
			case '\'':
				b = append(b, `\u0027`...)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				if c < 0x20 {
					b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
				} else {
					b = append(b, c)
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size // invalid UTF-8 arrives here as U+FFFD, size 1
		if r >= 0x10000 {
			r -= 0x10000
			b = appendU(b, 0xD800+(r>>10))
			b = appendU(b, 0xDC00+(r&0x3FF))
		} else {
			b = appendU(b, r)
		}
	}
	return append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// appendXMLDocument writes WHMCS's XML answer: the declaration, the
// <whmcsapi> root with the version (empty on errors), <action> first, then
// the response's members, each element on its own line.
func appendXMLDocument(b []byte, version, action string, v reflect.Value) []byte {
	b = append(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<whmcsapi version=\""...)
	b = appendXMLText(b, version, false)
	b = append(b, "\">\n<action>"...)
	b = appendXMLText(b, action, true)
	b = append(b, "</action>\n"...)
	members(deref(v), func(key string, fv reflect.Value) { b = appendXMLElement(b, key, fv) })
	return append(b, "</whmcsapi>"...)
}

// appendXMLElement writes <name>v</name>. A list under a key repeats the
// key's element for each item, so {"products":{"product":[a,b]}} becomes
// <products><product>a</product><product>b</product></products> and an
// empty list writes nothing. Booleans and nil print as PHP prints them.
func appendXMLElement(b []byte, name string, v reflect.Value) []byte {
	v = deref(v)
	switch {
	case v.IsValid() && isObject(v):
		b = append(b, '<')
		b = appendXMLName(b, name)
		b = append(b, ">\n"...)
		members(v, func(key string, fv reflect.Value) { b = appendXMLElement(b, key, fv) })
		b = append(b, "</"...)
		b = appendXMLName(b, name)
		return append(b, ">\n"...)
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		for i := 0; i < v.Len(); i++ {
			b = appendXMLElement(b, name, v.Index(i))
		}
		return b
	}
	b = append(b, '<')
	b = appendXMLName(b, name)
	b = append(b, '>')
	b = appendXMLText(b, scalarText(v), true)
	b = append(b, "</"...)
	b = appendXMLName(b, name)
	return append(b, ">\n"...)
}

// appendXMLName writes an element name, dropping characters a name cannot
// hold (names come from response structs, or map keys in a few answers).
func appendXMLName(b []byte, name string) []byte {
	clean := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, name)
	if clean == "" || !(clean[0] == '_' || clean[0] >= 'a' && clean[0] <= 'z' || clean[0] >= 'A' && clean[0] <= 'Z') {
		b = append(b, "item"...)
	}
	return append(b, clean...)
}

// appendXMLText writes text content. Text holding markup characters goes
// in CDATA, as WHMCS does; characters XML 1.0 cannot carry are dropped.
func appendXMLText(b []byte, s string, cdata bool) []byte {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 {
			return r
		}
		return -1
	}, s)
	if !strings.ContainsAny(s, `<>&"`) {
		return append(b, s...)
	}
	if !cdata {
		r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
		return append(b, r.Replace(s)...)
	}
	if !strings.ContainsAny(s, "<>&") {
		return append(b, s...)
	}
	b = append(b, "<![CDATA["...)
	b = append(b, strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>")...)
	return append(b, "]]>"...)
}

// scalarText is PHP's string conversion of a scalar: true is "1", false
// and null are "".
func scalarText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Invalid:
		return ""
	case reflect.String:
		return v.String()
	case reflect.Bool:
		if v.Bool() {
			return "1"
		}
		return ""
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	}
	return "Array"
}

// appendNVP writes the top-level members as key=value pairs joined by ";",
// unescaped; a nested value prints as "Array", as PHP prints it.
func appendNVP(b []byte, v reflect.Value) []byte {
	first := true
	members(deref(v), func(key string, fv reflect.Value) {
		if !first {
			b = append(b, ';')
		}
		first = false
		b = append(b, key...)
		b = append(b, '=')
		b = append(b, scalarText(deref(fv))...)
	})
	return b
}
