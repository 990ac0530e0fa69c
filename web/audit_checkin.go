package web

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"trustmark"
	"trustmark/audit"
	thttp "trustmark/http"
)

// A check-in from the phone: the form of the audit's page posted as
// multipart/form-data (position, accuracy, device time, 1-3 photos, the
// team confirmed, the request id that makes a retry safe), decoded here
// and checked in through the store's one path, AuditDesk.CheckIn, as the
// JSON route does; the store decides with package audit. The page's
// script fills the position and makes the photos smaller; without it the
// form still posts, and a check-in without a position is refused in
// plain words.

// maxFormField bounds a non-file field of the form (as the JSON route's
// multipart reader does).
const maxFormField = 1024

// maxCheckInBody bounds a check-in's body: three photos at their limit and
// the fields. The route takes it in place of the server's limit
// (thttp.WithBodyLimit).
const maxCheckInBody = audit.MaxPhotos*audit.MaxPhotoBytes + 64<<10

// maxFormMemory bounds the memory a check-in form takes while it is
// parsed: the photos beyond it wait in temporary files until they are read.
const maxFormMemory = 64 << 10

// checkInForm is a posted check-in form. LatText, LngText and AccText are
// the fields as typed, shown again after a refusal.
type checkInForm struct {
	Kind, Datum, RequestID, DeviceID string
	Lat, Lng                         *float64
	AccuracyM                        float64
	DeviceTime                       time.Time
	TeamConfirmed                    bool
	Photos                           [][]byte
	LatText, LngText, AccText        string
}

// readCheckInForm decodes the check-in form of r, outside input: a
// multipart body of at most maxCheckInBody (the route bounds it; photos
// past maxFormMemory wait in temporary files the caller removes), fields
// of at most maxFormField bytes, at most audit.MaxPhotos non-empty photos
// of at most audit.MaxPhotoBytes each. What it decodes is checked by the
// store's decision, not here. A field that is not a number where one is
// due, or a device time that is not RFC 3339, is refused with the JSON
// route's reason.
func readCheckInForm(r *http.Request) (checkInForm, error) {
	var f checkInForm
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return f, trustmark.Invalidf("audit.multipart", "", "the multipart body cannot be read")
	}
	if err := r.ParseMultipartForm(maxFormMemory); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return f, thttp.FormTooLarge(tooLarge.Limit)
		}
		return f, trustmark.Invalidf("audit.multipart", "", "the multipart body cannot be read")
	}
	form := r.MultipartForm
	field := func(name string) (string, error) {
		vs := form.Value[name]
		if len(vs) == 0 {
			return "", nil
		}
		if len(vs[0]) > maxFormField {
			return "", trustmark.Invalidf("audit.field_long", name, "field %s has more than %d bytes", name, maxFormField)
		}
		return strings.TrimSpace(vs[0]), nil
	}
	var err error
	vals := map[string]string{}
	for _, name := range []string{"kind", "lat", "lng", "accuracy_m", "datum", "device_time", "request_id", "device_id", "team_confirmed"} {
		if vals[name], err = field(name); err != nil {
			return f, err
		}
	}
	f.Kind, f.Datum, f.RequestID, f.DeviceID = vals["kind"], vals["datum"], vals["request_id"], vals["device_id"]
	f.LatText, f.LngText, f.AccText = vals["lat"], vals["lng"], vals["accuracy_m"]
	f.TeamConfirmed = vals["team_confirmed"] != ""
	if f.Lat, err = formNumber("lat", f.LatText); err != nil {
		return f, err
	}
	if f.Lng, err = formNumber("lng", f.LngText); err != nil {
		return f, err
	}
	acc, err := formNumber("accuracy_m", f.AccText)
	if err != nil {
		return f, err
	}
	if acc != nil {
		f.AccuracyM = *acc
	}
	if s := vals["device_time"]; s != "" {
		if f.DeviceTime, err = time.Parse(time.RFC3339, s); err != nil {
			return f, trustmark.Invalidf("audit.device_time", "device_time", "device_time %q is not an RFC 3339 time", s)
		}
	}
	f.Photos, err = formPhotos(form.File["photos"])
	return f, err
}

// formNumber reads a decimal field; empty is absent.
func formNumber(name, s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, trustmark.Invalidf("audit.number", name, "%s %q is not a number", name, s)
	}
	return &v, nil
}

// formPhotos reads the photos of the form, skipping the empty part a
// browser sends when no file was chosen.
func formPhotos(fhs []*multipart.FileHeader) ([][]byte, error) {
	var out [][]byte
	for _, fh := range fhs {
		if fh.Size == 0 {
			continue
		}
		if len(out) == audit.MaxPhotos {
			return nil, trustmark.Invalidf("audit.photos", "photos", "a check-in carries %d to %d photos, not %d", audit.MinPhotos, audit.MaxPhotos, len(out)+1)
		}
		if fh.Size > audit.MaxPhotoBytes {
			return nil, photoTooLarge(len(out), fh.Size)
		}
		file, err := fh.Open()
		if err != nil {
			return nil, trustmark.Invalidf("audit.multipart", "", "the multipart body cannot be read")
		}
		b, err := io.ReadAll(io.LimitReader(file, audit.MaxPhotoBytes+1))
		file.Close()
		if err != nil {
			return nil, trustmark.Invalidf("audit.multipart", "", "the multipart body cannot be read")
		}
		if len(b) > audit.MaxPhotoBytes {
			return nil, photoTooLarge(len(out), int64(len(b)))
		}
		out = append(out, b)
	}
	return out, nil
}

