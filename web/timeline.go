package web

import (
	"context"
	"fmt"

	"trustmark"
)

// EventView is one line of a certificate's timeline: the date the change
// took effect first, then what happened and who did it (the party's name,
// its number as secondary text), and when the row was recorded.
type EventView struct {
	Date     string // the date the change took effect (YYYY-MM-DD)
	What     string
	Actor    string // the party's name (a body's or laboratory's), or its kind
	ActorID  string // the approval or CMA number, "" when none
	Reason   string
	Recorded string // "登记于 2026-03-05 10:00": when the row entered the registry
	Verified bool
	Pending  bool
	ProofURL string // only when this event's proof differs from the timeline's
}

// timeline returns the certificate's events, oldest first, marked with what
// the public log says of each when a History is configured, and the proof
// bundle they share ("" when none, or when each has its own).
//
// body is the certificate's body when the page has read it already (nil
// when not): its name is not looked up again for the events it acted in.
func (h *Handler) timeline(ctx context.Context, t *Messages, c *trustmark.Certificate, body *trustmark.Body) ([]EventView, string, error) {
	events, err := h.certificateEvents(ctx, c)
	if err != nil {
		return nil, "", err
	}
	logged := h.logged(ctx, c, events)
	names := actorNames{h: h, ctx: ctx, t: t, seen: map[string][2]string{}}
	if body != nil {
		names.seen[trustmark.PartyBody+":"+body.ApprovalNo] = [2]string{pickName(t, body.Name, body.NameEn), body.ApprovalNo}
	}
	views := make([]EventView, 0, len(events))
	for i, e := range events {
		views = append(views, eventView(t, c, e, i == 0, &names))
	}
	proofs := map[string]bool{}
	for i, e := range events {
		if le, ok := logged[e.Seq]; ok {
			views[i].Verified, views[i].Pending, views[i].ProofURL = le.Verified, !le.Verified, le.ProofURL
			if le.ProofURL != "" {
				proofs[le.ProofURL] = true
			}
		}
	}
	if len(proofs) != 1 {
		return views, "", nil
	}
	// One bundle proves every event: link it once, under the timeline,
	// rather than once an event.
	var shared string
	for u := range proofs {
		shared = u
	}
	for i := range views {
		views[i].ProofURL = ""
	}
	return views, shared, nil
}

// eventView words one event. A certificate entered by an import starts
// with its issue: the first event of an imported certificate issued
// before the import is shown as "颁发 <issued on>" by its body, with the
// import as its recorded time.
func eventView(t *Messages, c *trustmark.Certificate, e trustmark.Event, first bool, names *actorNames) EventView {
	recorded := e.At.In(chinaTime).Format("2006-01-02 15:04")
	v := EventView{Date: e.At.In(chinaTime).Format(trustmark.DateLayout), Reason: e.Reason,
		Recorded: fmt.Sprintf(t.Portal.EventRecorded, recorded)}
	v.Actor, v.ActorID = names.of(e.Actor)
	v.What = t.ActionNames[e.Action]
	if v.What == "" {
		v.What = e.Action
	}
	if e.From != "" || e.To != "" {
		v.What += fmt.Sprintf("%s%s → %s", t.Colon, statusName(t, e.From), statusName(t, e.To))
	}
	switch {
	case !e.EffectiveOn.IsZero():
		v.Date = e.EffectiveOn.String()
	case e.Action == trustmark.ActionIssued && !c.IssuedOn.IsZero():
		v.Date = c.IssuedOn.String()
	case first && e.Action == trustmark.ActionCreated && !c.IssuedOn.IsZero() && c.IssuedOn.String() < v.Date:
		v.Date = c.IssuedOn.String()
		v.What = t.ActionNames[trustmark.ActionIssued]
		v.Recorded = t.ActionNames[trustmark.ActionCreated] + " " + recorded
		v.Actor, v.ActorID = names.of(trustmark.PartyBody + ":" + c.BodyApprovalNo)
	}
	return v
}

// certificateEvents reads the certificate's events, oldest first (at most
// about 5,000).
func (h *Handler) certificateEvents(ctx context.Context, c *trustmark.Certificate) ([]trustmark.Event, error) {
	var events []trustmark.Event
	for after := int64(-1); ; {
		page, err := h.cfg.Store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: after, Limit: 500})
		if err != nil {
			return nil, err
		}
		events = append(events, page...)
		if len(page) < 500 || len(events) >= 5000 {
			return events, nil
		}
		after = page[len(page)-1].Seq
	}
}

