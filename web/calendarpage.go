package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/calendar"
	thttp "trustmark/http"
)

// The official calendar's page (/work/calendar): the national
// administrator sees which years the calendar holds (shipped, loaded, or
// provisional) and loads a later year's holiday notice as a file in the
// form of the shipped data, as trustmark calendar load does. The file is
// read by calendar.ReadNoticeFile, decided on by calendar.DecideLoad in
// the store's transaction (sqlstore.LoadNotices, which records the event),
// and then installed on the server's one calendar, so that every deadline
// counted after the answer counts on it.

func init() { pageTemplates = append(pageTemplates, "calendar") }

func (h *Handler) calendarRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/calendar", h.calendarPage)
	mux.HandleFunc("POST /work/calendar", h.calendarLoad)
}

// CalendarPage is /work/calendar.
type CalendarPage struct {
	WorkPage
	Years       []CalendarYear
	Done, Error string
	NoticeTitle string // kept when a load is refused
}

// CalendarYear is one year of the calendar as the page shows it.
type CalendarYear struct {
	Year                 int
	Title, State, Detail string
	Provisional          bool
}

// calendar is the server's calendar, on which loads are installed.
func (h *Handler) calendar() *calendar.Calendar {
	if h.cfg.Calendar != nil {
		return h.cfg.Calendar
	}
	return h.matterRules().Calendar()
}

// calendarStore is the store of loaded notices (sqlstore.DB is one).
func (h *Handler) calendarStore() (calendar.Store, error) {
	s, ok := h.cfg.Store.(calendar.Store)
	if !ok {
		return nil, trustmark.Errorf(trustmark.EUnavailable, "", "this server keeps no calendar notices")
	}
	return s, nil
}

// calendarAllowed refuses anyone but the national administrator
// (access.CalendarImport), for the page and for the load alike.
func calendarAllowed(c *thttp.Caller) error {
	_, _, err := c.Decide(access.CalendarImport, access.Target{Region: trustmark.NationalRegion})
	return err
}

func (h *Handler) calendarPage(w http.ResponseWriter, r *http.Request) {
	p, err := h.buildCalendarPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "calendar", p)
}

func (h *Handler) buildCalendarPage(r *http.Request) (*CalendarPage, error) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Calendar.Title })
	if err := calendarAllowed(c); err != nil {
		return nil, err
	}
	store, err := h.calendarStore()
	if err != nil {
		return nil, err
	}
	loaded, err := store.LoadedNotices(r.Context())
	if err != nil {
		return nil, err
	}
	p := &CalendarPage{WorkPage: wp}
	t := &p.T.Calendar
	for _, y := range calendar.Years(calendar.Official(), loaded, h.today().Time().Year()) {
		cy := CalendarYear{Year: y.Year, Title: y.Title, Provisional: y.Provisional()}
		switch {
		case y.Shipped:
			cy.State = t.Shipped
		case y.Loaded != nil:
			cy.State = t.Loaded
			cy.Detail = fmt.Sprintf(t.LoadedBy, y.Loaded.By, y.Loaded.At.In(chinaTime).Format("2006-01-02 15:04"))
		default:
			cy.State = t.Provisional
		}
		p.Years = append(p.Years, cy)
	}
	return p, nil
}

func (h *Handler) calendarLoad(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	role, _, err := c.Decide(access.CalendarImport, access.Target{Region: trustmark.NationalRegion})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := parseForm(r); err != nil {
		h.calendarRefused(w, r, err)
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		h.calendarRefused(w, r, trustmark.Invalidf("upload.nothing", "file", "nothing to import: choose a file"))
		return
	}
	defer f.Close()
	ns, err := calendar.ReadNoticeFile(f, strings.TrimSpace(r.PostFormValue("title")))
	if err == nil {
		var store calendar.Store
		if store, err = h.calendarStore(); err == nil {
			err = store.LoadNotices(r.Context(), thttp.RoleParty(role), ns)
		}
	}
	if err != nil {
		h.calendarRefused(w, r, err)
		return
	}
	h.calendar().Install(ns...)
	years := make([]string, len(ns))
	for i, n := range ns {
		years[i] = strconv.Itoa(n.Year)
	}
	h.cfg.Logger.Info("calendar notice loaded", "actor", thttp.RoleParty(role).String(), "years", strings.Join(years, ","))
	p, err := h.buildCalendarPage(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Done = fmt.Sprintf(p.T.Calendar.Done, strings.Join(years, ", "))
	h.render(w, r, http.StatusOK, "calendar", p)
}

// calendarRefused shows the page again with the refusal, which names the
// row or year and the field.
func (h *Handler) calendarRefused(w http.ResponseWriter, r *http.Request, err error) {
	refuseRebuilt(h, w, r, err, "calendar", h.buildCalendarPage, func(p *CalendarPage) {
		p.Error, p.NoticeTitle = p.T.Reason(err), r.PostFormValue("title")
		if f := trustmark.ErrorField(err); f != "" && !strings.Contains(p.Error, f) {
			p.Error = f + ": " + p.Error
		}
	})
}

// calendarTools links the national administrator's home to the page.
func calendarTools(t *Messages, c *thttp.Caller) []WorkTool {
	if calendarAllowed(c) != nil {
		return nil
	}
	return []WorkTool{{"/work/calendar", t.Calendar.Title}}
}
