//go:build race

package whmcstest_test

// manyServers is how many servers TestManyServers makes in turn: fewer
// under the race detector, which slows each SQLite open about tenfold.
const manyServers = 20
