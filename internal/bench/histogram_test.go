package main

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestHistogramPercentilesAreWithinABucket compares the histogram's
// percentiles with the exact ones of the same latencies.
func TestHistogramPercentilesAreWithinABucket(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	h, other := new(histogram), new(histogram)
	var all []time.Duration
	for i := range 100000 {
		d := time.Duration(rng.ExpFloat64() * float64(2*time.Millisecond))
		if i%10 == 0 {
			d = time.Duration(rng.IntN(100)) // a few tiny ones, counted exactly
		}
		all = append(all, d)
		if i%2 == 0 {
			h.add(d)
		} else {
			other.add(d)
		}
	}
	h = h.merge(other).merge(new(histogram)).merge(nil)
	slices.Sort(all)
	if h.count() != uint64(len(all)) {
		t.Fatalf("count %d, want %d", h.count(), len(all))
	}
	for _, p := range []float64{0, 0.1, 0.5, 0.9, 0.99, 0.999, 1} {
		exact := all[int(p*float64(len(all)-1))]
		got := h.percentile(p)
		if got > exact || float64(exact-got) > float64(exact)/64+1 {
			t.Errorf("p%v: %v, exact %v", p*100, got, exact)
		}
	}
	if (*histogram)(nil).percentile(0.5) != 0 {
		t.Error("an empty histogram has no percentile")
	}
}
