package web

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	thttp "trustmark/http"
)

// Staff administration (/work/staff): an administrator of a unit invites
// staff to it (for a regulator, to the bureaus within its region), lists
// them, removes a role, and resets a password (and the second factor, for a
// lost phone). The decisions are package account's and access.Decide's,
// asked with the administrator's own role: no role is ever granted, removed
// or reset outside that role's scope. The one-time links are shown once,
// in the answer to the post that made them, and never stored but as
// hashes.

// StaffPage is the staff page.
type StaffPage struct {
	WorkPage
	Groups []StaffGroup
	// Done says what was just done; OnceLink is the one-time link it
	// made, shown this once.
	Done, OnceLink string
	// Error is a refusal, shown next to the form of group Form.
	Error, Form string
	// Email and Name keep what was typed when an invitation is refused.
	Email, Name string
}

// StaffGroup is the staff of one unit the person administers.
type StaffGroup struct {
	Key       string // kind:id of the administrator's role
	UnitID    string
	Kind      string
	Unit      string
	Regulator bool
	Members   []StaffMember
}

// StaffMember is one member of staff.
type StaffMember struct {
	ID, Email, Name string
	Self            bool
	Roles           []StaffRole
	// ResetUnit is the role (kind:id) a reset is asked for: one within
	// the administrator's scope.
	ResetUnit string
}

// StaffRole is a role of a member, and whether the administrator may
// remove it.
type StaffRole struct {
	Label, Unit string
	Key         string // kind:id
	Admin       bool
	Removable   bool
}

// accountStore is the portal's store of accounts: the store the server's
// Auth keeps them in (sqlstore.DB is both).
func (h *Handler) accountStore() account.Store {
	s, _ := h.cfg.Store.(account.Store)
	return s
}

// adminRoles are the roles of c that may invite staff at all.
func adminRoles(c *thttp.Caller) []account.Role {
	var out []account.Role
	for _, r := range c.Roles {
		if r.Admin && slices.ContainsFunc(access.Matrix, func(m access.Rule) bool { return m.Action == access.StaffInvite && m.Kind == r.Kind }) {
			out = append(out, r)
		}
	}
	return out
}

func (h *Handler) staffPage(w http.ResponseWriter, r *http.Request) {
	p, err := h.buildStaffPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "staff", p)
}

func (h *Handler) buildStaffPage(r *http.Request) (*StaffPage, error) {
	return h.staffPageFinding(r, "")
}

// staffFind shows the staff page with the member of the address posted
// (a regulator's administrator finds the staff of the bureaus below it;
// posted, so that the address stays out of addresses and their logs).
func (h *Handler) staffFind(w http.ResponseWriter, r *http.Request) {
	p, err := h.staffPageFinding(r, r.PostFormValue("email"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "staff", p)
}

func (h *Handler) staffPageFinding(r *http.Request, find string) (*StaffPage, error) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Work.StaffTitle })
	p := &StaffPage{WorkPage: wp}
	store := h.accountStore()
	if store == nil {
		return p, nil
	}
	for _, admin := range adminRoles(c) {
		rv := h.roleView(r.Context(), p.T, admin)
		g := StaffGroup{Key: admin.Unit.String(), UnitID: admin.ID, Kind: rv.Kind, Unit: rv.Unit, Regulator: admin.Kind == account.Regulator}
		staff, err := store.Staff(r.Context(), admin.Unit)
		if err != nil {
			return nil, err
		}
		if q := strings.TrimSpace(find); q != "" && admin.Kind == account.Regulator {
			if e, err := account.ParseEmail(q); err == nil {
				if a, err := store.AccountByEmail(r.Context(), e); err == nil && !slices.ContainsFunc(staff, func(s account.Account) bool { return s.ID == a.ID }) {
					staff = append(staff, a)
				}
			}
		}
		for _, a := range staff {
			m := StaffMember{ID: a.ID, Email: string(a.Email), Name: a.Name, Self: c.Account != nil && a.ID == c.Account.ID}
			for _, role := range a.Roles {
				inScope := access.Decide(admin, access.PasswordReset, access.Target{Owner: role.Unit}) == nil
				if !inScope && !a.HasRole(admin.Unit) {
					continue // another unit's role of someone found by address
				}
				sr := StaffRole{Label: p.T.Accounts.Kinds[role.Kind], Unit: role.ID, Key: role.Unit.String(), Admin: role.Admin}
				sr.Removable = !m.Self && access.Decide(admin, access.StaffInvite, access.Target{Owner: role.Unit}) == nil
				if inScope && (m.ResetUnit == "" || role.Unit == admin.Unit) {
					m.ResetUnit = role.Unit.String()
				}
				m.Roles = append(m.Roles, sr)
			}
			if m.ResetUnit != "" {
				g.Members = append(g.Members, m)
			}
		}
		p.Groups = append(p.Groups, g)
	}
	return p, nil
}

