package actions

import (
	"bytes"
	"encoding/json"
)

// Members is an object whose keys come in the order they were added,
// where an answer's keys are data (dates, namespaces) in an order WHMCS
// chooses: a Go map's keys would come sorted. The encoders write it as an
// object, or as PHP's empty array ([]) when it has no keys.
type Members struct {
	keys   []string
	values []any
}

// Add appends key with v.
func (m *Members) Add(key string, v any) {
	m.keys = append(m.keys, key)
	m.values = append(m.values, v)
}

// Len is how many keys m has.
func (m *Members) Len() int { return len(m.keys) }

// Each calls fn for each key and value, in order.
func (m *Members) Each(fn func(key string, v any)) {
	for i, k := range m.keys {
		fn(k, m.values[i])
	}
}

// MarshalJSON writes m as the encoders do, for callers that use
// encoding/json on a local API result's Value.
func (m Members) MarshalJSON() ([]byte, error) {
	if len(m.keys) == 0 {
		return []byte("[]"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		val, err := json.Marshal(m.values[i])
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
