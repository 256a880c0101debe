// This file holds WHMCS's DomainWhois and GetRegistrars (Domains
// category), and the IDN languages DomainRegister takes.
//
// DomainWhois: "Domain not valid" (domain missing, or no valid domain name:
// see ValidDomainName; compared in lower case) · "The given TLD is not
// supported for WHOIS lookups" (a fixture's domainWhois.unsupportedTlds
// lists the name's TLD, or a shorter suffix of it). No network lookup: the
// answer is decided by the state. status is "unavailable" for a name a
// fixture lists as taken or reserved, for one the emulated registrar holds
// and for one Transferred Away (registered elsewhere); "available" for any
// other. whois is the text a WHOIS server would send (lines joined by
// "\n"): for an available name `No match for "NAME".`; for a reserved one
// "Domain Name: NAME" and "Domain Status: reserved"; for one listed as
// taken or Transferred Away "Domain Name: NAME" and "Domain Status:
// registered"; for one the registrar holds "Domain Name", "Registrar" (its
// display name), "Creation Date", "Registry Expiry Date", "Domain Status"
// (clientTransferProhibited when locked, else ok), one "Name Server" line
// each and "Registrant Name" (REDACTED FOR PRIVACY with ID protection on).
// NAME is the name in upper case.
//
// GetRegistrars: no messages. registrars lists the active registrars, by
// id, each with module and displayName (WHMCS documents no example; this
// shape is whmcsemu's). A new emulator has one, module "whmcsemu"
// ("whmcsemu Registrar"); a fixture's registrars replace it.

package actions

import (
	"context"
	"errors"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// whoisAvailable reports whether DomainWhois would answer the name (lower
// case) available, not counting the domain exceptID.
func whoisAvailable(ctx context.Context, tx *store.Tx, name string, exceptID int64) (bool, error) {
	for _, kind := range []string{store.WhoisTaken, store.WhoisReserved} {
		if listed, err := tx.WhoisNameIs(ctx, kind, name); err != nil || listed {
			return false, err
		}
	}
	registered, err := tx.DomainNameRegistered(ctx, name, exceptID)
	return !registered, err
}

type domainWhoisRequest struct {
	Domain string `schema:"domain"`
}

type domainWhoisResponse struct {
	success
	Status string `json:"status"`
	Whois  string `json:"whois"`
}

func domainWhois(ctx context.Context, env *Env, req *domainWhoisRequest) (any, error) {
	name := strings.ToLower(strings.TrimSpace(req.Domain))
	if !ValidDomainName(name) {
		return nil, Errorf("Domain not valid")
	}
	upper := strings.ToUpper(name)
	resp := &domainWhoisResponse{Status: "unavailable"}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		for i := strings.IndexByte(name, '.'); i >= 0; {
			if unsupported, err := tx.WhoisNameIs(ctx, store.WhoisUnsupported, name[i:]); err != nil {
				return err
			} else if unsupported {
				return Errorf("The given TLD is not supported for WHOIS lookups")
			}
			next := strings.IndexByte(name[i+1:], '.')
			if next < 0 {
				break
			}
			i += next + 1
		}
		if reserved, err := tx.WhoisNameIs(ctx, store.WhoisReserved, name); err != nil {
			return err
		} else if reserved {
			resp.Whois = "Domain Name: " + upper + "\nDomain Status: reserved"
			return nil
		}
		if d, err := tx.HeldDomainByName(ctx, name); err == nil {
			resp.Whois, err = whoisRecord(ctx, tx, d)
			return err
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		available, err := whoisAvailable(ctx, tx, name, 0)
		if err != nil {
			return err
		}
		if available {
			resp.Status, resp.Whois = "available", `No match for "`+upper+`".`
		} else {
			resp.Whois = "Domain Name: " + upper + "\nDomain Status: registered"
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// whoisRecord is the WHOIS text of a domain the registrar holds.
func whoisRecord(ctx context.Context, tx *store.Tx, d store.Domain) (string, error) {
	r, err := tx.DomainRegistrarByID(ctx, d.ID)
	if err != nil {
		return "", err
	}
	registrar := d.Registrar
	regs, err := tx.Registrars(ctx)
	if err != nil {
		return "", err
	}
	for _, reg := range regs {
		if reg.Module == d.Registrar {
			registrar = reg.DisplayName
		}
	}
	status := "ok"
	if r.Locked {
		status = "clientTransferProhibited"
	}
	lines := []string{"Domain Name: " + strings.ToUpper(d.Domain), "Registrar: " + registrar,
		"Creation Date: " + d.RegDate, "Registry Expiry Date: " + d.ExpiryDate, "Domain Status: " + status}
	for _, ns := range r.Nameservers {
		lines = append(lines, "Name Server: "+strings.ToUpper(ns))
	}
	registrant := "REDACTED FOR PRIVACY"
	if !d.IDProtection {
		contacts, err := domainContacts(ctx, tx, d, r)
		if err != nil {
			return "", err
		}
		registrant = strings.TrimSpace(contacts[0].FirstName + " " + contacts[0].LastName)
	}
	return strings.Join(append(lines, "Registrant Name: "+registrant), "\n"), nil
}

type getRegistrarsRequest struct{}

type registrarItem struct {
	Module      string `json:"module"`
	DisplayName string `json:"displayName"`
}

type getRegistrarsResponse struct {
	success
	Registrars []registrarItem `json:"registrars"`
}

func getRegistrars(ctx context.Context, env *Env, _ *getRegistrarsRequest) (any, error) {
	var regs []store.Registrar
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		regs, err = tx.Registrars(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getRegistrarsResponse{Registrars: make([]registrarItem, len(regs))}
	for i, r := range regs {
		resp.Registrars[i] = registrarItem{Module: r.Module, DisplayName: r.DisplayName}
	}
	return resp, nil
}

// idnLanguages are the IDN language codes DomainRegister's idnlanguage
// takes (ISO 639-2 codes as registrars list them).
var idnLanguages = []string{
	"afr", "alb", "ara", "arg", "arm", "asm", "ast", "ave", "awa", "aze", "bak", "bal", "ban", "baq", "bas",
	"bel", "ben", "bho", "bos", "bul", "bur", "car", "cat", "che", "chi", "chv", "cop", "cos", "cze", "dan",
	"div", "doi", "dut", "eng", "est", "fao", "fij", "fin", "fre", "fry", "geo", "ger", "gla", "gle", "gon",
	"gre", "guj", "heb", "hin", "hun", "ice", "inc", "ind", "inh", "ita", "jav", "jpn", "kas", "kaz", "khm",
	"kir", "kor", "kur", "lao", "lav", "lit", "ltz", "mac", "mal", "mao", "may", "mlt", "mol", "mon", "nep",
	"nor", "ori", "oss", "pan", "per", "pol", "por", "pus", "raj", "rum", "rus", "san", "scc", "scr", "sin",
	"slo", "slv", "smo", "snd", "som", "spa", "srd", "swa", "swe", "syr", "tam", "tel", "tgk", "tha", "tib",
	"tur", "ukr", "urd", "uzb", "wel", "yid",
}

// IDNLanguage returns the IDN language code s names (any case), and
// whether it is one.
func IDNLanguage(s string) (string, bool) {
	code := strings.ToLower(strings.TrimSpace(s))
	for _, c := range idnLanguages {
		if c == code {
			return c, true
		}
	}
	return "", false
}