// staffAdmin returns the caller's administrator role the form names
// (field "as", kind:id), or a refusal.
func staffAdmin(r *http.Request, c *thttp.Caller) (account.Role, error) {
	as := r.PostFormValue("as")
	for _, a := range adminRoles(c) {
		if a.Unit.String() == as {
			return a, nil
		}
	}
	return account.Role{}, trustmark.Reasonf(trustmark.EForbidden, "access.admin", "", "only an administrator of %s may %s (rule %s)", as, "invite staff", "staff.invite")
}

func (h *Handler) staffInvite(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	email, name := strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("name"))
	admin, err := staffAdmin(r, c)
	var token, id string
	var role account.Role
	if err == nil {
		unit := admin.ID
		if admin.Kind == account.Regulator {
			if reg := strings.TrimSpace(r.PostFormValue("region")); reg != "" {
				unit = reg
			}
		}
		role, err = account.ParseRole(admin.Kind, unit, r.PostFormValue("admin") != "")
	}
	if err == nil {
		// The new role's unit must be within the administrator's scope.
		err = access.Decide(admin, access.StaffInvite, access.Target{Owner: role.Unit, Region: role.ID})
	}
	var addr account.Email
	if err == nil {
		addr, err = account.ParseEmail(email)
	}
	if err == nil {
		var ch account.Change
		ch, token, err = account.Invite(rand.Reader, addr, name, []account.Role{role}, account.Invitation, c.Account.ID, h.cfg.Clock())
		if err == nil {
			ch.Client = h.cfg.ClientKey(r)
			id = ch.NewAccount.ID
			err = h.accountStore().Apply(r.Context(), ch)
		}
	}
	if err != nil {
		h.staffRefused(w, r, r.PostFormValue("as"), err, email, name)
		return
	}
	h.cfg.Logger.Info("staff invited", "actor", c.Account.ID, "account", id, "role", role.String())
	h.staffDone(w, r, func(m *Messages) string { return m.Work.InviteDone }, token)
}

func (h *Handler) staffRemove(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	admin, err := staffAdmin(r, c)
	var a account.Account
	var unit account.Unit
	if err == nil {
		a, unit, err = h.staffTarget(r, c, admin, access.StaffInvite)
	}
	if err == nil {
		var ev account.Event
		if a, ev, err = a.Revoke(unit, c.Account.ID, h.cfg.Clock()); err == nil {
			err = h.accountStore().Apply(r.Context(), account.Change{Account: &a, EndSessionsOf: a.ID, Events: []account.Event{ev}, Client: h.cfg.ClientKey(r)})
		}
	}
	if err != nil {
		h.staffRefused(w, r, r.PostFormValue("as"), err, "", "")
		return
	}
	h.cfg.Logger.Info("staff role removed", "actor", c.Account.ID, "account", a.ID, "unit", unit.String())
	h.staffDone(w, r, func(m *Messages) string { return m.Work.RemoveDone }, "")
}

