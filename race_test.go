//go:build race

package whmcsemu

// raceEnabled says the tests run under the race detector (go test -race).
const raceEnabled = true
