package http

import (
	"context"
	nethttp "net/http"
	"time"

	"trustmark"
	"trustmark/account"
)

// Signing in: each step loads what package account needs, lets it decide,
// and stores what it decided in one Change. The pages (package web) call
// these with what the person typed and show the outcome; nothing here
// decides whether a password or a code is right, how long a lock lasts or
// when a session ends.

// maxAttempts is how often a step is decided again when another request
// changed the same credentials meanwhile (two wrong passwords at once).
const maxSignInAttempts = 3

// SignInPassword is the password step of signing in as the owner of email.
// It answers what comes next: NextDone (signed in), NextCode (the TOTP code
// is awaited) or NextEnrol (the role requires a second factor the account
// has not set up); each starts a new session, whose cookie it sets. An
// unknown address takes as long and is refused in the same words as a wrong
// password.
func (a *Auth) SignInPassword(w nethttp.ResponseWriter, r *nethttp.Request, email, password string) (account.Next, error) {
	if a.cfg.Accounts == nil {
		return "", trustmark.Errorf(trustmark.ENotFound, "", "this server has no accounts")
	}
	e, err := account.ParseEmail(email)
	if err != nil {
		return "", err
	}
	release, err := a.hashing(r.Context())
	if err != nil {
		return "", err
	}
	defer release()
	ctx, now := r.Context(), a.cfg.Clock()
	acct, err := a.cfg.Accounts.AccountByEmail(ctx, e)
	if trustmark.IsNotFound(err) {
		_, _, evs, refused := a.cfg.Rules.SignInPassword(a.cfg.Rand, account.Account{}, account.Credentials{}, password, now)
		if err := a.cfg.Accounts.Apply(ctx, account.Change{Events: evs, Client: a.cfg.ClientKey(r)}); err != nil {
			return "", err
		}
		return "", refused
	}
	if err != nil {
		return "", err
	}
	return a.signIn(w, r, acct, now, func(c account.Credentials) (account.Credentials, account.Next, []account.Event, error) {
		return a.cfg.Rules.SignInPassword(a.cfg.Rand, acct, c, password, now)
	})
}

// signIn applies the first step of signing in to acct, as decide takes it
// on the account's credentials: the change is stored with the credentials'
// version and decided again on fresh credentials when a concurrent attempt
// changed them, so every failure is counted; an accepted step starts a new
// session and sets its cookie.
func (a *Auth) signIn(w nethttp.ResponseWriter, r *nethttp.Request, acct account.Account, now time.Time,
	decide func(account.Credentials) (account.Credentials, account.Next, []account.Event, error)) (account.Next, error) {
	ctx := r.Context()
	for attempt := 1; ; attempt++ {
		creds, version, err := a.cfg.Accounts.Credentials(ctx, acct.ID)
		if err != nil {
			return "", err
		}
		creds, next, evs, refused := decide(creds)
		ch := account.Change{CredentialsOf: acct.ID, Credentials: &creds, Version: version, Events: evs, Client: a.cfg.ClientKey(r)}
		var token string
		if refused == nil {
			if token, err = a.startSession(r, &ch, acct, next, now); err != nil {
				return "", err
			}
		}
		err = a.cfg.Accounts.Apply(ctx, ch)
		if trustmark.ErrorCode(err) == trustmark.EConflict && attempt < maxSignInAttempts {
			continue
		}
		if err != nil {
			return "", err
		}
		if refused != nil {
			return "", refused
		}
		a.setSession(w, token)
		return next, nil
	}
}

// startSession adds to ch a new session of acct for what comes after a
// step (a full one when next is NextDone, one awaiting the second factor
// otherwise, with a new TOTP secret when it is to be set up), ending the
// session r came with: a token planted before sign-in is worth nothing
// after it.
func (a *Auth) startSession(r *nethttp.Request, ch *account.Change, acct account.Account, next account.Next, now time.Time) (string, error) {
	stage := account.StageFull
	if next != account.NextDone {
		stage = account.StageSecondFactor
	}
	token, s, err := account.NewSession(a.cfg.Rand, acct.ID, stage, now)
	if err != nil {
		return "", err
	}
	ch.Session = &account.SessionRecord{Session: s}
	if next == account.NextEnrol {
		if ch.Session.PendingTOTP, _, err = account.NewTOTP(a.cfg.Rand, a.cfg.Issuer, acct.Email); err != nil {
			return "", err
		}
	}
	if _, hash, err := a.parseSessionCookie(r); err == nil {
		ch.EndSessions = append(ch.EndSessions, hash)
	}
	return token, nil
}

