package oauth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// loginForm is the flow name of login.php's sign-in and sign-out forms'
// CSRF tokens (a two-factor step has a flow of its own).
const loginForm = "login.php"

// clientArea is GET clientarea.php: who is signed in on this browser (and
// for which client, after single sign-on), or a redirect to login.php.
// Whatever page of the client area the query names, the answer is this
// one: whmcsemu emulates the sign-in, not the client area.
func (h *Handler) clientArea(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.errorPage(w, r, http.StatusMethodNotAllowed, "Method not allowed", "Use GET.")
		return
	}
	ctx := r.Context()
	s, signed, err := h.session(ctx, r)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if !signed {
		noStore(w)
		http.Redirect(w, r, h.base()+"login.php", http.StatusFound)
		return
	}
	p := page{Title: "Client Area", Action: "login.php", CSRF: h.csrfToken(h.browserID(w, r), loginForm),
		UserID: s.user.ID, UserName: displayName(s.user), UserEmail: s.user.Email, Requested: r.URL.RawQuery}
	err = h.db.View(ctx, func(tx *store.Tx) error {
		if s.session.ClientID != 0 {
			c, err := tx.ClientByID(ctx, s.session.ClientID)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			} else if err != nil {
				return err
			}
			p.Client = &clientInfo{ID: c.ID, Name: clientName(c), Status: c.Status}
			return nil
		}
		links, err := tx.UserClients(ctx, s.user.ID)
		if err != nil {
			return err
		}
		for _, l := range links {
			c, err := tx.ClientByID(ctx, l.ClientID)
			if err != nil {
				return err
			}
			p.Clients = append(p.Clients, clientInfo{ID: c.ID, Name: clientName(c), Status: c.Status, Owner: l.Owner})
		}
		return nil
	})
	if err != nil {
		h.internal(w, r, err)
		return
	}
	h.render(w, http.StatusOK, "clientarea", p)
}

func clientName(c store.Client) string {
	if c.CompanyName != "" {
		return c.CompanyName
	}
	if n := strings.TrimSpace(c.Firstname + " " + c.Lastname); n != "" {
		return n
	}
	return c.Email
}

// login is login.php: GET shows the sign-in form (or who is signed in);
// POST signs in (email and password, then the two-factor code when the
// user has it on) and goes to clientarea.php, or signs out (logout).
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if _, signed, err := h.session(ctx, r); err != nil {
			h.internal(w, r, err)
		} else if signed {
			noStore(w)
			http.Redirect(w, r, h.base()+"clientarea.php", http.StatusFound)
		} else {
			h.loginPage(w, r, "", "", "", http.StatusOK)
		}
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		h.errorPage(w, r, http.StatusMethodNotAllowed, "Method not allowed", "Use GET or POST.")
		return
	}
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "Invalid request", "The request could not be read.")
		return
	}
	if id := r.PostForm.Get("flow"); id != "" {
		h.loginTwoFactor(w, r, id)
		return
	}
	if !h.checkCSRF(r, loginForm) {
		h.errorPage(w, r, http.StatusForbidden, "Form check failed", msgCSRF)
		return
	}
	if r.PostForm.Has("logout") {
		if err := h.signOut(ctx, w, r); err != nil {
			h.internal(w, r, err)
			return
		}
		h.loginPage(w, r, "", "You have been logged out.", "", http.StatusOK)
		return
	}
	u, msg, err := h.passwordStep(ctx, w, r)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if msg != "" {
		h.loginPage(w, r, msg, "", r.PostForm.Get("email"), http.StatusOK)
		return
	}
	if u.TwoFactorEnabled {
		id := h.newToken()
		now := h.clock().Unix()
		f := store.OAuthFlow{Hash: hashOf(id), UserID: u.ID, Step: stepTwoFactor, ExpiresAt: now + int64(flowTTL.Seconds())}
		if err := h.db.Update(ctx, func(tx *store.Tx) error { return tx.AddOAuthFlow(ctx, f, now) }); err != nil {
			h.internal(w, r, err)
			return
		}
		h.twoFactorPage(w, r, id, u, "")
		return
	}
	h.finishLogin(w, r, u.ID)
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request, errMsg, message, email string, status int) {
	h.render(w, status, "login", page{Title: "Login", Action: "login.php", CSRF: h.csrfToken(h.browserID(w, r), loginForm),
		Error: errMsg, Message: message, Email: email})
}

func (h *Handler) twoFactorPage(w http.ResponseWriter, r *http.Request, id string, u store.User, errMsg string) {
	h.render(w, http.StatusOK, "two_factor", page{Title: "Two-Factor Authentication", Action: "login.php", Flow: id,
		CSRF: h.csrfToken(h.browserID(w, r), id), UserName: displayName(u), Error: errMsg})
}

// loginTwoFactor is the second step of a login.php sign-in.
func (h *Handler) loginTwoFactor(w http.ResponseWriter, r *http.Request, id string) {
	ctx := r.Context()
	var f store.OAuthFlow
	var u store.User
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		if f, err = tx.OAuthFlowByHash(ctx, hashOf(id), h.clock().Unix()); err != nil {
			return err
		}
		if f.CredentialID != 0 || f.Step != stepTwoFactor {
			return store.ErrNotFound // an authorization's flow
		}
		u, err = tx.UserByID(ctx, f.UserID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		h.loginPage(w, r, "This sign-in has expired. Please sign in again.", "", "", http.StatusBadRequest)
		return
	} else if err != nil {
		h.internal(w, r, err)
		return
	}
	if !h.checkCSRF(r, id) {
		h.errorPage(w, r, http.StatusForbidden, "Form check failed", msgCSRF)
		return
	}
	ok, err := h.checkTOTP(ctx, u.ID, r.PostForm.Get("code"))
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if !ok {
		recordFailedLogin(w)
		h.twoFactorPage(w, r, id, u, msgBadCode)
		return
	}
	h.dropFlow(ctx, f.Hash)
	h.finishLogin(w, r, u.ID)
}

// finishLogin signs the user in and sends the browser to the client area.
func (h *Handler) finishLogin(w http.ResponseWriter, r *http.Request, userID int64) {
	if _, err := h.signIn(r.Context(), w, r, userID, 0); err != nil {
		h.internal(w, r, err)
		return
	}
	noStore(w)
	http.Redirect(w, r, h.base()+"clientarea.php", http.StatusSeeOther)
}