func (h *Handler) staffReset(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	admin, err := staffAdmin(r, c)
	var a account.Account
	var token string
	totp := r.PostFormValue("totp") != ""
	if err == nil {
		a, _, err = h.staffTarget(r, c, admin, access.PasswordReset)
	}
	if err == nil {
		err = h.resetCredentials(r, c.Account.ID, a, totp, &token)
	}
	if err != nil {
		h.staffRefused(w, r, r.PostFormValue("as"), err, "", "")
		return
	}
	h.cfg.Logger.Info("staff credentials reset", "actor", c.Account.ID, "account", a.ID, "totp", totp)
	h.staffDone(w, r, func(m *Messages) string { return m.Work.ResetDone }, token)
}

// resetCredentials clears a's password (and second factor), ends its
// sessions and issues a PasswordReset link, in one change.
func (h *Handler) resetCredentials(r *http.Request, actor string, a account.Account, totp bool, token *string) error {
	store := h.accountStore()
	cred, version, err := store.Credentials(r.Context(), a.ID)
	if err != nil {
		return err
	}
	now := h.cfg.Clock()
	cleared, ev := cred.Reset(a, totp, actor, now)
	link, t, err := account.Reissue(rand.Reader, a, account.PasswordReset, actor, now)
	if err != nil {
		return err
	}
	*token = t
	return store.Apply(r.Context(), account.Change{CredentialsOf: a.ID, Credentials: &cleared, Version: version, Link: link.Link,
		EndSessionsOf: a.ID, Events: append([]account.Event{ev}, link.Events...), Client: h.cfg.ClientKey(r)})
}

// staffTarget loads the account the form names (field "account") and the
// role it names (field "unit", kind:id; default the administrator's own
// unit), refusing one outside admin's scope for action, and oneself.
func (h *Handler) staffTarget(r *http.Request, c *thttp.Caller, admin account.Role, action access.Action) (account.Account, account.Unit, error) {
	a, err := h.accountStore().Account(r.Context(), r.PostFormValue("account"))
	if err != nil {
		return a, account.Unit{}, err
	}
	if c.Account != nil && a.ID == c.Account.ID {
		return a, account.Unit{}, trustmark.Reasonf(trustmark.EForbidden, "staff.self", "account", "an administrator cannot change their own roles or credentials here")
	}
	unit := admin.Unit
	if u := r.PostFormValue("unit"); u != "" {
		i := slices.IndexFunc(a.Roles, func(role account.Role) bool { return role.Unit.String() == u })
		if i < 0 {
			return a, unit, trustmark.Errorf(trustmark.ENotFound, "unit", "the account holds no role for %s", u)
		}
		unit = a.Roles[i].Unit
	}
	if !a.HasRole(unit) {
		return a, unit, trustmark.Errorf(trustmark.ENotFound, "account", "no member of staff %s", a.ID)
	}
	return a, unit, access.Decide(admin, action, access.Target{Owner: unit, Region: unit.ID})
}

// staffDone shows the page with what was done and the link made, once.
func (h *Handler) staffDone(w http.ResponseWriter, r *http.Request, done func(*Messages) string, token string) {
	p, err := h.buildStaffPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Done = done(p.T)
	if token != "" {
		p.OnceLink = h.site.absolute(r, account.LinkPath(token))
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusOK, "staff", p)
}

// staffRefused shows the page again with the refusal next to the form.
func (h *Handler) staffRefused(w http.ResponseWriter, r *http.Request, form string, err error, email, name string) {
	refuseRebuilt(h, w, r, err, "staff", h.buildStaffPage, func(p *StaffPage) {
		p.Error, p.Form, p.Email, p.Name = p.T.Reason(err), form, email, name
		h.cfg.Logger.Info("staff change refused", "form", form, "code", trustmark.ErrorCode(err))
	})
}
