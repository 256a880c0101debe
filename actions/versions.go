// This file is the one place that says how the WHMCS versions whmcsemu
// emulates answer where they differ: settings.version (default 8.13.1)
// picks the shape, so an integration is tested against the answers of the
// version its production install runs. Handlers ask env.shape() and never
// compare versions themselves.
//
// Evidence, strongest first: a live recording (WHMCS 7.10, 2020, 23 HTTP
// interactions); a live client's expectations (a client tested against
// WHMCS 8; a Go client whose structs were generated from live 7.x
// answers); the docs' response parameter tables and changelogs; the docs'
// hand-written examples. Where only an example exists, it is kept.
// docs/compatibility.md lists the same facts as a table.
//
// Facts that are the same in every version (so no switch here):
//
//   - CreateInvoice and UpdateInvoice: invoiceid is a number (live client
//     on WHMCS 8; the Go client's int; the docs' table "int"; the
//     examples' "1" is outvoted).
//   - UpdateClientProduct: serviceid is a number (7.10 recording; the docs'
//     table "int"; the example's "1" is outvoted).
//   - GetProducts: every product has pricing, one entry per currency by
//     code, with prefix, suffix, the six setup fees and the six cycle
//     prices, "-1.00" for a cycle not offered, free products included
//     (7.10 recording; 8.x example).
//   - GetHealthStatus: each check has name, type, severityLevel and body;
//     passing checks are "notice", failing ones "warning" or "error"
//     (7.10 recording).
//   - GetClientsDetails: the client's fields come at the top level of the
//     answer as well as under client (7.10 recording; the 8.x docs' note
//     "returns the client information in the top level array", deprecated).
//   - SetConfigurationValue over HTTP: "API Command Restricted to Internal
//     API" (live client on WHMCS 8; the one action WHMCS restricts, the docs'
//     "via the local API only"); see LocalOnly.
//   - GetActivityLog lists entries under activity → entry (live client on
//     WHMCS 8; the example).
//   - GetClientPassword answers a bcrypt hash (the docs' example): WHMCS 7
//     kept clients' passwords as bcrypt hashes, WHMCS 8 keeps them on the
//     client's owner user (the action is deprecated from 8.0), whose hash
//     whmcsemu answers in either version.
//   - AddBannedIp's banid and UpdateToDoItem's itemid are numbers (the
//     docs' tables "int"; the examples' "1" is outvoted); GetStats' income
//     figures are currency-formatted strings (the example's "$5.95 USD";
//     the table's "float" is outvoted by what WHMCS's formatCurrency
//     makes).

package actions

import (
	"strconv"
	"strings"
)

// Version is a WHMCS version as settings.version gives it: "8.13.1",
// "7.10.1", "8.0.0-release.1".
type Version struct {
	Major, Minor, Patch int
}

// ParseVersion reads a version's leading numbers; ok is false when s does
// not start with a number (then the version is the zero Version).
func ParseVersion(s string) (v Version, ok bool) {
	s, _, _ = strings.Cut(s, "-")
	parts := strings.SplitN(s, ".", 4)
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		if i == len(nums) {
			break
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, i > 0
		}
		*nums[i] = n
	}
	return v, true
}

// Before reports whether v is older than major.minor.
func (v Version) Before(major, minor int) bool {
	return v.Major < major || v.Major == major && v.Minor < minor
}

// Version is the WHMCS version being emulated. A version that does not
// start with a number (a fixture refuses one) reads as 8.
func (e *Env) Version() Version {
	v, ok := ParseVersion(e.Settings().Version)
	if !ok {
		return Version{Major: 8}
	}
	return v
}

// shape is what the emulated version sends where WHMCS versions differ,
// one field per fact; shapeOf fills it in, with the evidence for each.
type shape struct {
	// GetClientsProducts: a service's id, clientid, orderid, pid, serverid
	// and promoid, and its diskusage, disklimit, bwusage and bwlimit.
	serviceNumbers kind
	// GetClientsProducts: overideautosuspend when off: 0 or "".
	serviceAutoSuspendOff any
	// GetClientsProducts: qty and ordernumber are sent.
	serviceQty bool

	// GetClientsDetails: the 7.x client keys (password, twofaenabled,
	// securityqid, securityqans; cctype, cclastfour and gatewayid at the
	// top level only) instead of the 8.x ones (client_id, owner_user_id,
	// customfields, users).
	clientLegacy bool
	// GetClientsDetails: the email_preferences values.
	clientEmailPrefs kind

	// GetTicket: id, the ticket's id again, beside ticketid.
	ticketID bool
	// GetTicket: requestor_name, requestor_type, requestor_email, on the
	// ticket and on each reply.
	ticketRequestor bool

	// GetActivityLog: an entry's clientId and userId (userid is sent in
	// every version and holds the client id).
	activityClientID bool

	// AddBillableItem: unit (hours or quantity) is read and required;
	// without it an item counts hours.
	billableUnit bool

	// GetProducts: slug and product-url.
	productSlug bool
	// GetProducts: allowqty and quantity_available.
	productQty bool

	// GetClientsAddons: an addon's qty.
	addonQty bool
	// GetQuotes: each quote's client (its client's id, names, email,
	// date created, group and status; null for a lead).
	quoteClient bool
	// DomainRegister: idnlanguage is read (and checked).
	domainIDNLanguage bool
}

