package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"trustmark"
	"trustmark/access"
	thttp "trustmark/http"
	"trustmark/matter"
)

// A matter's page (/work/matters/{id}): what it is, on what legal ground,
// its deadline and history, and a form for each step the person may take.
// The steps are decided by package matter in the store (MatterDesk); the
// page only asks access.Decide which forms to show and whether to take a
// posted step, and a matter the person may not see is not found.

// MatterDesk is the store of matters the workbench takes steps on
// (sqlstore.DB). The portal finds it in Config.Inbox or Config.Store.
type MatterDesk interface {
	Matter(ctx context.Context, id string) (*matter.Matter, error)
	MatterSteps(ctx context.Context, id string) ([]matter.Event, error)
	StepMatter(ctx context.Context, id string, a matter.Action, s matter.Step, days int) (matter.Matter, error)
	AnswerMatter(ctx context.Context, id string, s matter.Step, text, fileName string, file []byte) (matter.Matter, error)
	MatterAnswerOf(ctx context.Context, id string, n int) (text, fileName string, fileSize int, err error)
	MatterFile(ctx context.Context, id string, n int) (name string, data []byte, err error)
}

// maxMatterFile bounds an answer's attachment (as the store does).
const maxMatterFile = 5 << 20

func (h *Handler) matterDesk() MatterDesk {
	if d, ok := h.cfg.Inbox.(MatterDesk); ok {
		return d
	}
	d, _ := h.cfg.Store.(MatterDesk)
	return d
}

// officialMatters are the kinds Trustmark ships with, read once.
var officialMatters = sync.OnceValue(matter.Official)

func (h *Handler) matterRules() *matter.Rules {
	if h.cfg.Matters != nil {
		return h.cfg.Matters
	}
	return officialMatters()
}

// matterURL is the page of matter id.
func matterURL(id string) string { return "/work/matters/" + url.PathEscape(id) }

// MatterPage is a matter's page.
type MatterPage struct {
	WorkPage
	M           matter.Matter
	Kind        string
	Source      []matter.Source
	RunsFrom    string
	Region      string
	State       string
	Left        string
	Overdue     bool
	Provisional bool
	Extension   string
	Steps       []StepView
	// Forms the person may use, and what they offer.
	CanAnswer, CanExtend, CanPause, CanResume, CanAccept, CanEscalate, CanClose bool
	ExtendLeft                                                                  int
	ExtendHint                                                                  string
	Pauses                                                                      []string
	// Done says the step just taken; Error a refusal, next to the form of
	// Form.
	Done, Error, Form string
	// Answer and Reason keep what was typed when a step is refused.
	Answer, Reason string
}

// StepView is one step of a matter's history.
type StepView struct {
	N                         int
	At, Action, Actor, Reason string
	Days                      int
	Due                       string
	Late                      bool
	Text, FileName, FileURL   string
	FileSize                  int
}