// Pending is a sign-in waiting for its second factor.
type Pending struct {
	Account account.Account
	// Enrol is set when the person is setting up an authenticator app;
	// URI is then the otpauth:// address its QR code shows, and Secret the
	// key to type when the camera cannot be used.
	Enrol       bool
	URI, Secret string
	// CSRF is the token the code form carries.
	CSRF string
}

// PendingSignIn returns the sign-in of r's session that waits for its
// second factor, or unauthorized when there is none (or it took too long).
func (a *Auth) PendingSignIn(r *nethttp.Request) (Pending, error) {
	token, rec, err := a.session(r, account.StageSecondFactor)
	if err != nil {
		return Pending{}, err
	}
	acct, err := a.cfg.Accounts.Account(r.Context(), rec.Account)
	if err != nil {
		return Pending{}, err
	}
	p := Pending{Account: acct, CSRF: csrfToken(token), Enrol: rec.PendingTOTP != "", Secret: rec.PendingTOTP}
	if p.Enrol {
		if p.URI, err = account.TOTPURI(a.cfg.Issuer, acct.Email, rec.PendingTOTP); err != nil {
			return Pending{}, err
		}
	}
	return p, nil
}

// SignInCode is the second step: the code of the person's authenticator
// app, which completes the sign-in (a new full session) or, while an app is
// being set up, enrols it first. A wrong or replayed code counts as a
// failed sign-in.
func (a *Auth) SignInCode(w nethttp.ResponseWriter, r *nethttp.Request, code string) error {
	token, rec, err := a.session(r, account.StageSecondFactor)
	if err != nil {
		return err
	}
	if err := a.checkCSRF(r, csrfToken(token)); err != nil {
		return err
	}
	ctx, now := r.Context(), a.cfg.Clock()
	acct, err := a.cfg.Accounts.Account(ctx, rec.Account)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		creds, version, err := a.cfg.Accounts.Credentials(ctx, acct.ID)
		if err != nil {
			return err
		}
		var evs []account.Event
		var refused error
		if rec.PendingTOTP != "" {
			creds, evs, refused = a.cfg.Rules.EnrolTOTP(acct, creds, rec.PendingTOTP, code, now)
			if refused == nil {
				evs = append(evs, account.Event{Kind: account.EventSignedIn, Account: acct.ID, At: now, Detail: "password+totp enrolled"})
			}
		} else {
			creds, evs, refused = a.cfg.Rules.SignInCode(acct, creds, code, now)
		}
		if trustmark.ErrorCode(refused) == trustmark.EInternal {
			return refused // a broken secret: nothing was decided
		}
		ch := account.Change{CredentialsOf: acct.ID, Credentials: &creds, Version: version, Events: evs, Client: a.cfg.ClientKey(r)}
		var full string
		if refused == nil {
			if full, err = a.startSession(r, &ch, acct, account.NextDone, now); err != nil {
				return err
			}
		}
		err = a.cfg.Accounts.Apply(ctx, ch)
		if trustmark.ErrorCode(err) == trustmark.EConflict && attempt < maxSignInAttempts {
			continue
		}
		if err != nil {
			return err
		}
		if refused != nil {
			return refused
		}
		a.setSession(w, full)
		return nil
	}
}

// LinkInfo is what the page of a one-time link shows before it is used.
type LinkInfo struct {
	Account account.Account
	Link    account.Link
	// SecondFactor says what follows the password: "required" (a
	// regulator without an app), "enrolled" (the code of the app the
	// account has), or "" (offered).
	SecondFactor string
}

// PeekLink returns the link of token and its account if the link can still
// be used, without using it: mail scanners open links before people do.
func (a *Auth) PeekLink(ctx context.Context, token string) (LinkInfo, error) {
	l, acct, err := a.link(ctx, token)
	if err != nil {
		return LinkInfo{}, err
	}
	if _, _, err := l.Redeem(a.cfg.Clock()); err != nil {
		return LinkInfo{}, err
	}
	info := LinkInfo{Account: acct, Link: l}
	creds, _, err := a.cfg.Accounts.Credentials(ctx, acct.ID)
	if err != nil {
		return LinkInfo{}, err
	}
	switch {
	case creds.TOTP.Enrolled():
		info.SecondFactor = "enrolled"
	case acct.RequiresSecondFactor():
		info.SecondFactor = "required"
	}
	return info, nil
}

