// This file holds WHMCS's module commands beyond the four in services.go:
// ModuleChangePackage, ModuleChangePw and ModuleCustom (Service category).
// Like those, they run no provisioning module: each does what WHMCS does
// when the module reports success, and completes the command's items in
// the module queue (ChangePackage, ChangePassword, or the custom
// function's name); a fault rule on the action fails it and queues it
// (modules.go).
//
// ModuleChangePackage: "Service ID is required" (serviceid, or the older
// accountid, missing or not a positive number) · "Service ID not found".
// The service's product is what the module would be told to apply; the
// service does not change.
//
// ModuleChangePw: the same messages. servicepassword, when sent, becomes
// the service's password (GetClientsProducts shows it); without it the
// module would be sent the password the service has, which stays.
//
// ModuleCustom: the same messages · "Function name is required" (func_name
// missing; whmcsemu's wording, as WHMCS documents none). Any function
// name succeeds; the service does not change.

package actions

import (
	"context"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

type moduleChangePackageRequest struct {
	ServiceID string `schema:"serviceid"`
	AccountID string `schema:"accountid"`
}

type moduleChangePwRequest struct {
	ServiceID       string  `schema:"serviceid"`
	AccountID       string  `schema:"accountid"`
	ServicePassword *string `schema:"servicepassword"`
}

type moduleCustomRequest struct {
	ServiceID string `schema:"serviceid"`
	AccountID string `schema:"accountid"`
	FuncName  string `schema:"func_name"`
}

func moduleChangePackageAction(ctx context.Context, env *Env, req *moduleChangePackageRequest) (any, error) {
	return runModule(ctx, env, req.ServiceID, req.AccountID, moduleAction{name: "change package", command: cmdChangePackage})
}

func moduleChangePwAction(ctx context.Context, env *Env, req *moduleChangePwRequest) (any, error) {
	m := moduleAction{name: "change password", command: cmdChangePassword}
	if req.ServicePassword != nil {
		m.apply = func(_ *Env, d *store.ServiceDetails) { d.Password = *req.ServicePassword }
	}
	return runModule(ctx, env, req.ServiceID, req.AccountID, m)
}

func moduleCustomAction(ctx context.Context, env *Env, req *moduleCustomRequest) (any, error) {
	name := strings.TrimSpace(req.FuncName)
	return runModule(ctx, env, req.ServiceID, req.AccountID, moduleAction{name: "custom", command: name,
		check: func() error {
			if name == "" {
				return Errorf("Function name is required")
			}
			return nil
		}})
}