// shapeOf is the shape of version v.
func shapeOf(v Version) shape {
	v7 := v.Major < 8
	autoSuspendOff := any("")
	if v7 {
		autoSuspendOff = int64(0)
	}
	return shape{
		// Numbers in the 7.10 recording (GetClientsProducts by serviceid
		// and by username2), and int64 in the Go client generated from
		// live 7.x answers; strings in WHMCS 8 (a live client's
		// expectations for id; the 8.x example for all of them).
		serviceNumbers: kindIf(v7, number, text),
		// 0 in the 7.10 recording (and int64 in the Go client); "" in the
		// 8.x example.
		serviceAutoSuspendOff: autoSuspendOff,
		// Absent from the 7.10 recording; in the 8.x example.
		serviceQty: !v7,

		// The 7.10 recording's keys; the 8.x example's (users: the docs'
		// changelog, "8.0: Added users parameter").
		clientLegacy: v7,
		// Numbers in the 7.10 recording; strings in the 8.x example.
		// phonecc is a string in both (the 7.10 recording's "1", the 8.x
		// example's "44"; the Go client's int is outvoted by the
		// recording).
		clientEmailPrefs: kindIf(v7, number, text),

		// A live client tested against WHMCS 8 reads GetTicket's id; no
		// 7.x evidence has it.
		ticketID: !v7,
		// The docs' changelog: "8.0: Added new return parameters
		// requestor_name, requestor_type, and requestor_email".
		ticketRequestor: !v7,

		// The docs' changelog: "8.0: Added userId to response. Renamed
		// userid response to clientId" (userid is still sent).
		activityClientID: !v7,

		// The docs' changelog: "8.2: Added unit parameter" (and hours
		// renamed quantity); the 7.10 recording adds an item with hours
		// and no unit.
		billableUnit: !v.Before(8, 2),

		// The docs' changelog: "8.3: Added slug and product_url"; absent
		// from the 7.10 recording.
		productSlug: !v.Before(8, 3),
		// The docs' changelog: "8.12: Added allowqty and
		// quantity_available"; absent from the 7.10 recording.
		productQty: !v.Before(8, 12),

		// The docs' changelog: "8.12: Added qty parameter" (in the
		// example's addons).
		addonQty: !v.Before(8, 12),
		// The docs' changelog: "8.7: Add the 'client' key to the quote
		// response"; the 8.x example has it.
		quoteClient: !v.Before(8, 7),
		// The docs' changelog: "8.0: Added IDN Language parameter".
		domainIDNLanguage: !v7,
	}
}

// shape is the emulated version's shape.
func (e *Env) shape() shape { return shapeOf(e.Version()) }

// kind is how a version sends an integer: as a JSON number or as a
// string of its digits.
type kind bool

const (
	number kind = false
	text   kind = true
)

func kindIf(cond bool, yes, no kind) kind {
	if cond {
		return yes
	}
	return no
}

// of is n in kind k.
func (k kind) of(n int64) Int { return Int{N: n, Text: k == text} }

// Wire is a value the encoders (json, xml, nvp) write as the value
// WireValue returns: a string, an int64, or nil for null.
type Wire interface {
	WireValue() any
}

// Int is an integer whose JSON kind the version chooses: a number, or
// with Text its digits as a string. XML and NVP print both the same way.
type Int struct {
	N    int64
	Text bool
}

// WireValue is N, or N's digits with Text.
func (i Int) WireValue() any {
	if i.Text {
		return strconv.FormatInt(i.N, 10)
	}
	return i.N
}

// MarshalJSON writes i as the encoders do, for callers that use
// encoding/json on a local API result's Value.
func (i Int) MarshalJSON() ([]byte, error) {
	if i.Text {
		return strconv.AppendQuote(nil, strconv.FormatInt(i.N, 10)), nil
	}
	return strconv.AppendInt(nil, i.N, 10), nil
}

// null is a key WHMCS sends with a null value. A *null field with
// omitempty is sent as null when set and left out when nil, so one struct
// serves where a key is sent in one place and not in another.
type null struct{}

// WireValue is nil: null.
func (null) WireValue() any { return nil }

// MarshalJSON writes null.
func (null) MarshalJSON() ([]byte, error) { return []byte("null"), nil }
