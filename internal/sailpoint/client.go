package sailpoint

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// The schema's enums: GrantType, AccessType and ClientType.
var (
	GrantTypes  = []string{"CLIENT_CREDENTIALS", "AUTHORIZATION_CODE", "REFRESH_TOKEN"}
	AccessTypes = []string{"ONLINE", "OFFLINE"}
	ClientTypes = []string{"CONFIDENTIAL", "PUBLIC"}
)

// PatchableFields are the 13 fields the spec lets a PATCH touch. tenant is
// in no OAuth-client schema: it is accepted, stored and never shown.
var PatchableFields = []string{
	"tenant", "businessName", "homepageUrl", "name", "description", "accessTokenValiditySeconds",
	"refreshTokenValiditySeconds", "redirectUris", "grantTypes", "accessType", "enabled",
	"strongAuthSupported", "claimsSupported",
}

// DefaultScope is a client's scope when its creator names none.
const DefaultScope = "sp:scopes:all"

// DefaultRefreshTokenValiditySeconds is refreshTokenValiditySeconds when a
// create leaves it out (a day).
const DefaultRefreshTokenValiditySeconds = 86400

// timeLayout is SailPoint's date-time: UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatMillis(ms int64) string { return time.UnixMilli(ms).UTC().Format(timeLayout) }

// Client is GetOAuthClientResponse, in the spec's field order: an OAuth
// client as the API shows it (secret null).
type Client struct {
	ID                          string   `json:"id"`
	BusinessName                *string  `json:"businessName"`
	HomepageURL                 *string  `json:"homepageUrl"`
	Name                        string   `json:"name"`
	Description                 *string  `json:"description"`
	AccessTokenValiditySeconds  int64    `json:"accessTokenValiditySeconds"`
	RefreshTokenValiditySeconds int64    `json:"refreshTokenValiditySeconds"`
	RedirectURIs                []string `json:"redirectUris"`
	GrantTypes                  []string `json:"grantTypes"`
	AccessType                  string   `json:"accessType"`
	Type                        string   `json:"type"`
	Internal                    bool     `json:"internal"`
	Enabled                     bool     `json:"enabled"`
	StrongAuthSupported         bool     `json:"strongAuthSupported"`
	ClaimsSupported             bool     `json:"claimsSupported"`
	Created                     string   `json:"created"`
	Modified                    string   `json:"modified"`
	Secret                      *string  `json:"secret"`
	Metadata                    *string  `json:"metadata"`
	LastUsed                    *string  `json:"lastUsed"`
	Scope                       []string `json:"scope"`
}

// CreatedClient is CreateOAuthClientResponse: the client with its secret,
// shown this once.
type CreatedClient struct {
	ID                          string   `json:"id"`
	Secret                      string   `json:"secret"`
	BusinessName                *string  `json:"businessName"`
	HomepageURL                 *string  `json:"homepageUrl"`
	Name                        string   `json:"name"`
	Description                 *string  `json:"description"`
	AccessTokenValiditySeconds  int64    `json:"accessTokenValiditySeconds"`
	RefreshTokenValiditySeconds int64    `json:"refreshTokenValiditySeconds"`
	RedirectURIs                []string `json:"redirectUris"`
	GrantTypes                  []string `json:"grantTypes"`
	AccessType                  string   `json:"accessType"`
	Type                        string   `json:"type"`
	Internal                    bool     `json:"internal"`
	Enabled                     bool     `json:"enabled"`
	StrongAuthSupported         bool     `json:"strongAuthSupported"`
	ClaimsSupported             bool     `json:"claimsSupported"`
	Created                     string   `json:"created"`
	Modified                    string   `json:"modified"`
	Scope                       []string `json:"scope"`
}

func toGet(c store.SailPointClient) Client {
	r := Client{
		ID: c.ID, BusinessName: c.BusinessName, HomepageURL: c.HomepageURL, Name: c.Name, Description: c.Description,
		AccessTokenValiditySeconds: c.AccessTokenValiditySeconds, RefreshTokenValiditySeconds: c.RefreshTokenValiditySeconds,
		RedirectURIs: orEmpty(c.RedirectURIs), GrantTypes: orEmpty(c.GrantTypes), AccessType: c.AccessType,
		Type: c.Type, Internal: c.Internal, Enabled: c.Enabled, StrongAuthSupported: c.StrongAuthSupported,
		ClaimsSupported: c.ClaimsSupported, Created: formatMillis(c.Created), Modified: formatMillis(c.Modified),
		Metadata: c.Metadata, Scope: orEmpty(c.Scope),
	}
	if c.LastUsed != nil {
		s := formatMillis(*c.LastUsed)
		r.LastUsed = &s
	}
	return r
}

