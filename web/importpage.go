package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	thttp "trustmark/http"
	"trustmark/importer"
)

// The upload-and-fix page (/work/import): a body uploads its certificates
// (a laboratory its reports) as XLSX or CSV, read by the importer's
// streaming table reader within its limits. "Check" reads every row and
// shows each one that would be refused, with its row, field and reason in
// the page's language, committing nothing; "Import" commits every good row
// (as the role's party, so a row of another body's is refused by the
// registry's own decision) and shows the refused ones. Either way the
// refused rows can be downloaded as an XLSX workbook with their cells and a
// reason column, to fix and upload again: the reason column is dropped when
// the file comes back, and rows that went in already are unchanged the
// second time, so no good row is lost and none counted twice.

// reasonColumn is the column the download adds; an upload may carry it.
const reasonColumn = "reason"

// importBatch is how many good rows one store transaction takes.
const importBatch = 1000

// maxShownRejects bounds the refused rows a page lists; the download holds
// every one, spooled on disk within the limits of refusedStore.
const maxShownRejects = 500

// ImportPage is the upload-and-fix page.
type ImportPage struct {
	WorkPage
	Kinds []string // the kinds the person may upload, "certificates" or "reports"
	Kind  string
	// After an upload: what happened.
	Uploaded                                 bool
	Checked                                  bool // checked only: nothing committed
	FileName                                 string
	Rows, Good, Imported, Unchanged, Refused int
	Rejects                                  []ImportReject
	More                                     int    // refused rows not listed
	Download                                 string // the refused rows' workbook, "" when none
	Error                                    string

	header  []string      // the kind's columns the file has, for the spool
	spool   *refusedSpool // the refused rows so far, on disk; nil before the first
	noSpool bool          // the spool failed: no download this time
}

// ImportReject is one refused row.
type ImportReject struct {
	Row           int
	Field, Reason string
	cells         []string
}

// importKinds are the kinds each kind of role uploads here, and the column
// that names the uploader's own unit in each.
var importKinds = map[account.Kind]trustmark.Kind{account.Body: trustmark.KindCertificates, account.Lab: trustmark.KindReports}

var ownColumn = map[trustmark.Kind]string{trustmark.KindCertificates: "body_approval_no", trustmark.KindReports: "lab_cma_no"}

// importRole returns the caller's role that may upload kind, if any.
func importRole(c *thttp.Caller, kind string) (account.Role, trustmark.Kind, bool) {
	for _, r := range c.Roles {
		k, ok := importKinds[r.Kind]
		if ok && (kind == "" || string(k) == kind) && access.Decide(r, access.ImportUpload, access.Target{Owner: r.Unit}) == nil {
			return r, k, true
		}
	}
	return account.Role{}, "", false
}

func (h *Handler) importPage(r *http.Request) (*ImportPage, *thttp.Caller) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Work.ImportTitle })
	p := &ImportPage{WorkPage: wp}
	for _, role := range c.Roles {
		if k, ok := importKinds[role.Kind]; ok && !slices.Contains(p.Kinds, string(k)) {
			p.Kinds = append(p.Kinds, string(k))
		}
	}
	return p, c
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	p, c := h.importPage(r)
	if _, _, ok := importRole(c, ""); !ok {
		h.fail(w, r, trustmark.Reasonf(trustmark.EForbidden, "access.no_rule", "", "no rule lets %s staff %s (%s)", "your", "upload an import file", access.ImportUpload))
		return
	}
	h.render(w, r, http.StatusOK, "importpage", p)
}

// importRefused shows the form with a refusal of the whole file.
func (h *Handler) importRefused(w http.ResponseWriter, r *http.Request, p *ImportPage, err error) {
	h.refuse(w, r, err, "importpage", p, func() { p.Error = p.T.Reason(err) })
}