func photoTooLarge(i int, size int64) error {
	return trustmark.Reasonf(trustmark.ETooLarge, "audit.photo_size", "photos", "photo %d has %d bytes; at most %d", i+1, size, audit.MaxPhotoBytes)
}

// CheckInResultPage answers a check-in: recorded, when by the server's
// clock, where, and the anomalies it raised in plain words.
type CheckInResultPage struct {
	WorkPage
	AuditID, AuditURL, Kind, At, DeviceTime, Position, Accuracy, Distance string
	Photos                                                                int
	Replayed                                                              bool
	Anomalies                                                             []AnomalyRow
}

// auditCheckIn takes a posted check-in form. A refusal shows the audit's
// page again with the form, its values and the reason; a check-in shows
// its result.
func (h *Handler) auditCheckIn(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	d, a, err := h.visibleAudit(r, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	person, err := checkingInAs(c.Roles, a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := readCheckInForm(r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	m, _ := pickLang(r)
	view := &CheckInFormView{Kind: f.Kind, Lat: f.LatText, Lng: f.LngText, Accuracy: f.AccText, RequestID: f.RequestID, Confirmed: f.TeamConfirmed}
	switch {
	case err != nil:
		view.Error = m.Reason(err)
	case f.Lat == nil || f.Lng == nil:
		view.Error = m.Audit.PositionMissing
	case !f.TeamConfirmed:
		view.Error = m.Audit.TeamUnconfirmed
	case len(f.Photos) == 0:
		view.Error = m.Audit.PhotosMissing
	}
	if view.Error != "" {
		h.refuseCheckIn(w, r, view, err)
		return
	}
	if f.RequestID == "" {
		f.RequestID = newRequestID()
	}
	res, err := d.CheckIn(r.Context(), a.ID, f.RequestID, audit.CheckInRequest{Person: person, Kind: f.Kind,
		Lat: *f.Lat, Lng: *f.Lng, AccuracyM: f.AccuracyM, Datum: cmp.Or(f.Datum, string(audit.WGS84)), DeviceTime: f.DeviceTime,
		Device: f.DeviceID}, f.Photos)
	if err != nil {
		if thttp.StatusCode(trustmark.ErrorCode(err)) >= 500 {
			h.fail(w, r, err)
			return
		}
		view.Error = m.Reason(err)
		h.refuseCheckIn(w, r, view, err)
		return
	}
	h.checkInResult(w, r, d, a, res)
}

// refuseCheckIn shows the audit's page again with the refused form, with
// the status of the refusal (400 when the form itself is incomplete).
func (h *Handler) refuseCheckIn(w http.ResponseWriter, r *http.Request, view *CheckInFormView, err error) {
	p, _, perr := h.auditView(r, view)
	if perr != nil {
		h.fail(w, r, perr)
		return
	}
	status := http.StatusBadRequest
	if err != nil {
		status = thttp.StatusCode(trustmark.ErrorCode(err))
	}
	h.renderCheckInPage(w, r, status, p)
}

func (h *Handler) checkInResult(w http.ResponseWriter, r *http.Request, d AuditDesk, a *audit.Audit, res audit.CheckInResult) {
	wp, _ := h.workPage(r, func(m *Messages) string { return m.Audit.Recorded })
	m, ci := wp.T, res.CheckIn
	p := CheckInResultPage{WorkPage: wp, AuditID: a.ID, AuditURL: auditURL(a.ID), Kind: cmp.Or(m.Audit.CheckKinds[ci.Kind], string(ci.Kind)),
		At: chinaMinute(ci.At), DeviceTime: chinaMinute(ci.DeviceTime), Photos: len(ci.Photos), Replayed: res.Replayed,
		Position: strconv.FormatFloat(ci.Lat, 'f', 5, 64) + ", " + strconv.FormatFloat(ci.Lng, 'f', 5, 64),
		Accuracy: fmt.Sprintf(m.Audit.Metres, strconv.FormatFloat(ci.AccuracyM, 'f', 0, 64)), Distance: siteDistanceWords(m, a, ci.Position)}
	recs, err := d.AuditAnomalies(r.Context(), a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	raised := map[string]bool{}
	for _, an := range res.Anomalies {
		raised[an.Key] = true
	}
	for _, an := range recs {
		if raised[an.Key] {
			p.Anomalies = append(p.Anomalies, anomalyRow(m, an))
		}
	}
	h.render(w, r, http.StatusOK, "audit_result", &p)
}
