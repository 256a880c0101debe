package store

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPackedImageUnpacksToWhatWasPacked(t *testing.T) {
	long := bytes.Repeat([]byte{0}, zeroRunMin)
	for name, data := range map[string][]byte{
		"empty":             {},
		"zeros":             make([]byte, 100),
		"no zeros":          []byte("abc"),
		"short zero runs":   []byte("a\x00b\x00\x00c"),
		"long run inside":   append(append([]byte("head"), long...), "tail"...),
		"long run at start": append(append([]byte{}, long...), "tail"...),
		"long run at end":   append([]byte("head"), long...),
		"run one too short": append(append([]byte("x"), long[1:]...), 'y'),
	} {
		p := packImage(data)
		got, release := p.unpack()
		assert.Equal(t, data, got, name)
		release()
		// Unpacked again into the reused buffer, which held other bytes.
		got, release = p.unpack()
		assert.Equal(t, data, got, name+", again")
		release()
	}
}

func TestTheMigratedImagePacksSmall(t *testing.T) {
	image.once.Do(func() { image.packed, image.err = makeImage() })
	require.NoError(t, image.err)
	data, release := image.packed.unpack()
	defer release()
	assert.Less(t, len(image.packed.literals), len(data)/4, "most of a new database is zeros")
	assert.Equal(t, "SQLite format 3\x00", string(data[:16]))
}
