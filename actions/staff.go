package actions

import (
	"sort"
	"sync"
	"time"
)

// Staff online: WHMCS lists the admins whose admin-area session was active
// in the last 15 minutes (GetStaffOnline, GetStats' staff_online).
// whmcsemu has no admin area: an admin counts as seen when it
// authenticates through the API (its credential or legacy login) or a
// local API call names it. The first call after 15 minutes without one
// starts a new visit, with its login time and the caller's address; each
// call moves the last visit. Visits live in memory, as sessions do: a
// restart or a reset forgets them.

// StaffOnlineWindow is how recently an admin must have been seen to be
// online.
const StaffOnlineWindow = 15 * time.Minute

// StaffVisit is an admin's current visit.
type StaffVisit struct {
	AdminID   int64
	Username  string
	IP        string // the address of the call that started the visit; "" for the local API
	LoginTime time.Time
	LastVisit time.Time
}

// staffOnline holds the visits, by admin id.
type staffOnline struct {
	mu     sync.Mutex
	visits map[int64]*StaffVisit
}

// SeenAdmin records that an admin called at now (the emulator's clock),
// from ip ("" for the local API).
func (e *Env) SeenAdmin(adminID int64, username, ip string) {
	if adminID == 0 {
		return
	}
	now := e.Now()
	s := &e.staff
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.visits == nil {
		s.visits = map[int64]*StaffVisit{}
	}
	v := s.visits[adminID]
	if v == nil || now.Sub(v.LastVisit) > StaffOnlineWindow || now.Before(v.LoginTime) {
		if v == nil && len(s.visits) >= maxStaffVisits {
			s.forgetGone(now)
		}
		v = &StaffVisit{AdminID: adminID, Username: username, IP: ip, LoginTime: now}
		s.visits[adminID] = v
	}
	v.Username = username
	if now.After(v.LastVisit) {
		v.LastVisit = now
	}
}

// maxStaffVisits bounds the visits remembered (admins are few; a fixture
// with very many is forgotten down to those online).
const maxStaffVisits = 10000

func (s *staffOnline) forgetGone(now time.Time) {
	for id, v := range s.visits {
		if now.Sub(v.LastVisit) > StaffOnlineWindow {
			delete(s.visits, id)
		}
	}
}

// StaffOnline returns the admins seen in the last 15 minutes before now,
// by login time (then admin id).
func (e *Env) StaffOnline() []StaffVisit {
	now := e.Now()
	s := &e.staff
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StaffVisit
	for _, v := range s.visits {
		if now.Sub(v.LastVisit) <= StaffOnlineWindow && !now.Before(v.LoginTime) {
			out = append(out, *v)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].LoginTime.Equal(out[j].LoginTime) {
			return out[i].LoginTime.Before(out[j].LoginTime)
		}
		return out[i].AdminID < out[j].AdminID
	})
	return out
}

// ForgetStaff forgets every visit (a reset).
func (e *Env) ForgetStaff() {
	e.staff.mu.Lock()
	e.staff.visits = nil
	e.staff.mu.Unlock()
}
