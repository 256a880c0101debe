// This file holds WHMCS's Module actions: ActivateModule, DeactivateModule,
// GetModuleConfigurationParameters, UpdateModuleConfiguration and
// GetModuleQueue, over the catalog of modules whmcsemu emulates (below),
// and ModuleFaulted, which records a module command a fault rule failed.
//
// The catalog: module types gateway, registrar, server, fraud and addon
// (WHMCS's folders under modules/, named as WHMCS's module classes are);
// moduleType and moduleName are compared exactly, as WHMCS does. Gateways:
// banktransfer, mailin, paypal, stripe; registrars: enom, resellerclub;
// servers: cpanel, directadmin, plesk; fraud: fraudlabs, maxmind; addons:
// google_analytics, mailchimp. An active gateway is a payment gateway
// (GetPaymentMethods lists it, AddOrder accepts it) whose FriendlyName is
// its display name; the other types' active modules and every module's
// values are kept in migration 0021's tables. Server modules are not
// activated and have no module-wide configuration (a server's own
// settings are the servers'), so the four configuration actions answer
// WHMCS's "not supported by module type" messages for them.
//
// ActivateModule: "Invalid module type provided. Supported module types
// include: gateway, registrar, server, fraud, addon" · "Invalid module name
// provided." · "Module activation not supported by module type." (server) ·
// "Failed to activate: Module already active" (whmcsemu's reason). The
// module becomes active with the parameters[<name>] sent (names the
// module does not have are ignored); a gateway without FriendlyName takes
// the catalog's display name.
//
// DeactivateModule: the same type and name messages · "Module deactivation
// not supported by module type." (server) · "Failed to deactivate: Module
// not active" · "Failed to deactivate: newGateway must name another
// active gateway" (a gateway: WHMCS moves what uses the gateway to
// another; whmcsemu's wording). The module's values go with it; a
// gateway's services, addons, domains and Unpaid invoices switch to
// newGateway.
//
// GetModuleConfigurationParameters: the same type and name messages · "Get
// module configuration parameters not supported by module type." (server).
// parameters lists each of the module's fields: name, displayName,
// fieldType (text, password, yesno, textarea, dropdown), active or not.
//
// UpdateModuleConfiguration: the same type and name messages · "Module
// activation not supported by module type." (server: WHMCS documents this
// wording for it) · "Module Configuration Update Failed: Module not active".
// The parameters sent replace the module's values of those names.
//
// GetModuleQueue: no messages. Lists the module calls that failed and are
// not completed, by id: relatedId (with serviceType service, domain or
// addon), moduleName and moduleAction (any case) and since (Y-m-d, or
// Y-m-d H:i:s: last attempted then or later; another form does not filter)
// filter. count is a number, the items' values strings, as the docs'
// example shows them. A module command (ModuleCreate, ModuleSuspend,
// ModuleUnsuspend, ModuleTerminate, ModuleChangePackage, ModuleChangePw,
// ModuleCustom) that a fault rule fails is queued for its service, as
// CreateAccount, SuspendAccount, UnsuspendAccount, TerminateAccount,
// ChangePackage, ChangePassword or the custom function's name, with the
// product's module and the fault's message; failing again counts a retry
// of the same item, and the command succeeding later completes it.

package actions

import (
	"context"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// moduleField is one configuration field of a module.
type moduleField struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	FieldType   string `json:"fieldType"`
}

// moduleSpec is a module of the catalog.
type moduleSpec struct {
	display string // a gateway's display name before one is set
	fields  []moduleField
}

// moduleTypes are the module types, in the order WHMCS's message lists
// them.
var moduleTypes = []string{"gateway", "registrar", "server", "fraud", "addon"}

func field(name, display, typ string) moduleField {
	return moduleField{Name: name, DisplayName: display, FieldType: typ}
}