func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request) {
	p, c := h.importPage(r)
	done, err := h.receiveUpload(w, r)
	if err != nil {
		h.importRefused(w, r, p, err)
		return
	}
	defer done()
	role, kind, ok := importRole(c, r.PostFormValue("kind"))
	if !ok {
		h.fail(w, r, trustmark.Reasonf(trustmark.EForbidden, "access.no_rule", "", "no rule lets %s staff %s (%s)", "your", "upload an import file", access.ImportUpload))
		return
	}
	p.Kind = string(kind)
	f, fh, err := r.FormFile("file")
	if err != nil {
		h.importRefused(w, r, p, trustmark.Invalidf("upload.nothing", "file", "nothing to import: choose a file"))
		return
	}
	defer f.Close()
	p.Uploaded, p.FileName, p.Checked = true, fh.Filename, r.PostFormValue("mode") != "import"
	_, err = h.readImport(r, p, f, role, kind)
	if p.spool != nil && err != nil {
		p.spool.discard()
		p.spool = nil
	}
	if err != nil {
		h.importRefused(w, r, p, err)
		return
	}
	if p.Refused > 0 {
		p.Download = h.keepRejects(c, p)
	}
	h.cfg.Logger.Info("workbench import", "actor", c.Party.String(), "as", role.Unit.String(), "kind", string(kind), "checked", p.Checked,
		"rows", p.Rows, "imported", p.Imported, "unchanged", p.Unchanged, "refused", p.Refused)
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusOK, "importpage", p)
}

// readImport reads the file's rows, checks each, and (unless only
// checking) imports the good ones in batches. It returns the header of
// the kind's columns the file has, in its order.
func (h *Handler) readImport(r *http.Request, p *ImportPage, f io.ReadSeeker, role account.Role, kind trustmark.Kind) ([]string, error) {
	t, err := importer.OpenTable(f, importer.DefaultLimits())
	if err != nil {
		return nil, unreadable(err)
	}
	defer t.Close()
	cols, header, err := readImportHeader(t, kind)
	if err != nil {
		return nil, err
	}
	p.header = header
	policy := trustmark.DefaultPolicy()
	b := &importBatcher{h: h, p: p, party: thttp.RoleParty(role), kind: kind}
	for n := 1; ; n++ {
		cells, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, unreadable(err)
		}
		p.Rows++
		row, kept := importRow(cols, cells, len(header))
		rec, err := parseImportRow(kind, row, policy, role)
		if err != nil {
			h.reject(p, n, kept, err)
			continue
		}
		p.Good++
		if err := b.add(r.Context(), rec, n, kept); err != nil {
			return nil, err
		}
	}
	return header, b.flush(r.Context())
}

// readImportHeader reads the file's first row: cols are its columns'
// normalized names, header those of the kind's columns (without the
// download's reason column and unnamed ones), checked against the kind.
func readImportHeader(t *importer.Table, kind trustmark.Kind) (cols, header []string, err error) {
	first, err := t.Next()
	if errors.Is(err, io.EOF) {
		return nil, nil, trustmark.Invalidf("upload.nothing", "file", "nothing to import: the file is empty")
	}
	if err != nil {
		return nil, nil, unreadable(err)
	}
	cols = make([]string, len(first))
	for i, h := range first {
		cols[i] = trustmark.NormalizeColumn(h)
		if cols[i] != reasonColumn && cols[i] != "" {
			header = append(header, cols[i])
		}
	}
	if err := kind.CheckHeader(header); err != nil {
		return nil, nil, err
	}
	return cols, header, nil
}

// importRow is a row's cells by column name, trimmed, and the cells as
// they were in the header's columns, for the download of refused rows.
func importRow(cols, cells []string, width int) (trustmark.Row, []string) {
	row := trustmark.Row{}
	kept := make([]string, 0, width)
	for i, c := range cells {
		if i < len(cols) && cols[i] != reasonColumn && cols[i] != "" {
			row[cols[i]] = strings.TrimSpace(c)
			kept = append(kept, c)
		}
	}
	return row, kept
}

// parseImportRow parses row as a record of kind, refusing one that is not
// the uploader's own unit's before the store is asked.
func parseImportRow(kind trustmark.Kind, row trustmark.Row, policy *trustmark.Policy, role account.Role) (trustmark.Record, error) {
	rec, err := trustmark.ParseRecord(kind, row, policy)
	if err == nil && row[ownColumn[kind]] != role.ID {
		err = trustmark.Errorf(trustmark.EForbidden, ownColumn[kind], "%s %s is not yours (%s): each row must be your own", ownColumn[kind], row[ownColumn[kind]], role.ID)
	}
	return rec, err
}

// importBatcher gathers an import's good rows into store transactions of
// importBatch rows, and counts on the page what the store did with each.
// When the page is only checking, nothing is stored.
type importBatcher struct {
	h       *Handler
	p       *ImportPage
	party   trustmark.Party
	kind    trustmark.Kind
	batch   []trustmark.Record
	pending []ImportReject // the row numbers and cells of batch, for refusals
}