func (a *Auth) link(ctx context.Context, token string) (account.Link, account.Account, error) {
	if a.cfg.Accounts == nil {
		return account.Link{}, account.Account{}, trustmark.Reasonf(trustmark.EUnauthorized, "link.unknown", "", "this server has no accounts")
	}
	hash, err := account.ParseLinkToken(token)
	if err != nil {
		return account.Link{}, account.Account{}, trustmark.Reasonf(trustmark.EUnauthorized, "link.unknown", "", "this sign-in link is not valid; check that it was copied whole, or ask for a new one")
	}
	l, err := a.cfg.Accounts.Link(ctx, hash)
	if trustmark.IsNotFound(err) {
		return l, account.Account{}, trustmark.Reasonf(trustmark.EUnauthorized, "link.unknown", "", "this sign-in link is not valid; check that it was copied whole, or ask for a new one")
	}
	if err != nil {
		return l, account.Account{}, err
	}
	acct, err := a.cfg.Accounts.Account(ctx, l.Account)
	if err != nil {
		return l, acct, err
	}
	if acct.Disabled {
		return l, acct, trustmark.Reasonf(trustmark.EForbidden, "signin.disabled", "", "this account is disabled; ask your administrator")
	}
	return l, acct, nil
}

// RedeemLink uses a one-time link: the person chooses password (the
// policy's decision), and the link, the password and a new session are
// stored together. What follows is the code of an enrolled app
// (NextCode), the setting up of one when the role requires it or the
// person asked for it with wantTOTP (NextEnrol), or nothing (NextDone).
func (a *Auth) RedeemLink(w nethttp.ResponseWriter, r *nethttp.Request, token, password string, wantTOTP bool) (account.Next, error) {
	ctx, now := r.Context(), a.cfg.Clock()
	l, acct, err := a.link(ctx, token)
	if err != nil {
		return "", err
	}
	used, redeemed, err := l.Redeem(now)
	if err != nil {
		return "", err
	}
	release, err := a.hashing(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	for attempt := 1; ; attempt++ {
		creds, version, err := a.cfg.Accounts.Credentials(ctx, acct.ID)
		if err != nil {
			return "", err
		}
		creds, set, err := a.cfg.Rules.SetPassword(a.cfg.Rand, acct, creds, password, "", now)
		if err != nil {
			return "", err
		}
		next := account.NextDone
		switch {
		case creds.TOTP.Enrolled():
			next = account.NextCode
		case acct.RequiresSecondFactor() || wantTOTP:
			next = account.NextEnrol
		}
		ch := account.Change{Link: &used, CredentialsOf: acct.ID, Credentials: &creds, Version: version,
			Events: []account.Event{redeemed, set}, Client: a.cfg.ClientKey(r)}
		if next == account.NextDone {
			ch.Events = append(ch.Events, account.Event{Kind: account.EventSignedIn, Account: acct.ID, At: now, Detail: "link"})
		}
		session, err := a.startSession(r, &ch, acct, next, now)
		if err != nil {
			return "", err
		}
		err = a.cfg.Accounts.Apply(ctx, ch)
		if trustmark.ErrorCode(err) == trustmark.EConflict && attempt < maxSignInAttempts {
			continue
		}
		if err != nil {
			return "", err
		}
		a.setSession(w, session)
		return next, nil
	}
}

// SignOut ends r's session, if it has one, and drops its cookie. It checks
// the CSRF token: another site must not sign people out.
func (a *Auth) SignOut(w nethttp.ResponseWriter, r *nethttp.Request) error {
	token, hash, err := a.parseSessionCookie(r)
	if err != nil || a.cfg.Accounts == nil {
		a.clearSession(w)
		return nil
	}
	if err := a.checkCSRF(r, csrfToken(token)); err != nil {
		return err
	}
	rec, err := a.cfg.Accounts.Session(r.Context(), hash)
	if err != nil && !trustmark.IsNotFound(err) {
		return err
	}
	ch := account.Change{EndSessions: []string{hash}, Client: a.cfg.ClientKey(r)}
	if err == nil {
		ch.Events = []account.Event{{Kind: account.EventSessionEnded, Account: rec.Account, At: a.cfg.Clock(), Detail: "signout"}}
	}
	if err := a.cfg.Accounts.Apply(r.Context(), ch); err != nil {
		return err
	}
	a.clearSession(w)
	return nil
}

// hashing waits for a turn to compute an argon2 hash (64 MiB each), so that
// a crowd of sign-ins, or an attack, cannot exhaust the server's memory.
// It gives up after HashWait, telling the person to try again.
func (a *Auth) hashing(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(a.cfg.HashWait)
	defer t.Stop()
	select {
	case a.gate <- struct{}{}:
		return func() { <-a.gate }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, trustmark.Reasonf(trustmark.EUnavailable, "signin.busy", "", "many people are signing in at once; please try again in a few seconds")
	}
}