// moduleCatalog is every module whmcsemu emulates, by type and name.
var moduleCatalog = map[string]map[string]moduleSpec{
	"gateway": {
		"banktransfer": {display: "Bank Transfer", fields: []moduleField{field("FriendlyName", "FriendlyName", "text"),
			field("instructions", "Bank Name/Payee Name/Sort Code/Account Number", "textarea")}},
		"mailin": {display: "Mail In Payment", fields: []moduleField{field("FriendlyName", "FriendlyName", "text"),
			field("instructions", "Instructions", "textarea")}},
		"paypal": {display: "PayPal", fields: []moduleField{field("FriendlyName", "FriendlyName", "text"),
			field("email", "PayPal Email", "text"), field("forceonetime", "Force One Time Payments", "yesno"),
			field("forcesubscriptions", "Force Subscriptions", "yesno"),
			field("requireshipping", "Require Shipping Address", "yesno"),
			field("overrideaddress", "Client Address Matching", "yesno"), field("apiusername", "API Username", "text"),
			field("apipassword", "API Password", "text"), field("apisignature", "API Signature", "text"),
			field("sandbox", "Sandbox Mode", "yesno")}},
		"stripe": {display: "Stripe", fields: []moduleField{field("FriendlyName", "FriendlyName", "text"),
			field("publishableKey", "Stripe Publishable API Key", "text"),
			field("secretKey", "Stripe Secret API Key", "password"),
			field("statementDescriptor", "Statement Descriptor Suffix", "text")}},
	},
	"registrar": {
		"enom": {fields: []moduleField{field("Username", "Username", "text"), field("Password", "Password", "password"),
			field("TestMode", "Test Mode", "yesno")}},
		"resellerclub": {fields: []moduleField{field("ResellerID", "Reseller ID", "text"),
			field("APIKey", "API Key", "password"), field("TestMode", "Test Mode", "yesno")}},
	},
	"server": {"cpanel": {}, "directadmin": {}, "plesk": {}},
	"fraud": {
		"fraudlabs": {fields: []moduleField{field("apiKey", "API Key", "text"),
			field("rejectScore", "Reject Score", "text")}},
		"maxmind": {fields: []moduleField{field("userId", "MaxMind User ID", "text"),
			field("licenseKey", "License Key", "password"), field("serviceType", "Service Type", "dropdown")}},
	},
	"addon": {
		"google_analytics": {fields: []moduleField{field("code", "Tracking Code", "text")}},
		"mailchimp":        {fields: []moduleField{field("apiKey", "API Key", "password")}},
	},
}

// ModuleTypes returns the module types whmcsemu emulates; ModuleNames and
// ModuleFields what the catalog holds of one type and module, for fixtures.
func ModuleTypes() []string { return append([]string(nil), moduleTypes...) }

// ModuleNames returns the modules of a type, sorted.
func ModuleNames(typ string) []string {
	var out []string
	for name := range moduleCatalog[typ] {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ModuleHasField reports whether a module of the catalog has a
// configuration field.
func ModuleHasField(typ, name, fieldName string) bool {
	for _, f := range moduleCatalog[typ][name].fields {
		if f.Name == fieldName {
			return true
		}
	}
	return false
}

// moduleLookup checks the module type and name: WHMCS's first two
// messages.
func moduleLookup(typ, name string) (moduleSpec, error) {
	byName, ok := moduleCatalog[typ]
	if !ok {
		return moduleSpec{}, Errorf("Invalid module type provided. Supported module types include: %s",
			strings.Join(moduleTypes, ", "))
	}
	spec, ok := byName[name]
	if !ok {
		return moduleSpec{}, Errorf("Invalid module name provided.")
	}
	return spec, nil
}

type moduleNameRequest struct {
	ModuleType string `schema:"moduleType"`
	ModuleName string `schema:"moduleName"`
}

// activateModuleRequest is ActivateModule's and UpdateModuleConfiguration's.
type activateModuleRequest struct {
	ModuleType string `schema:"moduleType"`
	ModuleName string `schema:"moduleName"`
	// Parameters names the parameters[<name>] keys, which are read from
	// the request itself.
	Parameters string `schema:"parameters"`
}

type deactivateModuleRequest struct {
	ModuleType string `schema:"moduleType"`
	ModuleName string `schema:"moduleName"`
	NewGateway string `schema:"newGateway"`
}

// moduleParams reads parameters[<name>] for the fields the module has.
func moduleParams(spec moduleSpec, params url.Values) map[string]string {
	out := map[string]string{}
	for _, f := range spec.fields {
		if v, ok := params["parameters["+f.Name+"]"]; ok && len(v) > 0 {
			out[f.Name] = v[len(v)-1]
		}
	}
	return out
}

// moduleActive reports whether a module is active: a gateway when it is a
// payment gateway, another module when the modules table has it.
func moduleActive(ctx context.Context, tx *store.Tx, typ, name string) (bool, error) {
	if typ == "gateway" {
		gateways, err := tx.PaymentGateways(ctx)
		if err != nil {
			return false, err
		}
		for _, g := range gateways {
			if g.Module == name {
				return true, nil
			}
		}
		return false, nil
	}
	active, err := tx.ActiveModules(ctx, typ)
	if err != nil {
		return false, err
	}
	for _, a := range active {
		if a == name {
			return true, nil
		}
	}
	return false, nil
}

// setModuleValues stores a module's values; a gateway's FriendlyName is
// its display name.
func setModuleValues(ctx context.Context, tx *store.Tx, typ, name string, values map[string]string) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if typ == "gateway" && k == "FriendlyName" {
			if err := tx.SetGatewayDisplayName(ctx, name, values[k]); err != nil {
				return err
			}
			continue
		}
		if err := tx.SetModuleSetting(ctx, typ, name, k, values[k]); err != nil {
			return err
		}
	}
	return nil
}

