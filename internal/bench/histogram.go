package main

import (
	"math/bits"
	"time"
)

// histogram counts latencies in buckets a 64th of a power of two wide, so
// a percentile is within 1.6% of the latency measured and a run's memory
// does not grow with its requests (keeping every latency cost the load
// run 11 MB, counted in the peak resident memory it reports).
type histogram struct {
	counts [59 * 64]uint64
	n      uint64
}

const subBuckets = 64 // per power of two; values below are counted exactly

func bucketOf(d time.Duration) int {
	v := uint64(max(d, 0))
	if v < subBuckets {
		return int(v)
	}
	exp := bits.Len64(v) - 1 // 6 and up
	return (exp-5)*subBuckets + int((v>>(exp-6))&(subBuckets-1))
}

// lowest is the smallest latency counted in bucket i.
func lowest(i int) time.Duration {
	if i < subBuckets {
		return time.Duration(i)
	}
	exp := i/subBuckets + 5
	return time.Duration((subBuckets + uint64(i%subBuckets)) << (exp - 6))
}

func (h *histogram) add(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.n++
}

// merge adds o's counts into h, making h when it is nil, and returns h.
func (h *histogram) merge(o *histogram) *histogram {
	if o == nil {
		return h
	}
	if h == nil {
		h = new(histogram)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	return h
}

func (h *histogram) count() uint64 {
	if h == nil {
		return 0
	}
	return h.n
}

// percentile is the latency below which the fraction p of the counted
// ones fall (the lower end of its bucket); 0 when none were counted.
func (h *histogram) percentile(p float64) time.Duration {
	if h.count() == 0 {
		return 0
	}
	rank := uint64(p * float64(h.n-1))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			return lowest(i)
		}
	}
	return lowest(len(h.counts) - 1)
}
