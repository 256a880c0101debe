package sailpoint

import (
	"fmt"
	"unicode/utf8"

	"github.com/whmcsemu/whmcsemu/store"
)

// Limits on an OAuth client, checked on a create body and on the patched
// document before anything is stored. SailPoint publishes no lengths or
// counts for these fields, so they are whmcsemu's own: generous for any
// real client, and small enough that one request cannot store megabytes
// (a 292 kB patch once stored a 400 MB client). Lengths count characters
// (Unicode code points), as a person reading the limit would.
const (
	// MaxNameLength bounds name, businessName and tenant: labels, for
	// which 255 is the usual column size.
	MaxNameLength = 255
	// MaxDescriptionLength bounds description, free text for people.
	MaxDescriptionLength = 1000
	// MaxURLLength bounds homepageUrl and each redirect URI: 2048 is the
	// longest URL browsers and common servers handle everywhere.
	MaxURLLength = 2048
	// MaxRedirectURIs is how many redirect URIs a client may list.
	MaxRedirectURIs = 50
	// MaxScopes is how many scopes a create may give a client, and
	// MaxScopeLength how long each may be (SailPoint's are short names
	// such as sp:oauth-client:manage).
	MaxScopes      = 50
	MaxScopeLength = 255
	// MaxPatchOperations is how many operations one PATCH may hold, far
	// above what editing 13 fields needs.
	MaxPatchOperations = 1000
	// MaxPatchedSize bounds, in bytes, the document a PATCH works on after
	// every operation (jsonpatch.Options.MaxSize), so a patch that copies
	// a large value many times stops at the copy that crosses it instead
	// of building the whole document. A client at every limit above is
	// about 110 kB.
	MaxPatchedSize = 1 << 20
)

// checkLimits refuses a client with a field over its limit. scope and
// tenant are checked only when the request could set them (a create sets
// scope, a patch tenant), so a stored value never blocks another change.
func checkLimits(c *store.SailPointClient, create bool) error {
	texts := []struct {
		field string
		value *string
		max   int
	}{
		{"name", &c.Name, MaxNameLength},
		{"businessName", c.BusinessName, MaxNameLength},
		{"description", c.Description, MaxDescriptionLength},
		{"homepageUrl", c.HomepageURL, MaxURLLength},
	}
	if !create {
		texts = append(texts, struct {
			field string
			value *string
			max   int
		}{"tenant", c.Tenant, MaxNameLength})
	}
	for _, t := range texts {
		if t.value != nil {
			if err := checkLength(t.field, *t.value, t.max); err != nil {
				return err
			}
		}
	}
	if err := checkList("redirectUris", c.RedirectURIs, MaxRedirectURIs, MaxURLLength); err != nil {
		return err
	}
	if create {
		return checkList("scope", c.Scope, MaxScopes, MaxScopeLength)
	}
	return nil
}

func checkLength(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return invalidf("%s must be at most %d characters long, not %d.", field, max, n)
	}
	return nil
}

func checkList(field string, items []string, maxItems, maxLength int) error {
	if len(items) > maxItems {
		return invalidf("%s holds %d entries; a client can have at most %d.", field, len(items), maxItems)
	}
	for i, s := range items {
		if err := checkLength(fmt.Sprintf("%s[%d]", field, i), s, maxLength); err != nil {
			return err
		}
	}
	return nil
}
