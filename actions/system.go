// This file holds WHMCS's System actions about the installation and its
// admins: WhmcsDetails, GetAdminDetails, GetAdminUsers, GetHealthStatus,
// EncryptPassword and DecryptPassword. The configuration and activity-log
// actions are in system_config.go.
//
// GetAdminDetails: "No admin user is associated with this request" (the
// local API called without an admin; whmcsemu's wording). It shows the
// notes UpdateAdminNotes (system_tools.go) keeps.
//
// DecryptPassword: "Decryption failed: password2 was not encrypted by this
// installation" (whmcsemu's wording: WHMCS documents none).
//
// WhmcsDetails, GetAdminUsers, GetHealthStatus and EncryptPassword have no
// error of their own.

package actions

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// whmcsVersion is the "whmcs" member of WhmcsDetails and GetAdminDetails.
type whmcsVersion struct {
	Version          string `json:"version"`
	CanonicalVersion string `json:"canonicalversion"`
}

// versionOf splits the configured version as WHMCS reports it: "8.13.1"
// is canonically "8.13.1-release.1"; a version given with its suffix
// ("8.13.1-rc.2") keeps it.
func versionOf(v string) whmcsVersion {
	if base, _, found := strings.Cut(v, "-"); found {
		return whmcsVersion{Version: base, CanonicalVersion: v}
	}
	return whmcsVersion{Version: v, CanonicalVersion: v + "-release.1"}
}

type whmcsDetailsRequest struct{}

type whmcsDetailsResponse struct {
	success
	WHMCS whmcsVersion `json:"whmcs"`
}

func whmcsDetails(ctx context.Context, env *Env, _ *whmcsDetailsRequest) (any, error) {
	return &whmcsDetailsResponse{WHMCS: versionOf(env.Settings().Version)}, nil
}

type getAdminDetailsRequest struct{}

type getAdminDetailsResponse struct {
	success
	AdminID            string       `json:"adminid"`
	Name               string       `json:"name"`
	Notes              string       `json:"notes"`
	Signature          string       `json:"signature"`
	AllowedPermissions string       `json:"allowedpermissions"`
	Departments        string       `json:"departments"`
	RequestTime        string       `json:"requesttime"`
	WHMCS              whmcsVersion `json:"whmcs"`
}

