package console

import (
	"context"
	"net/url"
	"time"
)

// Backend is what the console needs of the emulator. The root server
// implements it over its own journal, faults, clock, bans and fixtures,
// and the local API; the console never imports the root package.
type Backend interface {
	// Call runs a WHMCS API action through the local API (the pipeline
	// every API call takes: fault rules, the action, the journal) and
	// returns its JSON answer, or the WHMCS error message.
	Call(ctx context.Context, action string, params url.Values) (answer []byte, errMessage string)
	// Operation runs one of a dialect's operations (named as fault rules
	// and the journal name it, such as OCICreateOAuth2ClientCredential) as
	// the dialect wrapper runs a request: the fault rules first (a
	// *FaultError when one hits), then run, then a journal entry.
	Operation(ctx context.Context, name string, run func(context.Context) error) error

	// Journal returns the entries the filter selects, oldest first.
	Journal(action, result string) []JournalEntry

	Faults() []Fault
	AddFault(f Fault) (Fault, error)
	RemoveFault(id int64) bool
	ClearFaults()

	Clock() (now time.Time, frozen bool)
	SetClock(t time.Time)
	AdvanceClock(d time.Duration)
	RestoreClock()

	Bans() []Ban
	LiftBan(ip string) bool
	ClearBans()

	Export(ctx context.Context) ([]byte, error)
	LoadFixture(ctx context.Context, doc []byte, replace bool) error
	Reset(ctx context.Context) error

	// Access lists the WHMCS admins, API credentials and API roles, which
	// no API action lists.
	Access(ctx context.Context) (Access, error)
}

// JournalEntry is one call the journal recorded (the root's
// whmcsemu.JournalEntry, field for field).
type JournalEntry struct {
	Seq      int64
	Time     time.Time
	Source   string
	Action   string
	Caller   string
	IP       string
	Params   url.Values
	Result   string
	Message  string
	Status   int
	Duration float64
	Cut      bool
}

// Fault is a fault rule (the root's whmcsemu.Fault, field for field).
type Fault struct {
	ID                int64
	Action            string
	Times             int
	Probability       float64
	Message           string
	Status            int
	DelayMS           int
	RetryAfterSeconds int
	Hits              int
}

// Ban is a banned IP (the root's whmcsemu.Ban, field for field).
type Ban struct {
	IP        string
	Until     time.Time
	Failures  int
	Reason    string // AddBannedIp's reason; "" for a failed-login ban
	Permanent bool
}

// Access is WHMCS's admins, API credentials and roles.
type Access struct {
	Admins      []Admin
	Credentials []APICredential
	Roles       []APIRole
}

// Admin is a WHMCS administrator.
type Admin struct {
	ID                    int64
	Username, Email, Name string
	Disabled              bool
}

// APICredential is an API identifier, the admin it acts as and its roles
// (never its secret, which is kept only as a hash).
type APICredential struct {
	Identifier, Admin, Description string
	Roles                          []string
}

// APIRole is a named allow-list of actions ("*" allows all).
type APIRole struct {
	Name, Description string
	Actions           []string
}
