package web

import (
	"bytes"
	"errors"
	"net/http"

	"trustmark"
	"trustmark/bulk"
	thttp "trustmark/http"
	"trustmark/locale"
	"trustmark/ratelimit"
)

// DefaultMaxUploadItems bounds the items of one upload to /verify; the
// server's body limit bounds its size.
const DefaultMaxUploadItems = 20_000

// VerifyPage is the bulk verification form (/verify) and, after a
// submission, its results.
type VerifyPage struct {
	Page
	Error   string // why the submission was refused
	Pasted  string
	Results []VerifyRow
	Summary string // counts by result, as at the top of the downloads
	// Examples are records of the registry being served, to try.
	Examples []Example
	// FormLang is the language the form posts, so that its answer comes
	// back in the language of the page that sent it.
	FormLang string
}

// VerifyRow is one result on the page.
type VerifyRow struct {
	bulk.Result
	Status StatusView
	Link   string // the record's page, in the page's language; "" when not found
}

// verifyPage serves the empty form.
func (h *Handler) verifyPage(w http.ResponseWriter, r *http.Request) {
	p := h.newVerifyPage(h.newPage(r, ""))
	p.Robots = "noindex"
	for _, e := range h.examples(r.Context(), &p.Page) {
		if !e.Name { // bulk verification takes identifiers only
			p.Examples = append(p.Examples, e)
		}
	}
	h.renderVerify(w, r, http.StatusOK, p)
}

func (h *Handler) newVerifyPage(pg Page) *VerifyPage {
	pg.Title = pg.T.Bulk.Title
	pg.Robots = "noindex"
	return &VerifyPage{Page: pg, FormLang: pg.T.Lang}
}

func (h *Handler) renderVerify(w http.ResponseWriter, r *http.Request, status int, p *VerifyPage) {
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "verify", p)
}

// maxMemory is how much of a multipart form is kept in memory; a larger
// file is spooled to disk by mime/multipart and streamed from there. The
// server's body limit bounds the whole.
const maxMemory = 1 << 20

// verifyUpload answers the form: items pasted, a file uploaded, or both;
// the result shown on the page or downloaded as CSV or XLSX. At most
// MaxUploadsPerClient uploads of a client, and MaxUploads in all, are read
// at once; refusals name their limit in the page's language.
func (h *Handler) verifyUpload(w http.ResponseWriter, r *http.Request) {
	pg := h.newPage(r, "")
	done, err := h.receiveUpload(w, r)
	if err != nil {
		h.verifyRefused(w, r, pg, err)
		return
	}
	defer done()
	if v := r.PostFormValue("lang"); v != "" {
		// The form says the language of the page that sent it.
		pg = h.pageInLang(r, v, pg)
	}
	lines, header, width, err := h.readLines(r)
	if err != nil {
		h.verifyRefused(w, r, pg, err)
		return
	}
	results, err := h.verifyLines(r, pg.T, lines)
	if err != nil {
		h.verifyRefused(w, r, pg, err)
		return
	}
	// Links in a file must work where the file is opened: absolute, on
	// the configured site (never on the request's Host), in the page's
	// language.
	link := func(u string) string { return h.absoluteURL(r, pg.Link(u)) }
	sheet := bulk.NewSheet(pg.T, header, width, lines, link)
	switch r.PostFormValue("format") {
	case "csv":
		h.sendVerifyCSV(w, sheet)
	case "xlsx":
		h.sendVerifyXLSX(w, r, pg, sheet)
	default:
		p := h.newVerifyPage(pg)
		p.Pasted = r.PostFormValue("items")
		p.Summary = sheet.Summary
		for _, res := range results {
			p.Results = append(p.Results, verifyRow(&p.Page, res))
		}
		h.renderVerify(w, r, http.StatusOK, p)
	}
}

// verifyRefused shows the form in pg's language with the refusal err, at
// its status. An internal error is logged and shown as such; a limit of
// the server's says when to try again.
func (h *Handler) verifyRefused(w http.ResponseWriter, r *http.Request, pg Page, err error) {
	p := h.newVerifyPage(pg)
	p.Error = p.T.Reason(err)
	code := trustmark.ErrorCode(err)
	switch code {
	case trustmark.EInternal:
		h.cfg.Logger.Error("verify upload", "err", err)
		p.Error = p.T.ErrorText
	case trustmark.ERateLimited, trustmark.EUnavailable:
		w.Header().Set("Retry-After", "1")
	}
	h.renderVerify(w, r, thttp.StatusCode(code), p)
}