// getAdminDetails describes the calling admin, with the notes
// UpdateAdminNotes keeps. whmcsemu has no admin roles, signatures or
// support departments: every admin is a full administrator
// (allowedpermissions lists what WHMCS's Full Administrator role allows),
// and the rest are empty.
func getAdminDetails(ctx context.Context, env *Env, _ *getAdminDetailsRequest) (any, error) {
	caller := CallerFrom(ctx)
	var admin store.Admin
	var notes string
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		admin, err = tx.AdminByID(ctx, caller.AdminID)
		if err != nil {
			return notFoundAs(err, errNoAdmin)
		}
		notes, err = tx.AdminNotes(ctx, admin.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &getAdminDetailsResponse{
		AdminID:            fmt.Sprint(admin.ID),
		Name:               fullName(admin.Firstname, admin.Lastname),
		Notes:              notes,
		AllowedPermissions: strings.Join(fullAdminPermissions, ","),
		RequestTime:        mysqlDateTime(env.Now()),
		WHMCS:              versionOf(env.Settings().Version),
	}, nil
}

type getAdminUsersRequest struct {
	RoleID          int64  `schema:"roleid"`
	Email           string `schema:"email"`
	IncludeDisabled bool   `schema:"include_disabled"`
}

type getAdminUsersResponse struct {
	success
	Count      int         `json:"count"`
	AdminUsers []adminUser `json:"admin_users"`
}

// adminUser is one item of GetAdminUsers, keys in WHMCS's order.
type adminUser struct {
	ID                          int64    `json:"id"`
	UUID                        string   `json:"uuid"`
	RoleID                      int64    `json:"roleId"`
	Username                    string   `json:"username"`
	TwoFactorAuthModule         string   `json:"twoFactorAuthModule"`
	Firstname                   string   `json:"firstname"`
	Lastname                    string   `json:"lastname"`
	Email                       string   `json:"email"`
	Signature                   string   `json:"signature"`
	Notes                       string   `json:"notes"`
	Template                    string   `json:"template"`
	Language                    string   `json:"language"`
	IsDisabled                  int      `json:"isDisabled"`
	LoginAttempts               int      `json:"loginAttempts"`
	SupportDepartmentIDs        []string `json:"supportDepartmentIds"`
	ReceivesTicketNotifications []string `json:"receivesTicketNotifications"`
	HomepageWidgetsConfig       string   `json:"homepageWidgetsConfig"`
	HiddenHomepageWidgets       string   `json:"hiddenHomepageWidgets"`
	CreatedAt                   string   `json:"created_at"`
	UpdatedAt                   string   `json:"updated_at"`
	FullName                    string   `json:"fullName"`
	GravatarHash                string   `json:"gravatarHash"`
}

// fullAdminRoleID is the role every whmcsemu admin has: WHMCS's Full
// Administrator, role 1.
const fullAdminRoleID = 1

// noTimestamp is how WHMCS prints a date-time column never set; admins in
// whmcsemu have no creation or update times.
const noTimestamp = "0000-00-00 00:00:00"

// getAdminUsers lists admins by id, with the notes UpdateAdminNotes keeps.
// Fields whmcsemu does not keep have WHMCS's values for an admin who never
// set them: no uuid, two-factor module or signature, the blend template,
// english, no failed logins, and department lists as WHMCS splits an empty
// column ([""]).
func getAdminUsers(ctx context.Context, env *Env, req *getAdminUsersRequest) (any, error) {
	var admins []store.Admin
	var notes map[int64]string
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if admins, err = tx.Admins(ctx); err != nil {
			return err
		}
		notes, err = tx.AllAdminNotes(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getAdminUsersResponse{AdminUsers: []adminUser{}}
	email := strings.ToLower(req.Email)
	for _, a := range admins {
		switch {
		case a.Disabled && !req.IncludeDisabled,
			req.RoleID != 0 && req.RoleID != fullAdminRoleID,
			email != "" && !strings.Contains(strings.ToLower(a.Email), email):
			continue
		}
		disabled := 0
		if a.Disabled {
			disabled = 1
		}
		resp.AdminUsers = append(resp.AdminUsers, adminUser{
			ID: a.ID, RoleID: fullAdminRoleID, Username: a.Username,
			Firstname: a.Firstname, Lastname: a.Lastname, Email: a.Email, Notes: notes[a.ID],
			Template: "blend", Language: "english", IsDisabled: disabled,
			SupportDepartmentIDs: []string{""}, ReceivesTicketNotifications: []string{""},
			CreatedAt: noTimestamp, UpdatedAt: noTimestamp,
			FullName: fullName(a.Firstname, a.Lastname), GravatarHash: gravatarHash(a.Email),
		})
	}
	resp.Count = len(resp.AdminUsers)
	return resp, nil
}

func fullName(first, last string) string { return strings.TrimSpace(first + " " + last) }

// gravatarHash is Gravatar's key for an email: md5 of it trimmed and in
// lower case.
func gravatarHash(email string) string {
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}

// mysqlDateTime prints t as MySQL's DATETIME (PHP's Y-m-d H:i:s), in UTC.
func mysqlDateTime(t time.Time) string { return t.UTC().Format(time.DateTime) }

type getHealthStatusRequest struct {
	// FetchStatus is read and changes nothing: none of the checks
	// whmcsemu makes (the database, the System URL) is about a server;
	// GetServers' fetchStatus reports the servers' status (servers.go).
	FetchStatus bool `schema:"fetchStatus"`
}

type getHealthStatusResponse struct {
	success
	Checks healthChecks `json:"checks"`
}

// healthChecks are the checks run, by severity.
type healthChecks struct {
	Success []healthCheck `json:"success"`
	Warning []healthCheck `json:"warning"`
	Danger  []healthCheck `json:"danger"`
}

// healthCheck is one check as WHMCS reports it (the 7.10 recording; the
// same in 8.x): its name, what it is about (type: WHMCS, PHP, DB, HTTP),
// its severityLevel (notice when it passes, warning or error) and a body.
type healthCheck struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	SeverityLevel string `json:"severityLevel"`
	Body          string `json:"body"`
}

// Where a check goes and the severityLevel it carries, by outcome.
const (
	healthPassed  = "notice"
	healthWarning = "warning"
	healthFailed  = "error"
)

func (h *healthChecks) add(severity, typ, name, body string) {
	c := healthCheck{Name: name, Type: typ, SeverityLevel: severity, Body: body}
	switch severity {
	case healthPassed:
		h.Success = append(h.Success, c)
	case healthWarning:
		h.Warning = append(h.Warning, c)
	default:
		h.Danger = append(h.Danger, c)
	}
}

// getHealthStatus reports the checks whmcsemu can really make: the
// database's integrity (SQLite's quick_check) and whether the System URL
// is an absolute http(s) URL. It does not pretend to check what it does
// not have (cron, PHP, servers).
func getHealthStatus(ctx context.Context, env *Env, _ *getHealthStatusRequest) (any, error) {
	checks := healthChecks{Success: []healthCheck{}, Warning: []healthCheck{}, Danger: []healthCheck{}}
	var verdict string
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		verdict, err = tx.QuickCheck(ctx)
		return err
	})
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, err
	case err != nil:
		env.Log.Error("GetHealthStatus: the database check failed to run", "err", err)
		checks.add(healthFailed, "DB", "DatabaseIntegrity", "The database integrity check could not run; the server log has the details.")
	case verdict == "ok":
		checks.add(healthPassed, "DB", "DatabaseIntegrity", "The database passed the SQLite integrity quick check.")
	default:
		checks.add(healthFailed, "DB", "DatabaseIntegrity", "The database failed the SQLite integrity quick check: "+strings.Join(strings.Fields(verdict), " "))
	}
	if err := checkSystemURL(env.Settings().SystemURL); err != nil {
		checks.add(healthWarning, "WHMCS", "SystemURL", "The System URL "+err.Error()+".")
	} else {
		checks.add(healthPassed, "WHMCS", "SystemURL", "The System URL is an absolute http(s) URL.")
	}
	return &getHealthStatusResponse{Checks: checks}, nil
}