// add adds the good row n, rec parsed from cells, storing the batch once
// it is full.
func (b *importBatcher) add(ctx context.Context, rec trustmark.Record, n int, cells []string) error {
	b.batch, b.pending = append(b.batch, rec), append(b.pending, ImportReject{Row: n, cells: cells})
	if len(b.batch) >= importBatch {
		return b.flush(ctx)
	}
	return nil
}

// flush stores the batch and starts the next. A row the store refuses is
// no longer good: it joins the refused rows.
func (b *importBatcher) flush(ctx context.Context) error {
	if len(b.batch) == 0 || b.p.Checked {
		b.batch, b.pending = b.batch[:0], b.pending[:0]
		return nil
	}
	out, err := b.h.cfg.Store.Import(ctx, b.party, b.kind, b.batch)
	if err != nil {
		return err
	}
	for i, o := range out {
		switch o.Result {
		case trustmark.Rejected:
			b.p.Good--
			b.h.reject(b.p, b.pending[i].Row, b.pending[i].cells, o.Err)
		case trustmark.Unchanged:
			b.p.Unchanged++
		default:
			b.p.Imported++
		}
	}
	b.batch, b.pending = b.batch[:0], b.pending[:0]
	return nil
}

// unreadable is the refusal of a file the table reader cannot read: a
// limit's too_large as it is, anything else an invalid file (as the bulk
// verification page says it).
func unreadable(err error) error {
	var e *trustmark.Error
	if errors.As(err, &e) {
		return trustmark.WithField(err, "file")
	}
	return &trustmark.Error{Code: trustmark.EInvalid, Field: "file", Reason: "upload.unreadable",
		Message: "the file cannot be read as a CSV or XLSX table: " + err.Error()}
}

// reject records a refused row in the page's language: the page lists
// the first maxShownRejects, and every one goes to the spool of the
// download (on disk), so that memory does not grow with the file.
func (h *Handler) reject(p *ImportPage, row int, cells []string, err error) {
	if trustmark.ErrorCode(err) == trustmark.EInternal {
		err = trustmark.Errorf(trustmark.EInternal, "", "the row could not be stored")
	}
	p.Refused++
	field := trustmark.ErrorField(err)
	if field == "" {
		field = "row"
	}
	reason := p.T.Reason(err)
	if len(p.Rejects) < maxShownRejects {
		p.Rejects = append(p.Rejects, ImportReject{Row: row, Field: field, Reason: reason})
	} else {
		p.More++
	}
	if p.spool == nil && !p.noSpool {
		sp, serr := h.refusedFiles().create(p.header)
		if serr != nil {
			h.cfg.Logger.Warn("refused rows cannot be spooled", "err", serr)
			p.noSpool = true
			return
		}
		p.spool = sp
	}
	if p.spool != nil {
		if serr := p.spool.add(cells, field+": "+reason); serr != nil {
			h.cfg.Logger.Warn("refused rows cannot be spooled", "err", serr)
			p.spool.discard()
			p.spool, p.noSpool = nil, true
		}
	}
}

// keepRejects keeps the refused rows spooled for their download and
// returns the download's path, "" when they cannot be kept; it bounds the
// rows the page lists.
func (h *Handler) keepRejects(c *thttp.Caller, p *ImportPage) string {
	if p.spool == nil {
		return ""
	}
	name := strings.TrimSuffix(p.FileName, ".xlsx")
	name = strings.TrimSuffix(name, ".csv") + "-refused.xlsx"
	id, err := h.refusedFiles().keep(p.spool, c.Account.ID, name, h.cfg.Clock())
	p.spool = nil
	if err != nil {
		h.cfg.Logger.Warn("refused rows not kept", "err", err)
		return ""
	}
	return "/work/import/refused/" + id
}

// importRefusedFile serves a kept workbook of refused rows to the account
// that uploaded them, built from the spooled rows as it is sent.
func (h *Handler) importRefusedFile(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	if c.Account == nil {
		h.notFoundPage(w, r)
		return
	}
	f, name, err := h.refusedFiles().open(r.PathValue("id"), c.Account.ID, h.cfg.Clock())
	if err != nil {
		h.notFoundPage(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := spoolToXLSX(w, f); err != nil {
		h.cfg.Logger.Error("refused rows workbook", "err", err)
	}
}