// verifyLines verifies the items of lines, bulk.MaxItems at a time, puts
// each result in its line and returns them in order. An upload of nothing
// to verify is refused.
func (h *Handler) verifyLines(r *http.Request, t *Messages, lines []bulk.Line) ([]bulk.Result, error) {
	var items []string
	for _, l := range lines {
		if l.Result != nil {
			items = append(items, l.Result.Item)
		}
	}
	if len(items) == 0 {
		return nil, trustmark.Invalidf("upload.nothing", "items", "nothing to verify: paste numbers or choose a file")
	}
	// An upload of n items costs what n/MaxItems API calls would.
	ratelimit.Charge(r.Context(), float64((len(items)-1)/bulk.MaxItems))
	results := make([]bulk.Result, 0, len(items))
	for start := 0; start < len(items); start += bulk.MaxItems {
		res, err := h.cfg.Verify.Verify(r.Context(), items[start:min(start+bulk.MaxItems, len(items))], t)
		if err != nil {
			return nil, err
		}
		results = append(results, res...)
	}
	n := 0
	for i := range lines {
		if lines[i].Result != nil {
			lines[i].Result = &results[n]
			n++
		}
	}
	return results, nil
}

// sendVerifyCSV sends the results as a CSV download. Once the first
// bytes are sent no other answer can follow: a failure is only logged.
func (h *Handler) sendVerifyCSV(w http.ResponseWriter, sheet bulk.Sheet) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="trustmark-verify.csv"`)
	if err := WriteSheetCSV(w, sheet); err != nil {
		h.cfg.Logger.Warn("write verify csv", "err", err)
	}
}

// sendVerifyXLSX sends the results as an XLSX download, built whole
// first so that a failure can still be answered with the form.
func (h *Handler) sendVerifyXLSX(w http.ResponseWriter, r *http.Request, pg Page, sheet bulk.Sheet) {
	var buf bytes.Buffer
	if err := WriteSheetXLSX(&buf, sheet); err != nil {
		h.verifyRefused(w, r, pg, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="trustmark-verify.xlsx"`)
	w.Write(buf.Bytes())
}

// readLines reads what the form sends to verify: the pasted items, then
// every row of the uploaded table (blank ones included, with a nil
// Result), each non-blank line with a Result holding only its Item. The
// header and width are the table's (nil and 0 without a file); a pasted
// item stands in the table's item column.
func (h *Handler) readLines(r *http.Request) (lines []bulk.Line, header []string, width int, err error) {
	max := h.cfg.MaxUploadItems
	pasted, err := bulk.SplitItems(r.PostFormValue("items"), max)
	if err != nil {
		return nil, nil, 0, err
	}
	var up *bulk.Upload
	if file, _, err := r.FormFile("file"); err == nil {
		up, err = readUpload(file, max-len(pasted))
		file.Close()
		if err != nil {
			return nil, nil, 0, err
		}
		header, width = up.Header, up.Width()
	}
	for _, it := range pasted {
		var cells []string
		if up != nil {
			cells = make([]string, up.Col+1)
			cells[up.Col] = it
		}
		lines = append(lines, bulk.Line{Cells: cells, Result: &bulk.Result{Item: it}})
	}
	if up != nil {
		for i, it := range up.Items() {
			l := bulk.Line{Cells: up.Rows[i]}
			if it != "" {
				l.Result = &bulk.Result{Item: it}
			}
			lines = append(lines, l)
		}
	}
	return lines, header, width, nil
}

// parseForm reads the posted form, multipart (with a file) or not. A body
// over the server's limit is too_large, naming the limit; any other
// failure says the form could not be read.
func parseForm(r *http.Request) error {
	err := r.ParseMultipartForm(maxMemory)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var maxErr *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &maxErr):
		return bodyTooLarge(maxErr.Limit)
	}
	return trustmark.Invalidf("upload.form", "items", "the form could not be read")
}

// pageInLang is pg in the language lang names, kept explicit so that its
// links stay in it; pg itself when the catalogue has no such language.
func (h *Handler) pageInLang(r *http.Request, lang string, pg Page) Page {
	m, explicit := pickLangParam(lang)
	if !explicit {
		return pg
	}
	q := r.URL.Query()
	q.Set("lang", m.SwitchLang)
	pg.T, pg.explicit = m, true
	pg.SwitchURL = r.URL.EscapedPath() + "?" + q.Encode()
	return pg
}

// verifyRow is a result as the page shows it: the status as a badge in the
// site's colours, and a link to the record's page in the page's language.
func verifyRow(p *Page, res bulk.Result) VerifyRow {
	row := VerifyRow{Result: res}
	if res.URL != "" {
		row.Link = p.Link(res.URL)
	}
	label := locale.StatusLabel(bulk.StatusText(p.T, res))
	switch {
	case !res.Found:
		row.Status = StatusView{Label: locale.StatusLabel(p.T.Bulk.NotFound), Class: "bad"}
	case res.Kind == bulk.KindCertificate || res.Status == string(trustmark.StatusExpired):
		s := trustmark.CertStatus(res.Status)
		row.Status = StatusView{Label: label, Class: certClass(s, s.Tone())}
	case res.Kind == bulk.KindBody || res.Kind == bulk.KindLab:
		row.Status = partyStatusView(p.T, trustmark.PartyStatus(res.Status))
		row.Status.Label = label
	case res.Kind == bulk.KindReport && res.Status == string(trustmark.ConclusionFail):
		row.Status = StatusView{Label: label, Class: "bad"}
	default:
		row.Status = StatusView{Label: label, Class: "ok"}
	}
	return row
}