type passwordRequest struct {
	Password2 string `schema:"password2"`
}

type passwordResponse struct {
	success
	Password string `json:"password"`
}

// encryptionKeyName names the EncryptPassword key among the secrets.
const encryptionKeyName = "encrypt_password_key"

// encryptionLabel is authenticated with every ciphertext, so that only
// strings EncryptPassword made decrypt.
var encryptionLabel = []byte("whmcsemu EncryptPassword v1")

// encryptPassword seals password2 with AES-256-GCM under the database's
// own key (made on first use, never exported or logged): base64 of the
// nonce followed by the sealed text. A fresh nonce per call makes the same
// string encrypt differently each time, as WHMCS notes.
func encryptPassword(ctx context.Context, env *Env, req *passwordRequest) (any, error) {
	aead, err := passwordCipher(ctx, env, true)
	if err != nil {
		return nil, err
	}
	nonce := env.randomBytes(aead.NonceSize())
	sealed := aead.Seal(nonce, nonce, []byte(req.Password2), encryptionLabel)
	return &passwordResponse{Password: base64.StdEncoding.EncodeToString(sealed)}, nil
}

func decryptPassword(ctx context.Context, env *Env, req *passwordRequest) (any, error) {
	failed := Errorf("Decryption failed: password2 was not encrypted by this installation")
	aead, err := passwordCipher(ctx, env, false)
	if err != nil {
		return nil, notFoundAs(err, failed) // not found: nothing was ever encrypted here
	}
	sealed, err := base64.StdEncoding.DecodeString(req.Password2)
	if err != nil || len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, failed
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], encryptionLabel)
	if err != nil {
		return nil, failed
	}
	return &passwordResponse{Password: string(plain)}, nil
}

