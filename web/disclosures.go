package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"trustmark"
	"trustmark/locale"
)

// disclosureDays is how far back the disclosure list reaches.
const disclosureDays = 90

// disclosureLimit bounds the rows of one list (the CSV).
const disclosureLimit = 20000

// disclosureRows bounds the rows of the HTML page; the CSV has them all.
const disclosureRows = 500

// DisclosuresPage lists certificates suspended or revoked in the last 90
// days, filterable by province, city and type, with a CSV download.
type DisclosuresPage struct {
	Page
	From, To                     string
	Province, City, Type         string
	ProvinceOptions, CityOptions []Option
	TypeOptions                  []Option
	Rows                         []CertRow
	Count                        string
	CSVURL                       string
	Truncated                    bool
	Shown                        string // "the page lists the latest 500"
}

func (h *Handler) disclosures(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := &DisclosuresPage{Page: h.newPage(r, ""), Province: q.Get("province"), City: q.Get("city"), Type: q.Get("type")}
	t := p.T
	p.Title = t.DiscTitle
	p.offerFilters()
	if err := p.checkQuery(q); err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.today()
	from := today.AddDate(0, 0, -disclosureDays)
	p.From, p.To = from.String(), today.String()
	f := trustmark.CertificateFilter{ChangedSince: from, Region: regionFilter(p.Province, p.City), Type: trustmark.CertType(p.Type), Limit: 1000}
	certs, truncated, err := h.disclosed(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	shown := certs
	if q.Get("format") != "csv" && len(shown) > disclosureRows {
		shown = shown[:disclosureRows]
	}
	reasons := h.statusReasons(ctx, shown)
	if q.Get("format") == "csv" {
		h.disclosuresCSV(w, certs, reasons, today, t)
		return
	}
	h.listDisclosed(p, certs, reasons, today)
	p.Truncated = truncated
	p.Count = fmt.Sprintf(t.DiscCount, formatCount(int64(len(certs)), t))
	v := url.Values{}
	for _, k := range []string{"province", "city", "type"} {
		if q.Get(k) != "" {
			v.Set(k, q.Get(k))
		}
	}
	v.Set("format", "csv")
	p.CSVURL = "/disclosures?" + v.Encode()
	h.render(w, r, http.StatusOK, "disclosures", p)
}

// disclosuresParams are the parameters /disclosures takes: its filters,
// the CSV download and the language.
var disclosuresParams = []string{"province", "city", "type", "format", "lang"}

// offerFilters fills in the page's select boxes, the chosen values
// selected.
func (p *DisclosuresPage) offerFilters() {
	t := p.T
	p.ProvinceOptions, p.CityOptions = regionOptions(t, p.Province, p.City)
	p.TypeOptions = []Option{{Value: "", Label: t.FilterAny}}
	for _, ct := range trustmark.CertTypes {
		p.TypeOptions = append(p.TypeOptions, Option{Value: string(ct), Label: t.CertTypeName(ct), Selected: string(ct) == p.Type})
	}
}

// checkQuery refuses by name, as the region pages do (checkPageQuery), a
// parameter the page does not take, one given twice, and a value its
// select boxes (offerFilters; a city as checkCity says) or its download do
// not offer: each would otherwise be dropped and every disclosure listed
// as if filtered.
func (p *DisclosuresPage) checkQuery(q url.Values) error {
	err := checkPageQuery(q, disclosuresParams, map[string][]string{"province": optionValues(p.ProvinceOptions), "type": optionValues(p.TypeOptions), "format": {"csv"}})
	if err != nil {
		return err
	}
	return checkCity(p.T.Lang, p.City, p.CityOptions)
}

// listDisclosed puts the first disclosureRows of certs on p, each with its
// issuing body and why its status changed (reasons, by Certificate.Key).
func (h *Handler) listDisclosed(p *DisclosuresPage, certs []*trustmark.Certificate, reasons map[string]string, today trustmark.Date) {
	for i, c := range certs {
		if i == disclosureRows {
			p.Shown = fmt.Sprintf(p.T.DiscShown, formatCount(disclosureRows, p.T))
			break
		}
		row := h.certRow(&p.Page, c, today)
		row.Body, row.BodyURL = c.BodyName, p.Link(bodyURL(c.BodyApprovalNo))
		if row.Body == "" {
			row.Body = c.BodyApprovalNo
		}
		row.Reason = reasons[c.Key()]
		p.Rows = append(p.Rows, row)
	}
}

// disclosed returns the certificates whose effective status is suspended or
// revoked and changed on or after f.ChangedSince, newest first.
func (h *Handler) disclosed(ctx context.Context, f trustmark.CertificateFilter) ([]*trustmark.Certificate, bool, error) {
	var all []*trustmark.Certificate
	truncated := false
	for _, s := range []trustmark.CertStatus{trustmark.StatusSuspended, trustmark.StatusRevoked} {
		f := f
		f.Status = s
		for {
			page, err := h.cfg.Store.Certificates(ctx, f)
			if err != nil {
				return nil, false, err
			}
			all = append(all, page.Items...)
			if page.NextCursor == "" {
				break
			}
			if len(all) >= disclosureLimit {
				truncated = true
				break
			}
			f.Cursor = page.NextCursor
		}
	}
	slices.SortStableFunc(all, func(a, b *trustmark.Certificate) int {
		if c := strings.Compare(b.StatusSince.String(), a.StatusSince.String()); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	return all, truncated, nil
}

// disclosuresCSV writes the list as CSV with a UTF-8 byte-order mark, which
// Excel in China needs to read UTF-8, its column headers, status words and
// certificate types and region names in the page's language (t); codes stay as they are beside
// them. Each row says why the certificate was suspended or revoked
// (reasons, by Certificate.Key).
func (h *Handler) disclosuresCSV(w http.ResponseWriter, certs []*trustmark.Certificate, reasons map[string]string, today trustmark.Date, t *Messages) {
	regions := trustmark.DefaultRegions()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="trustmark-disclosures-%s.csv"`, today))
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Write(t.Portal.DiscColumns)
	for _, c := range certs {
		s, since := c.EffectiveStatus(today)
		cw.Write([]string{csvSafe(c.Number), t.CertTypeName(c.Type), locale.StatusLabel(t.CertStatusNames[s]), since.String(), csvSafe(reasons[c.Key()]),
			string(c.HolderUSCC), csvSafe(c.HolderName), c.BodyApprovalNo, csvSafe(c.BodyName), c.ExpiresOn.String(),
			c.HolderUSCC.RegionCode(), regions.FullNameIn(c.HolderUSCC.RegionCode(), t.Lang)})
	}
	cw.Flush()
}

// statusReasoner is a store that reads, in one query per batch, the reason
// of the status change that took each certificate to its stored status
// (sqlstore.DB.StatusReasons).
type statusReasoner interface {
	StatusReasons(ctx context.Context, certs []*trustmark.Certificate) (map[string]string, error)
}

// statusReasons returns, by Certificate.Key, why each certificate's status
// last changed, as the issuing body gave it in the event; a certificate no
// event explains is absent. A store without StatusReasons is asked for each
// certificate's events. A failure leaves the reasons out (and is logged):
// the list itself still stands.
func (h *Handler) statusReasons(ctx context.Context, certs []*trustmark.Certificate) map[string]string {
	if sr, ok := h.cfg.Store.(statusReasoner); ok {
		reasons, err := sr.StatusReasons(ctx, certs)
		if err != nil {
			h.cfg.Logger.Warn("disclosure reasons", "certificates", len(certs), "err", err)
			return map[string]string{}
		}
		return reasons
	}
	reasons := map[string]string{}
	for _, c := range certs {
		evs, err := h.certificateEvents(ctx, c)
		if err != nil {
			h.cfg.Logger.Warn("disclosure reason", "number", c.Number, "err", err)
			continue
		}
		for i := len(evs) - 1; i >= 0; i-- {
			if e := evs[i]; e.Action == trustmark.ActionStatusChanged && e.To == string(c.Status) {
				if e.Reason != "" {
					reasons[c.Key()] = e.Reason
				}
				break
			}
		}
	}
	return reasons
}

// csvSafe keeps a spreadsheet from reading a cell as a formula (CSV
// injection): a leading =, +, - or @ gets an apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
