package whmcsemu

import (
	"context"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/fixture"
	"github.com/whmcsemu/whmcsemu/store"
)

// Clock returns the emulator's clock, which tests may set and advance.
func (s *Server) Clock() *Clock { return s.clock }

// Journal returns the record of recent API calls.
func (s *Server) Journal() *Journal { return s.journal }

// Bans returns the IPs banned for failed logins.
func (s *Server) Bans() *auth.Bans { return s.bans }

// Faults returns the fault rules in force.
func (s *Server) Faults() *Faults { return s.faults }

// LoadFixture applies a fixture document and adds it to the documents
// Reset restores. With once set, a document this database has applied
// before is not applied again (see fixture.LoadOnce): that is how start-up
// treats --fixtures, so a restart keeps the state.
func (s *Server) LoadFixture(ctx context.Context, data []byte, once bool) (applied bool, err error) {
	if once {
		applied, err = fixture.LoadOnce(ctx, s.env, data)
	} else {
		var doc *fixture.Document
		if doc, err = fixture.Parse(data); err == nil {
			err = fixture.Apply(ctx, s.env, doc)
			applied = err == nil
		}
	}
	if err != nil {
		return false, err
	}
	s.fixturesMu.Lock()
	s.fixtures = append(s.fixtures, append([]byte(nil), data...))
	s.fixturesMu.Unlock()
	return applied, s.StateChanged(ctx)
}

// RememberFixtures sets the documents Reset restores without applying
// them: for a database that already holds them, such as a copy of a
// template database (the test server does this to start in microseconds).
func (s *Server) RememberFixtures(docs ...[]byte) error {
	kept := make([][]byte, 0, len(docs))
	for _, data := range docs {
		if _, err := fixture.Parse(data); err != nil {
			return err
		}
		kept = append(kept, append([]byte(nil), data...))
	}
	s.fixturesMu.Lock()
	s.fixtures = kept
	s.fixturesMu.Unlock()
	return nil
}

// ReplaceFixtures wipes the state and applies data alone; later resets
// restore it instead of the documents loaded before.
func (s *Server) ReplaceFixtures(ctx context.Context, data []byte) error {
	doc, err := fixture.Parse(data)
	if err != nil {
		return err
	}
	if err := s.restore(ctx, []*fixture.Document{doc}); err != nil {
		return err
	}
	s.fixturesMu.Lock()
	s.fixtures = [][]byte{append([]byte(nil), data...)}
	s.fixturesMu.Unlock()
	return nil
}

// Reset puts the emulator back as it started: the state the loaded fixture
// documents describe, an empty journal, no faults or bans, the clock on
// its base.
func (s *Server) Reset(ctx context.Context) error {
	s.fixturesMu.Lock()
	docs := make([]*fixture.Document, 0, len(s.fixtures))
	for _, data := range s.fixtures {
		doc, err := fixture.Parse(data)
		if err != nil {
			s.fixturesMu.Unlock()
			return err // they parsed when loaded; this would be a bug
		}
		docs = append(docs, doc)
	}
	s.fixturesMu.Unlock()
	// The clock first: the fixtures' times are taken from it.
	s.clock.Restore()
	s.faults.Clear()
	s.bans.Clear()
	if err := s.restore(ctx, docs); err != nil {
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

// restore wipes the state and applies docs, in one transaction.
func (s *Server) restore(ctx context.Context, docs []*fixture.Document) error {
	s.reseed()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Wipe(ctx); err != nil {
			return err
		}
		for _, doc := range docs {
			if err := fixture.ApplyTx(ctx, tx, s.env, doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.StateChanged(ctx)
}

// Export returns the whole state as a fixture document.
func (s *Server) Export(ctx context.Context) (*fixture.Document, error) {
	return fixture.Export(ctx, s.db)
}
