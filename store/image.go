package store

import "sync"

// packedImage is a database file with its long runs of zero bytes left
// out. The migrated image is mostly empty pages (848 KiB, of which 78 KiB
// are not zeros) and a process keeps it for as long as it runs: packed, it
// costs a tenth of the heap, and unpacking it into a reused buffer costs
// about what copying it did.
type packedImage struct {
	size     int
	literals []byte         // the bytes outside the zero runs, in order
	segments []imageSegment // where each stretch of literals goes
}

type imageSegment struct{ at, n int }

// zeroRunMin is the shortest run of zeros left out: a segment costs two
// ints, so shorter runs are cheaper kept.
const zeroRunMin = 32

func packImage(data []byte) packedImage {
	p := packedImage{size: len(data)}
	start := 0 // of the current stretch of literals
	for i := 0; i < len(data); {
		if data[i] != 0 {
			i++
			continue
		}
		j := i
		for j < len(data) && data[j] == 0 {
			j++
		}
		if j-i >= zeroRunMin || j == len(data) {
			if i > start {
				p.segments = append(p.segments, imageSegment{at: start, n: i - start})
				p.literals = append(p.literals, data[start:i]...)
			}
			start = j
		}
		i = j
	}
	if start < len(data) {
		p.segments = append(p.segments, imageSegment{at: start, n: len(data) - start})
		p.literals = append(p.literals, data[start:]...)
	}
	return p
}

// imageBuffers reuses unpacking buffers: a test process makes hundreds of
// databases in a row.
var imageBuffers sync.Pool

// unpack returns the image in a buffer that release gives back.
func (p packedImage) unpack() (data []byte, release func()) {
	buf, _ := imageBuffers.Get().(*[]byte)
	if buf == nil || cap(*buf) < p.size {
		b := make([]byte, p.size)
		buf = &b
	} else {
		*buf = (*buf)[:p.size]
		clear(*buf)
	}
	lits := p.literals
	for _, s := range p.segments {
		copy((*buf)[s.at:s.at+s.n], lits[:s.n])
		lits = lits[s.n:]
	}
	return *buf, func() { imageBuffers.Put(buf) }
}
