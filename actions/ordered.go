package actions

import (
	"bytes"
	"encoding/json"
)

// Ordered is an object whose keys keep the order they are given in, as a
// PHP array's keys do, where an answer's keys are data (TLDs in display
// order, years, dates, namespaces): the encoders write a Go map's keys
// sorted, so "10" would come before "2". Empty, it is written [], as PHP
// writes an empty array.
type Ordered []Pair

// Pair is one key of an Ordered and its value.
type Pair struct {
	Key   string
	Value any
}

// Add appends key with v.
func (o *Ordered) Add(key string, v any) { *o = append(*o, Pair{key, v}) }

// MarshalJSON writes o as the encoders do, for callers that use
// encoding/json on a local API result's Value.
func (o Ordered) MarshalJSON() ([]byte, error) {
	if len(o) == 0 {
		return []byte("[]"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(p.Key)
		if err != nil {
			return nil, err
		}
		val, err := json.Marshal(p.Value)
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
