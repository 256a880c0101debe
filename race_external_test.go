//go:build race

package whmcsemu_test

// raceEnabled says the tests run under the race detector (go test -race).
const raceEnabled = true
