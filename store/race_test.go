//go:build race

package store

// raceEnabled says the tests run under the race detector (go test -race).
const raceEnabled = true
