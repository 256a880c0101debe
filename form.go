package whmcsemu

import (
	"errors"
	"io"
	"mime/multipart"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Forms are read as PHP reads $_GET and $_POST, because that is what
// WHMCS's callers were written against:
//   - pairs split on "&", names and values percent-decoded leniently ("+"
//     is a space; a "%" not followed by two hex digits stays as it is);
//   - in the base of a name, " " and "." become "_";
//   - a trailing "[]" or "[<digits>]" appends to a list: pid[]=1&pid[]=2 and
//     http_build_query's pid[0]=1&pid[1]=2 both give pid = [1 2];
//   - a field with an explicit index is also kept under its full key, so an
//     action that reads a list keyed by id, as PHP code does with
//     $_POST['itemdescription'][12], finds itemdescription[12];
//   - other brackets stay in the key: email_preferences[invoice];
//   - a name sent twice keeps the last value, as PHP does;
//   - more than maxFields fields make the request fail (PHP's max_input_vars
//     is 1000; PHP drops the rest silently, which hides bugs, so whmcsemu
//     answers a clear error instead).
//
// The result maps each key to its values; empty values are dropped, since
// WHMCS treats a field sent empty as absent.

// form collects fields from one source (query string or body).
type form struct {
	values    url.Values
	lists     map[string]bool
	indexed   map[string][]string // list key → the a[12] keys that copy its values
	fields    int
	maxFields int
	tooMany   bool // more than maxFields fields were sent
}

func newForm(maxFields int) *form {
	return &form{values: url.Values{}, lists: map[string]bool{}, indexed: map[string][]string{}, maxFields: maxFields}
}

// parseQuery adds the fields of an application/x-www-form-urlencoded text.
func (f *form) parseQuery(s string) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		f.add(phpURLDecode(name), phpURLDecode(value))
	}
}

// parseMultipart adds the fields of a multipart/form-data body, in order.
// File parts are read past and ignored; fields past the limit too (PHP
// ignores them rather than failing the request).
func (f *form) parseMultipart(mr *multipart.Reader) error {
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := part.FormName()
		if part.FileName() != "" || name == "" {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return err
			}
			continue
		}
		value, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		f.add(name, string(value))
	}
}

// addValues adds fields given as a map (the local API's parameters) in a
// stable order: by key, with list indexes (a[2], a[10]) in numeric order,
// so they keep the order a form would have given them.
func (f *form) addValues(params url.Values) {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		bi, ni := splitIndex(keys[i])
		bj, nj := splitIndex(keys[j])
		if bi != bj {
			return bi < bj
		}
		return ni < nj
	})
	for _, k := range keys {
		for _, v := range params[k] {
			f.add(k, v)
		}
	}
}

// splitIndex splits "a[12]" into "a" and 12; other keys give themselves and -1.
func splitIndex(key string) (string, int) {
	if strings.HasSuffix(key, "]") {
		if i := strings.LastIndexByte(key, '['); i > 0 {
			if n, err := strconv.Atoi(key[i+1 : len(key)-1]); err == nil {
				return key[:i], n
			}
		}
	}
	return key, -1
}

// add adds one field with a raw (decoded) PHP name.
func (f *form) add(name, value string) {
	if f.maxFields > 0 && f.fields >= f.maxFields {
		f.tooMany = true
		return
	}
	key, list, index, ok := phpKeyIndex(name)
	if !ok {
		return
	}
	f.fields++
	if list {
		if !f.lists[key] {
			f.dropIndexed(key)
			f.values[key] = nil
			f.lists[key] = true
		}
		f.values[key] = append(f.values[key], value)
		if index != "" {
			copyKey := key + "[" + index + "]"
			f.values[copyKey] = []string{value}
			f.lists[copyKey] = false
			f.indexed[key] = append(f.indexed[key], copyKey)
		}
		return
	}
	f.dropIndexed(key)
	f.lists[key] = false
	f.values[key] = []string{value}
}

// dropIndexed forgets the indexed copies of list key's values, when the
// list is replaced: after a[5]=x&a=y, PHP has no a[5].
func (f *form) dropIndexed(key string) {
	for _, k := range f.indexed[key] {
		delete(f.values, k)
		delete(f.lists, k)
	}
	delete(f.indexed, key)
}

// baseReplacer does what PHP does to the base of a field name.
var baseReplacer = strings.NewReplacer(" ", "_", ".", "_")

// phpKey turns a PHP field name into the key it is stored under and
// whether it appends to a list. ok is false for names PHP drops.
func phpKey(name string) (key string, list bool, ok bool) {
	key, list, _, ok = phpKeyIndex(name)
	return key, list, ok
}

// phpKeyIndex is phpKey that also gives a list field's explicit index
// ("12" for a[12], "" for a[]).
func phpKeyIndex(name string) (key string, list bool, index string, ok bool) {
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i] // PHP's names end at a NUL byte
	}
	name = strings.TrimLeft(name, " ")
	base, rest := name, ""
	if i := strings.IndexByte(name, '['); i == 0 {
		return "", false, "", false // no base name: PHP drops the field
	} else if i > 0 {
		if strings.IndexByte(name[i:], ']') < 0 {
			// An unmatched "[" is an ordinary character that PHP turns into "_".
			base = name[:i] + "_" + name[i+1:]
		} else {
			base, rest = name[:i], name[i:]
		}
	}
	base = baseReplacer.Replace(base)
	if base == "" {
		return "", false, "", false
	}
	var idx []string
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		idx = append(idx, strings.TrimLeft(rest[1:end], " "))
		rest = rest[end+1:]
	}
	if n := len(idx); n > 0 && (idx[n-1] == "" || isDigits(idx[n-1])) {
		idx, list, index = idx[:n-1], true, idx[n-1]
	}
	var b strings.Builder
	b.WriteString(base)
	for _, i := range idx {
		b.WriteByte('[')
		b.WriteString(i)
		b.WriteByte(']')
	}
	return b.String(), list, index, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// phpURLDecode decodes as PHP's urldecode: lenient about bad escapes.
func phpURLDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// mergeForms overlays body on query (the body wins, key by key) and drops
// empty values and keys left with none.
func mergeForms(query, body url.Values) url.Values {
	out := make(url.Values, len(query)+len(body))
	for k, v := range query {
		out[k] = v
	}
	for k, v := range body {
		out[k] = v
	}
	for k, vs := range out {
		kept := vs[:0:0]
		for _, v := range vs {
			if v != "" {
				kept = append(kept, v)
			}
		}
		if len(kept) == 0 {
			delete(out, k)
		} else {
			out[k] = kept
		}
	}
	return out
}
