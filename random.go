package whmcsemu

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
	"sync"
)

// NewSeededRandom returns a deterministic random stream (ChaCha8) for
// Options.Random: the same seed gives the same identifiers and secrets.
// Never use it outside tests.
func NewSeededRandom(seed uint64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	copy(key[8:], "whmcsemu seeded stream")
	return &lockedReader{r: rand.NewChaCha8(key)}
}

type lockedReader struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