func toCreate(c store.SailPointClient, secret string) CreatedClient {
	g := toGet(c)
	return CreatedClient{
		ID: g.ID, Secret: secret, BusinessName: g.BusinessName, HomepageURL: g.HomepageURL, Name: g.Name,
		Description: g.Description, AccessTokenValiditySeconds: g.AccessTokenValiditySeconds,
		RefreshTokenValiditySeconds: g.RefreshTokenValiditySeconds, RedirectURIs: g.RedirectURIs,
		GrantTypes: g.GrantTypes, AccessType: g.AccessType, Type: g.Type, Internal: g.Internal, Enabled: g.Enabled,
		StrongAuthSupported: g.StrongAuthSupported, ClaimsSupported: g.ClaimsSupported, Created: g.Created,
		Modified: g.Modified, Scope: g.Scope,
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// patchDocument is the document a PATCH applies to: the 13 patchable
// fields, nulls included, numbers as json.Number.
func patchDocument(c store.SailPointClient) map[string]any {
	return map[string]any{
		"tenant": nullable(c.Tenant), "businessName": nullable(c.BusinessName), "homepageUrl": nullable(c.HomepageURL),
		"name": c.Name, "description": nullable(c.Description),
		"accessTokenValiditySeconds":  json.Number(fmt.Sprint(c.AccessTokenValiditySeconds)),
		"refreshTokenValiditySeconds": json.Number(fmt.Sprint(c.RefreshTokenValiditySeconds)),
		"redirectUris":                anyList(c.RedirectURIs), "grantTypes": anyList(c.GrantTypes),
		"accessType": c.AccessType, "enabled": c.Enabled,
		"strongAuthSupported": c.StrongAuthSupported, "claimsSupported": c.ClaimsSupported,
	}
}

func nullable(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func anyList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// fields reads and checks a client's fields from a decoded JSON object
// (numbers as json.Number). create selects the create body's rules
// (required fields, defaults, type/internal/scope); otherwise the object
// is a patched document, where every non-nullable field must be present.
type fields struct {
	m      map[string]any
	create bool
}

// invalid is a field that breaks the schema; its text is the answer's.
type invalid string

func (e invalid) Error() string { return string(e) }

func invalidf(format string, args ...any) error { return invalid(fmt.Sprintf(format, args...)) }

// read fills c from f, or returns an invalid naming the first bad field.
func (f fields) read(c *store.SailPointClient) error {
	var err error
	set := func(e error) {
		if err == nil {
			err = e
		}
	}
	name, e := f.str("name", true, false)
	set(e)
	if name != nil {
		if strings.TrimSpace(*name) == "" {
			set(invalidf("Required field %q was missing or empty.", "name"))
		}
		c.Name = *name
	}
	c.Description, e = f.str("description", true, true)
	set(e)
	c.BusinessName, e = f.str("businessName", false, true)
	set(e)
	c.HomepageURL, e = f.str("homepageUrl", false, true)
	set(e)
	c.AccessTokenValiditySeconds, e = f.int32("accessTokenValiditySeconds", true, 0)
	set(e)
	c.RefreshTokenValiditySeconds, e = f.int32("refreshTokenValiditySeconds", !f.create, DefaultRefreshTokenValiditySeconds)
	set(e)
	c.GrantTypes, e = f.list("grantTypes", true, GrantTypes)
	set(e)
	c.RedirectURIs, e = f.list("redirectUris", !f.create, nil)
	set(e)
	c.AccessType, e = f.enum("accessType", true, AccessTypes, "")
	set(e)
	c.Enabled, e = f.boolean("enabled", true)
	set(e)
	c.StrongAuthSupported, e = f.boolean("strongAuthSupported", !f.create)
	set(e)
	c.ClaimsSupported, e = f.boolean("claimsSupported", !f.create)
	set(e)
	if f.create {
		c.Type, e = f.enum("type", false, ClientTypes, "CONFIDENTIAL")
		set(e)
		c.Internal, e = f.boolean("internal", false)
		set(e)
		c.Scope, e = f.list("scope", false, nil)
		set(e)
		if len(c.Scope) == 0 {
			c.Scope = []string{DefaultScope}
		}
	} else {
		c.Tenant, e = f.str("tenant", false, true)
		set(e)
	}
	if err != nil {
		return err
	}
	if err := checkLimits(c, f.create); err != nil {
		return err
	}
	for i, u := range c.RedirectURIs {
		if p, perr := url.Parse(u); perr != nil || p.Scheme == "" || p.Host == "" && p.Opaque == "" {
			return invalidf("redirectUris[%d]: %q is not an absolute URI.", i, u)
		}
	}
	if len(c.GrantTypes) == 0 {
		return invalidf("grantTypes: at least one grant type is required.")
	}
	if slices.Contains(c.GrantTypes, "AUTHORIZATION_CODE") && len(c.RedirectURIs) == 0 {
		return invalidf("redirectUris: at least one redirect URI is required with the AUTHORIZATION_CODE grant type.")
	}
	return nil
}

func (f fields) get(key string, required bool) (any, bool, error) {
	v, ok := f.m[key]
	if !ok && required {
		return nil, false, invalidf("Required field %q was missing or empty.", key)
	}
	return v, ok, nil
}

// str reads a string; nullable lets it be null (or absent when not
// required), giving nil.
func (f fields) str(key string, required, nullable bool) (*string, error) {
	v, ok, err := f.get(key, required)
	if err != nil || !ok {
		return nil, err
	}
	switch v := v.(type) {
	case string:
		return &v, nil
	case nil:
		if nullable {
			return nil, nil
		}
		return nil, invalidf("Required field %q was missing or empty.", key)
	}
	return nil, invalidf("%s must be a string, not %s.", key, kind(v))
}

// int32 reads an integer in 1..2147483647 (format int32; a validity of
// zero or less seconds means nothing), or def when absent and optional.
func (f fields) int32(key string, required bool, def int64) (int64, error) {
	v, ok, err := f.get(key, required)
	if err != nil || !ok {
		return def, err
	}
	n, isNum := v.(json.Number)
	if !isNum {
		if v == nil {
			return 0, invalidf("Required field %q was missing or empty.", key)
		}
		return 0, invalidf("%s must be an integer, not %s.", key, kind(v))
	}
	i, perr := n.Int64()
	if perr != nil {
		return 0, invalidf("%s must be an integer between 1 and %d, not %s.", key, math.MaxInt32, n)
	}
	if i < 1 || i > math.MaxInt32 {
		return 0, invalidf("%s must be between 1 and %d, not %d.", key, math.MaxInt32, i)
	}
	return i, nil
}

func (f fields) boolean(key string, required bool) (bool, error) {
	v, ok, err := f.get(key, required)
	if err != nil || !ok {
		return false, err
	}
	b, isBool := v.(bool)
	if !isBool {
		if v == nil {
			return false, invalidf("Required field %q was missing or empty.", key)
		}
		return false, invalidf("%s must be true or false, not %s.", key, kind(v))
	}
	return b, nil
}

func (f fields) enum(key string, required bool, allowed []string, def string) (string, error) {
	s, err := f.str(key, required, false)
	if err != nil {
		return "", err
	}
	if s == nil {
		return def, nil
	}
	if !slices.Contains(allowed, *s) {
		return "", invalidf("%s: %q is not one of %s.", key, *s, strings.Join(allowed, ", "))
	}
	return *s, nil
}

// list reads an array of strings, null giving an empty list; with allowed,
// each item must be one of them and appear once.
func (f fields) list(key string, required bool, allowed []string) ([]string, error) {
	v, ok, err := f.get(key, required)
	if err != nil || !ok || v == nil {
		return []string{}, err
	}
	arr, isArr := v.([]any)
	if !isArr {
		return nil, invalidf("%s must be an array of strings, not %s.", key, kind(v))
	}
	out := make([]string, 0, len(arr))
	for i, item := range arr {
		s, isStr := item.(string)
		if !isStr {
			return nil, invalidf("%s[%d] must be a string, not %s.", key, i, kind(item))
		}
		if allowed != nil {
			if !slices.Contains(allowed, s) {
				return nil, invalidf("%s[%d]: %q is not one of %s.", key, i, s, strings.Join(allowed, ", "))
			}
			if slices.Contains(out, s) {
				return nil, invalidf("%s[%d]: %q is listed twice.", key, i, s)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number, float64, int64, int:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
