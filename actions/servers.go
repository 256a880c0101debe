// This file holds WHMCS's GetServers (Servers category).
//
// GetServers: no messages. Lists the servers that are not disabled, by id,
// keys and kinds as the docs' example: id, name, hostname, ipaddress,
// active (the default server of its module), activeServices (its services
// that are Active or Suspended: AcceptOrder's and UpdateClientProduct's
// serverid put services on a server), maxAllowedServices, percentUsed
// (activeServices of maxAllowedServices, rounded to a whole number; 0
// when no maximum), module, and status. serviceId (a service) or addonId
// (a client's addon; it wins when both are sent) keeps the servers of its
// product's or addon's module; a service or addon that does not exist, or
// whose product or addon has no module, does not filter. With fetchStatus
// true (PHP's truthiness) status holds what the fixture says fetching the
// server finds (http, load, uptime); otherwise http false and "" for the
// others, as in the example. fetchStatus is echoed as sent ("" when not).

package actions

import (
	"context"
	"errors"

	"github.com/whmcsemu/whmcsemu/store"
)

type getServersRequest struct {
	ServiceID   int64  `schema:"serviceId"`
	AddonID     int64  `schema:"addonId"`
	FetchStatus string `schema:"fetchStatus"`
}

type getServersResponse struct {
	success
	Servers     []serverItem `json:"servers"`
	FetchStatus string       `json:"fetchStatus"`
}

type serverItem struct {
	ID                 int64        `json:"id"`
	Name               string       `json:"name"`
	Hostname           string       `json:"hostname"`
	IPAddress          string       `json:"ipaddress"`
	Active             bool         `json:"active"`
	ActiveServices     int64        `json:"activeServices"`
	MaxAllowedServices int64        `json:"maxAllowedServices"`
	PercentUsed        int64        `json:"percentUsed"`
	Module             string       `json:"module"`
	Status             serverStatus `json:"status"`
}

type serverStatus struct {
	HTTP   bool   `json:"http"`
	Load   string `json:"load"`
	Uptime string `json:"uptime"`
}

func getServers(ctx context.Context, env *Env, req *getServersRequest) (any, error) {
	var list []store.ServerEntry
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		module := ""
		if req.ServiceID > 0 {
			s, err := tx.ServiceModuleByID(ctx, req.ServiceID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			module = s.Module
		}
		if req.AddonID > 0 {
			a, err := tx.ClientAddonByID(ctx, req.AddonID)
			if err == nil {
				module = ""
				if a.AddonID != 0 {
					var c store.Addon
					c, err = tx.AddonByID(ctx, a.AddonID)
					module = c.Module
				}
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		var err error
		list, err = tx.ListServers(ctx, module, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	fetch := Truthy(req.FetchStatus)
	resp := &getServersResponse{Servers: make([]serverItem, len(list)), FetchStatus: req.FetchStatus}
	for i, v := range list {
		item := serverItem{ID: v.ID, Name: v.Name, Hostname: v.Hostname, IPAddress: v.IPAddress, Active: v.Active,
			ActiveServices: v.Services, MaxAllowedServices: v.MaxAccounts, Module: v.Type}
		if v.MaxAccounts > 0 {
			item.PercentUsed = (v.Services*200 + v.MaxAccounts) / (2 * v.MaxAccounts)
		}
		if fetch {
			item.Status = serverStatus{HTTP: v.StatusHTTP, Load: v.Load, Uptime: v.Uptime}
		}
		resp.Servers[i] = item
	}
	return resp, nil
}
