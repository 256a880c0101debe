package whmcsemu

import (
	"context"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// Clock returns the emulator's clock, which tests may set and advance.
func (s *Server) Clock() *Clock { return s.clock }

// Journal returns the record of recent API calls.
func (s *Server) Journal() *Journal { return s.journal }

// Bans returns the IPs banned for failed logins.
func (s *Server) Bans() *auth.Bans { return s.bans }

// Faults returns the fault rules in force.
func (s *Server) Faults() *Faults { return s.faults }

// LoadFixture applies a fixture document, and the database remembers it
// among the documents Reset restores. With once set, a document this
// database has applied before is not applied again (see fixture.LoadOnce):
// that is how start-up treats --fixtures, so a restart keeps the state.
func (s *Server) LoadFixture(ctx context.Context, data []byte, once bool) (applied bool, err error) {
	if once {
		applied, err = fixture.LoadOnce(ctx, s.env, data)
	} else {
		err = fixture.Load(ctx, s.env, data)
		applied = err == nil
	}
	if err != nil {
		return false, err
	}
	return applied, s.StateChanged(ctx)
}

// ReplaceFixtures wipes the state and applies data alone; later resets
// (and restarts with other --fixtures) know it as what the database holds.
func (s *Server) ReplaceFixtures(ctx context.Context, data []byte) error {
	return s.restore(ctx, data)
}

// Reset puts the emulator back as it started: the state the fixture
// documents the database remembers describe, an empty journal, no faults
// or bans, the clock on its base.
func (s *Server) Reset(ctx context.Context) error {
	// The clock first: the fixtures' times are taken from it.
	s.clock.Restore()
	s.faults.Clear()
	s.bans.Clear()
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
	return s.StateChanged(ctx)
}

// Export returns the whole state as a fixture document.
func (s *Server) Export(ctx context.Context) (*fixture.Document, error) {
	return fixture.Export(ctx, s.db)
}
