package whmcsemu

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// Clock returns the emulator's clock, which tests may set and advance.
func (s *Server) Clock() *Clock { return s.clock }

// Journal returns the record of recent API calls.
func (s *Server) Journal() *Journal { return s.journal }

// Bans returns the IPs banned for failed logins and by AddBannedIp.
func (s *Server) Bans() *Bans { return s.bans }

// Faults returns the fault rules in force.
func (s *Server) Faults() *Faults { return s.faults }

// LoadFixture applies a fixture document (JSON, in the format
// docs/fixtures.md describes) on top of the state, and the database remembers
// it among the documents Reset restores. On any error nothing is written.
func (s *Server) LoadFixture(ctx context.Context, data []byte) error {
	if err := fixture.Load(ctx, s.env, data); err != nil {
		return err
	}
	return s.stateChanged(ctx)
}

// LoadFixtureOnce is LoadFixture, unless this database has applied the
// very same document before: that is how start-up treats --fixtures, so a
// restart keeps the state the API has changed since. It reports whether
// it applied the document.
func (s *Server) LoadFixtureOnce(ctx context.Context, data []byte) (applied bool, err error) {
	if applied, err = fixture.LoadOnce(ctx, s.env, data); err != nil {
		return false, err
	}
	return applied, s.stateChanged(ctx)
}

// ReplaceFixtures wipes the state and applies data alone; later resets
// (and restarts with other --fixtures) know it as what the database holds.
func (s *Server) ReplaceFixtures(ctx context.Context, data []byte) error {
	return s.restore(ctx, data)
}

// Reset puts the emulator back as it started: the state the fixture
// documents the database remembers describe (their banned IPs among it),
// an empty journal, no faults, failed-login bans or staff online, the
// clock on its base.
func (s *Server) Reset(ctx context.Context) error {
	// The clock first: the fixtures' times are taken from it.
	s.clock.Restore()
	s.faults.Clear()
	s.bans.list.Clear() // the failed-login bans; the banned_ips table is restored with the rest of the state
	s.env.ForgetStaff()
	if err := s.restore(ctx, nil); err != nil {
		return err
	}
	s.journal.Clear()
	return nil
}

// reseed restarts the seeded random streams, so that what a seeded
// emulator generates after a reset repeats what it generated after start.
func (s *Server) reseed() {
	if s.seed != 0 {
		s.env.SetRandom(NewSeededRandom(s.seed))
		s.faults.reseed(s.seed)
	}
}

// restore wipes the state and applies the remembered documents, or
// replace alone, in one transaction.
func (s *Server) restore(ctx context.Context, replace []byte) error {
	s.reseed()
	if err := fixture.Reset(ctx, s.env, replace); err != nil {
		return err
	}
	return s.stateChanged(ctx)
}

// Export returns the whole state as a fixture document (indented JSON),
// which LoadFixture or --fixtures load back. It holds OAuth client
// secrets, as WHMCS shows them.
func (s *Server) Export(ctx context.Context) ([]byte, error) {
	doc, err := fixture.Export(ctx, s.db)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // redirect URIs keep their & as written
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
