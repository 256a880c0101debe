package actions

// Ordered is an object whose keys keep the order they are given in, as a
// PHP array's keys do (the encoders write a Go map's keys sorted, so "10"
// would come before "2"). Empty, it is written [], as PHP writes an empty
// array. GetTLDPricing lists TLDs in display order and years in number
// order with it.
type Ordered []Pair

// Pair is one key of an Ordered and its value.
type Pair struct {
	Key   string
	Value any
}