// activatableModule is the module ActivateModule and
// UpdateModuleConfiguration name: one WHMCS has (moduleLookup), but no
// server module, which is not activated.
func activatableModule(req *activateModuleRequest) (moduleSpec, error) {
	spec, err := moduleLookup(req.ModuleType, req.ModuleName)
	if err == nil && req.ModuleType == "server" {
		err = Errorf("Module activation not supported by module type.")
	}
	return spec, err
}

func activateModule(ctx context.Context, env *Env, req *activateModuleRequest, params url.Values) (any, error) {
	spec, err := activatableModule(req)
	if err != nil {
		return nil, err
	}
	err = env.DB.Update(ctx, func(tx *store.Tx) error {
		active, err := moduleActive(ctx, tx, req.ModuleType, req.ModuleName)
		if err != nil {
			return err
		}
		if active {
			return Errorf("Failed to activate: Module already active")
		}
		values := moduleParams(spec, params)
		if req.ModuleType == "gateway" {
			display := spec.display
			if v := values["FriendlyName"]; v != "" {
				display = v
			}
			if _, err := tx.PutPaymentGateway(ctx, store.PaymentGateway{Module: req.ModuleName, DisplayName: display}); err != nil {
				return err
			}
		} else if err := tx.SetModuleActive(ctx, req.ModuleType, req.ModuleName, true); err != nil {
			return err
		}
		return setModuleValues(ctx, tx, req.ModuleType, req.ModuleName, values)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("module activated", "type", req.ModuleType, "module", req.ModuleName)
	return &resultOnly{}, nil
}

func deactivateModule(ctx context.Context, env *Env, req *deactivateModuleRequest) (any, error) {
	if _, err := moduleLookup(req.ModuleType, req.ModuleName); err != nil {
		return nil, err
	}
	if req.ModuleType == "server" {
		return nil, Errorf("Module deactivation not supported by module type.")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		active, err := moduleActive(ctx, tx, req.ModuleType, req.ModuleName)
		if err != nil {
			return err
		}
		if !active {
			return Errorf("Failed to deactivate: Module not active")
		}
		if req.ModuleType != "gateway" {
			return tx.SetModuleActive(ctx, req.ModuleType, req.ModuleName, false)
		}
		next := strings.TrimSpace(req.NewGateway)
		if ok, err := moduleActive(ctx, tx, "gateway", next); err != nil {
			return err
		} else if !ok || next == req.ModuleName {
			return Errorf("Failed to deactivate: newGateway must name another active gateway")
		}
		return tx.DeletePaymentGateway(ctx, req.ModuleName, next)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("module deactivated", "type", req.ModuleType, "module", req.ModuleName)
	return &resultOnly{}, nil
}

type moduleParametersResponse struct {
	success
	Parameters []moduleField `json:"parameters"`
}

func getModuleConfigurationParameters(_ context.Context, _ *Env, req *moduleNameRequest) (any, error) {
	spec, err := moduleLookup(req.ModuleType, req.ModuleName)
	if err != nil {
		return nil, err
	}
	if req.ModuleType == "server" {
		return nil, Errorf("Get module configuration parameters not supported by module type.")
	}
	return &moduleParametersResponse{Parameters: append([]moduleField{}, spec.fields...)}, nil
}

func updateModuleConfiguration(ctx context.Context, env *Env, req *activateModuleRequest, params url.Values) (any, error) {
	spec, err := activatableModule(req)
	if err != nil {
		return nil, err
	}
	err = env.DB.Update(ctx, func(tx *store.Tx) error {
		active, err := moduleActive(ctx, tx, req.ModuleType, req.ModuleName)
		if err != nil {
			return err
		}
		if !active {
			return Errorf("Module Configuration Update Failed: Module not active")
		}
		return setModuleValues(ctx, tx, req.ModuleType, req.ModuleName, moduleParams(spec, params))
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("module configuration updated", "type", req.ModuleType, "module", req.ModuleName)
	return &resultOnly{}, nil
}

type getModuleQueueRequest struct {
	RelatedID    int64  `schema:"relatedId"`
	ServiceType  string `schema:"serviceType"`
	ModuleName   string `schema:"moduleName"`
	ModuleAction string `schema:"moduleAction"`
	Since        string `schema:"since"`
}

type getModuleQueueResponse struct {
	success
	Count int               `json:"count"`
	Queue []moduleQueueItem `json:"queue"`
}

// moduleQueueItem is a queue item; every value a string, as the docs'
// example shows.
type moduleQueueItem struct {
	ID               string `json:"id"`
	ServiceType      string `json:"serviceType"`
	ServiceID        string `json:"serviceId"`
	ModuleName       string `json:"moduleName"`
	ModuleAction     string `json:"moduleAction"`
	LastAttempt      string `json:"lastAttempt"`
	LastAttemptError string `json:"lastAttemptError"`
	NumRetries       string `json:"numRetries"`
	Completed        string `json:"completed"`
	CreatedAt        string `json:"createdAt"`
	UpdatedAt        string `json:"updatedAt"`
}

func getModuleQueue(ctx context.Context, env *Env, req *getModuleQueueRequest) (any, error) {
	f := store.QueueFilter{ServiceType: strings.TrimSpace(req.ServiceType), RelID: max(req.RelatedID, 0),
		ModuleName: strings.TrimSpace(req.ModuleName), ModuleAction: strings.TrimSpace(req.ModuleAction),
		Incomplete: true}
	since := strings.TrimSpace(req.Since)
	if t, err := time.Parse(time.DateTime, since); err == nil {
		f.Since = t.Format(time.DateTime)
	} else if t, err := time.Parse(time.DateOnly, since); err == nil {
		f.Since = t.Format(time.DateTime)
	}
	var items []store.QueueItem
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		items, err = tx.QueueItems(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getModuleQueueResponse{Count: len(items), Queue: make([]moduleQueueItem, len(items))}
	for i, q := range items {
		resp.Queue[i] = moduleQueueItem{ID: itoa(q.ID), ServiceType: q.ServiceType, ServiceID: itoa(q.RelID),
			ModuleName: q.ModuleName, ModuleAction: q.ModuleAction, LastAttempt: q.LastAttempt,
			LastAttemptError: q.LastAttemptError, NumRetries: itoa(q.NumRetries), Completed: boolDigit(q.Completed),
			CreatedAt: q.CreatedAt, UpdatedAt: q.UpdatedAt}
	}
	return resp, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// moduleCommands are the module commands by normalised action name, with
// the module function WHMCS runs for each (ModuleCustom runs func_name).
var moduleCommands = map[string]string{
	"modulecreate": cmdCreate, "modulesuspend": cmdSuspend, "moduleunsuspend": cmdUnsuspend,
	"moduleterminate": cmdTerminate, "modulechangepackage": cmdChangePackage, "modulechangepw": cmdChangePassword,
	"modulecustom": "",
}

// The provisioning modules' commands, as the module queue names them.
const (
	cmdCreate         = "CreateAccount"
	cmdSuspend        = "SuspendAccount"
	cmdUnsuspend      = "UnsuspendAccount"
	cmdTerminate      = "TerminateAccount"
	cmdChangePackage  = "ChangePackage"
	cmdChangePassword = "ChangePassword"
)

// ModuleFaulted records, in one transaction, that a fault rule failed a
// module command (action, normalised) with message: the service its
// serviceid (or accountid) names gets a module queue item, as a failing
// module would give it. Any other action, or a service that does not
// exist, records nothing. The pipeline calls it when a fault hits.
func ModuleFaulted(ctx context.Context, env *Env, action string, params url.Values, message string) {
	command, ok := moduleCommands[action]
	if !ok {
		return
	}
	if action == "modulecustom" {
		command = strings.TrimSpace(params.Get("func_name"))
	}
	raw := params.Get("serviceid")
	if raw == "" {
		raw = params.Get("accountid")
	}
	id := IntVal(raw)
	if id <= 0 {
		return
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.ServiceModuleByID(ctx, id)
		if err != nil {
			return err
		}
		return tx.ModuleFailed(ctx, store.QueueItem{ServiceType: "service", RelID: s.ID, ModuleName: s.Module,
			ModuleAction: command, LastAttemptError: message}, env.Now().UTC().Format(time.DateTime))
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		env.Log.Error("recording a failed module command", "action", action, "err", err)
	}
}