// CheckpointHistory is a History that also tells the size of the log's
// latest published checkpoint, from memory. An event is verified when its
// Seq (its index in the log) is below that size: the page marks the events
// it has read with it, instead of reading them again and computing an
// inclusion proof for each on every view (issue 16: that was 44% of the
// page's CPU). The proofs are computed when the bundle is downloaded.
type CheckpointHistory interface {
	History
	// PublishedSize returns the number of entries of the tree of the
	// latest published checkpoint.
	PublishedSize() uint64
	// ProofURL returns where the proof bundle of the certificate with
	// number can be downloaded.
	ProofURL(number string) string
}

// logged returns the public log's view of the certificate's events by Seq;
// empty without a History or when the log fails (the log is an addition:
// its failure must not hide the certificate).
func (h *Handler) logged(ctx context.Context, c *trustmark.Certificate, events []trustmark.Event) map[int64]HistoryEntry {
	logged := map[int64]HistoryEntry{}
	if h.cfg.History == nil {
		return logged
	}
	if ch, ok := h.cfg.History.(CheckpointHistory); ok {
		size, proof := ch.PublishedSize(), ch.ProofURL(c.Number)
		for _, e := range events {
			logged[e.Seq] = HistoryEntry{Seq: e.Seq, Verified: e.Seq >= 0 && uint64(e.Seq) < size, ProofURL: proof}
		}
		return logged
	}
	number := c.Number
	entries, err := h.cfg.History.CertificateHistory(ctx, number)
	if err != nil && !trustmark.IsNotFound(err) {
		h.cfg.Logger.Warn("certificate history from the log", "number", number, "err", err)
	}
	for _, e := range entries {
		logged[e.Seq] = e
	}
	return logged
}

func statusName(t *Messages, s string) string {
	if n := t.CertStatusNames[trustmark.CertStatus(s)]; n != "" {
		return n
	}
	if s == "" {
		return "—"
	}
	return s
}

// actorNames names the parties of a timeline by the registry's names of
// bodies and laboratories, each looked up once a page.
type actorNames struct {
	h    *Handler
	ctx  context.Context
	t    *Messages
	seen map[string][2]string
}

// of returns the name of the party that acted and its number: a body or
// laboratory by its name (English where the registry has one, on English
// pages) with its approval or CMA number; a regulator by its region; an
// import by its kind only, since its file name stays internal.
func (n *actorNames) of(actor string) (name, id string) {
	if v, ok := n.seen[actor]; ok {
		return v[0], v[1]
	}
	name, id = actorLabel(n.t, actor), ""
	if p, err := trustmark.ParseParty(actor); err == nil && p.ID != "" {
		switch p.Kind {
		case trustmark.PartyBody:
			name, id = n.t.ActorNames[p.Kind], p.ID
			if b, err := n.h.cfg.Store.Body(n.ctx, p.ID); err == nil {
				name = pickName(n.t, b.Name, b.NameEn)
			}
		case trustmark.PartyLab:
			name, id = n.t.ActorNames[p.Kind], p.ID
			if l, err := n.h.cfg.Store.Lab(n.ctx, p.ID); err == nil {
				name = l.Name
			}
		}
	}
	n.seen[actor] = [2]string{name, id}
	return name, id
}

// pickName returns the English name on an English page when there is one,
// else the Chinese name.
func pickName(t *Messages, zh, en string) string {
	if t.Lang == "en" && en != "" {
		return en
	}
	return zh
}

// actorLabel names who acted by kind: a regulator with its region, any
// other party by its kind alone.
func actorLabel(t *Messages, actor string) string {
	p, err := trustmark.ParseParty(actor)
	if err != nil {
		return actor
	}
	name := t.ActorNames[p.Kind]
	switch p.Kind {
	case trustmark.PartyBody, trustmark.PartyLab:
		return name + " " + p.ID
	case trustmark.PartyRegulator:
		if p.ID == "000000" || p.ID == "" {
			return name
		}
		return name + " " + trustmark.DefaultRegions().FullNameIn(p.ID, t.Lang)
	}
	return name
}