// passwordCipher returns the AES-GCM cipher under the database's key. With
// create, a database without a key gets one (in its own transaction);
// without, it is store.ErrNotFound.
func passwordCipher(ctx context.Context, env *Env, create bool) (cipher.AEAD, error) {
	var key []byte
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		key, err = tx.Secret(ctx, encryptionKeyName, nil)
		return err
	})
	if errors.Is(err, store.ErrNotFound) && create {
		err = env.DB.Update(ctx, func(tx *store.Tx) (err error) {
			key, err = tx.Secret(ctx, encryptionKeyName, func() []byte { return env.randomBytes(32) })
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("the stored EncryptPassword key is unusable: %w", err) // never the key itself
	}
	return cipher.NewGCM(block)
}

// fullAdminPermissions are the permissions of WHMCS's Full Administrator
// role, the role every whmcsemu admin has, in WHMCS's order.
var fullAdminPermissions = []string{
	"Main Homepage", "My Account", "List Clients", "List Services", "List Addons", "List Domains",
	"Add New Client", "Edit Clients Details", "Manage Pay Methods", "View Clients Products/Services",
	"Edit Clients Products/Services", "Delete Clients Products/Services", "Perform Server Operations",
	"View Clients Domains", "Edit Clients Domains", "Delete Clients Domains", "View Clients Notes",
	"Add/Edit Client Notes", "Delete Client", "Mass Mail", "View Cancellation Requests", "Manage Affiliates",
	"View Orders", "Delete Order", "View Order Details", "Add New Order", "List Transactions",
	"Add Transaction", "Edit Transaction", "Delete Transaction", "View Gateway Log", "List Invoices",
	"Create Invoice", "Manage Invoice", "Delete Invoice", "Offline Credit Card Processing",
	"Support Center Overview", "Manage Announcements", "Manage Knowledgebase", "Manage Downloads",
	"List Support Tickets", "Open New Ticket", "Manage Predefined Replies", "View Reports", "Addon Modules",
	"Link Tracking", "Calendar", "To-Do List", "WHOIS Lookups", "Domain Resolver Checker",
	"View Integration Code", "WHM Import Script", "Database Status", "System Cleanup Operations",
	"View PHP Info", "View Activity Log", "View Admin Log", "View Email Message Log",
	"View Ticket Mail Import Log", "View WHOIS Lookup Log", "Configure General Settings",
	"Configure Administrators", "Configure Admin Roles", "Configure Servers", "Configure Automation Settings",
	"Configure Payment Gateways", "Tax Configuration", "View Email Templates", "View Products/Services",
	"Configure Product Addons", "View Promotions", "Configure Domain Pricing", "Configure Support Departments",
	"Configure Spam Control", "Configure Banned Emails", "Configure Domain Registrars",
	"Configure Fraud Protection", "Configure Custom Client Fields", "API Access", "View Flagged Tickets",
	"Configure Database Backups", "Manage Network Issues", "Manage Quotes", "Configure Currencies",
	"Configure Security Questions", "Client Data Export", "Mass Data Export", "View Billable Items",
	"Manage Billable Items", "Configure Client Groups", "Refund Invoice Payments", "Delete Ticket",
	"View Income Totals", "Manage Clients Files", "Configure Ticket Statuses", "Delete Client Notes",
	"Perform Registrar Operations", "Create Upgrade/Downgrade Orders", "Configure Addon Modules",
	"Email Marketer", "Configure Product Bundles", "View Module Debug Log", "View Clients Summary",
	"View Support Ticket", "Decrypt Full Credit Card Number", "Update/Delete Stored Credit Card",
	"Create/Edit Promotions", "Delete Promotions", "View Banned IPs", "Add Banned IP", "Unban Banned IP",
	"Create/Edit Email Templates", "Delete Email Templates", "Manage Email Template Languages",
	"Create New Products/Services", "Edit Products/Services", "Delete Products/Services",
	"Manage Product Groups", "Allow Login as Owner", "Configure Order Statuses", "Attempts CC Captures",
	"Generate Due Invoices", "Create Predefined Replies", "Delete Predefined Replies",
	"Configure Two-Factor Authentication", "View Credit Log", "Manage Credits", "WHMCSConnect",
	"Health and Updates", "Configure Application Links", "Configure OpenID Connect", "Update WHMCS",
	"Modify Update Configuration",
}