// matterFor loads matter id for the caller, or answers not found (also when
// the caller may not see it: a page outside one's scope does not exist).
func (h *Handler) matterFor(w http.ResponseWriter, r *http.Request) (*matter.Matter, bool) {
	d := h.matterDesk()
	if d == nil {
		h.notFoundPage(w, r)
		return nil, false
	}
	m, err := d.Matter(r.Context(), r.PathValue("id"))
	if trustmark.IsNotFound(err) {
		h.notFoundPage(w, r)
		return nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	c := thttp.CallerOf(r)
	if _, _, err := c.Decide(access.MatterView, m.Target()); err != nil {
		h.notFoundPage(w, r)
		return nil, false
	}
	return m, true
}

func (h *Handler) matterPage(w http.ResponseWriter, r *http.Request) {
	m, ok := h.matterFor(w, r)
	if !ok {
		return
	}
	p, err := h.buildMatterPage(r, *m)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("done") != "" {
		p.Done = p.T.Work.Done
	}
	h.render(w, r, http.StatusOK, "matter", p)
}

func (h *Handler) buildMatterPage(r *http.Request, m matter.Matter) (*MatterPage, error) {
	wp, c := h.workPage(r, func(*Messages) string { return m.ID })
	t := wp.T
	p := &MatterPage{WorkPage: wp, M: m, Kind: m.Kind, State: t.Work.States[string(m.State)], Region: m.Region}
	rules := h.matterRules()
	k, known := rules.Kind(m.Kind)
	if known {
		p.describeKind(k)
	}
	p.Region = matterRegion(t, m.Region)
	today := h.today()
	p.Overdue = matter.Overdue(m, today)
	n, prov := rules.WorkingDaysLeft(m, today)
	p.Provisional = prov
	p.Left = leftWords(t, m, n)

	steps, err := h.matterStepViews(r.Context(), t, m)
	if err != nil {
		return nil, err
	}
	p.Steps = steps
	p.offerForms(c, k, known)
	return p, nil
}

// describeKind fills in what the kinds file says of p's matter: its name,
// legal sources and the extension it allows.
func (p *MatterPage) describeKind(k matter.Kind) {
	t := p.T
	p.Kind, p.Source = k.Name, k.Sources
	if t.Lang == "en" {
		// The kinds file says where a period runs from in English only.
		p.Kind, p.RunsFrom = k.NameEN, k.RunsFrom
	}
	p.Title = p.Kind
	if k.ExtensionDays > 0 {
		p.Extension = fmt.Sprintf(t.Work.ExtensionAllowed, k.ExtensionDays, p.M.Extended)
	} else {
		p.Extension = t.Work.NoExtension
	}
}

// matterRegion names a matter's region in the page's language; a code
// the regions do not know is shown as it is.
func matterRegion(t *Messages, region string) string {
	if region == trustmark.NationalRegion {
		return t.Accounts.National
	}
	if n := trustmark.DefaultRegions().FullNameIn(region, t.Lang); n != "" {
		return n
	}
	return region
}

// matterStepViews is m's history, each answer with its text and a link to
// its file. An answer whose text the store no longer has is shown bare.
func (h *Handler) matterStepViews(ctx context.Context, t *Messages, m matter.Matter) ([]StepView, error) {
	d := h.matterDesk()
	steps, err := d.MatterSteps(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var out []StepView
	for i, ev := range steps {
		sv := StepView{N: i + 1, At: matterTime(ev.At), Action: t.Work.Actions[string(ev.Action)], Actor: ev.Actor, Reason: ev.Reason,
			Days: ev.Days, Due: ev.Due.Date.String(), Late: ev.Late}
		if ev.Action == matter.Answer {
			text, name, size, err := d.MatterAnswerOf(ctx, m.ID, i+1)
			if err != nil && !trustmark.IsNotFound(err) {
				return nil, err
			}
			sv.Text, sv.FileName, sv.FileSize = text, name, size
			if size > 0 {
				sv.FileURL = fmt.Sprintf("%s/files/%d", matterURL(m.ID), i+1)
			}
		}
		out = append(out, sv)
	}
	return out, nil
}

// offerForms decides which step forms c sees: the party answers, either
// side may extend, pause or resume, and the regulator accepts, escalates
// and closes. k is the matter's kind when known.
func (p *MatterPage) offerForms(c *thttp.Caller, k matter.Kind, known bool) {
	m, t := p.M, p.T
	tg := m.Target()
	_, _, errAnswer := c.Decide(access.MatterAnswer, tg)
	_, _, errDecide := c.Decide(access.MatterDecide, tg)
	party, regulator := errAnswer == nil, errDecide == nil
	p.CanAnswer = party && m.State == matter.Opened
	if known && (party || regulator) && m.State == matter.Opened {
		p.ExtendLeft = k.ExtensionDays - m.Extended
		p.CanExtend = p.ExtendLeft > 0 && !p.Overdue
		p.ExtendHint = fmt.Sprintf(t.Work.ExtendHint, p.ExtendLeft)
		p.CanPause, p.Pauses = len(k.Pauses) > 0 && !p.Overdue, k.Pauses
	}
	p.CanResume = (party || regulator) && m.State == matter.Paused
	p.CanAccept = regulator && m.State == matter.Answered
	p.CanEscalate = regulator && (m.State == matter.Opened || m.State == matter.Answered)
	p.CanClose = regulator && !m.State.Final()
}

// leftWords says the working days left of m (n, from WorkingDaysLeft).
func leftWords(t *Messages, m matter.Matter, n int) string {
	switch {
	case m.State != matter.Opened && m.State != matter.Paused:
		return ""
	case n < 0:
		return fmt.Sprintf(t.Accounts.InboxOverdue, -n)
	case n == 0:
		return t.Accounts.InboxDueToday
	}
	return fmt.Sprintf(t.Accounts.InboxLeft, n)
}

func matterTime(t time.Time) string { return t.In(chinaTime).Format("2006-01-02 15:04") }

// matterPost takes the step the form names, if the caller may.
func (h *Handler) matterPost(w http.ResponseWriter, r *http.Request) {
	m, ok := h.matterFor(w, r)
	if !ok {
		return
	}
	c := thttp.CallerOf(r)
	action := matter.Action(r.PostFormValue("action"))
	need := access.MatterDecide
	switch action {
	case matter.Answer:
		need = access.MatterAnswer
	case matter.Extend, matter.Pause, matter.Resume:
		need = access.MatterAnswer
		if _, _, err := c.Decide(access.MatterDecide, m.Target()); err == nil {
			need = access.MatterDecide
		}
	}
	d := h.matterDesk()
	step := matter.Step{Actor: c.Party.String(), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	_, _, err := c.Decide(need, m.Target())
	if err == nil {
		switch action {
		case matter.Answer:
			err = h.answer(r, d, m.ID, step)
		case matter.Extend:
			days, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
			if perr != nil {
				days = 0
			}
			_, err = d.StepMatter(r.Context(), m.ID, action, step, days)
		default:
			_, err = d.StepMatter(r.Context(), m.ID, action, step, 0)
		}
	}
	if err != nil {
		h.matterRefused(w, r, *m, action, err)
		return
	}
	h.cfg.Logger.Info("matter step", "matter", m.ID, "action", string(action), "actor", c.Party.String())
	wp := h.newPage(r, "")
	http.Redirect(w, r, wp.Link(matterURL(m.ID)+"?done=1"), http.StatusSeeOther)
}

// answer reads the answer form (its text and at most one file).
func (h *Handler) answer(r *http.Request, d MatterDesk, id string, s matter.Step) error {
	var name string
	var data []byte
	if f, fh, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if fh.Size > maxMatterFile {
			return trustmark.Invalidf("matter.file_size", "file", "an attached file is at most %d bytes", maxMatterFile)
		}
		if data, err = io.ReadAll(io.LimitReader(f, maxMatterFile+1)); err != nil {
			return err
		}
		name = fh.Filename
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return trustmark.Invalidf("matter.answer_empty", "text", "an answer needs a text or a file")
	}
	_, err := d.AnswerMatter(r.Context(), id, s, r.PostFormValue("text"), name, data)
	return err
}

// matterRefused shows the page again with the refusal next to its form.
func (h *Handler) matterRefused(w http.ResponseWriter, r *http.Request, m matter.Matter, action matter.Action, err error) {
	build := func(r *http.Request) (*MatterPage, error) {
		if fresh, ferr := h.matterDesk().Matter(r.Context(), m.ID); ferr == nil {
			m = *fresh
		}
		return h.buildMatterPage(r, m)
	}
	refuseRebuilt(h, w, r, err, "matter", build, func(p *MatterPage) {
		p.Error, p.Form = p.T.Reason(err), string(action)
		p.Answer, p.Reason = r.PostFormValue("text"), r.PostFormValue("reason")
		h.cfg.Logger.Info("matter step refused", slog.String("matter", m.ID), slog.String("action", string(action)), slog.String("err", err.Error()))
	})
}

// matterFile serves an answer's attachment to those who may see the
// matter, as a download.
func (h *Handler) matterFile(w http.ResponseWriter, r *http.Request) {
	m, ok := h.matterFor(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("step"))
	if err != nil {
		h.notFoundPage(w, r)
		return
	}
	name, data, err := h.matterDesk().MatterFile(r.Context(), m.ID, n)
	if trustmark.IsNotFound(err) {
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

// WorkTool is a link from the workbench's home to one of its pages.
type WorkTool struct{ URL, Label string }

// workTools are the pages c's roles may use: staff administration for an
// administrator, the certificate form for a body, the upload for a body or
// a laboratory.
func workTools(t *Messages, c *thttp.Caller) []WorkTool {
	var out []WorkTool
	if len(adminRoles(c)) > 0 {
		out = append(out, WorkTool{"/work/staff", t.Work.StaffTitle})
	}
	for _, r := range c.Roles {
		if access.Decide(r, access.CertificateIssue, access.Target{Owner: r.Unit}) == nil {
			out = append(out, WorkTool{"/work/certificates/new", t.Work.CertIssueTitle})
			break
		}
	}
	if _, _, ok := importRole(c, ""); ok {
		out = append(out, WorkTool{"/work/import", t.Work.ImportTitle})
	}
	if readsAccessLog(c) {
		out = append(out, WorkTool{"/work/access-log", t.AccessLog.Title}) // accesslog.go
	}
	return out
}
