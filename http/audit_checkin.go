package http

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	nethttp "net/http"
	"strconv"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/audit"
)

// CheckInRequest is the JSON body of POST /api/v1/audits/{id}/checkins
// (CONTRACT.md v2). RequestID (or the Idempotency-Key header) makes a
// retry safe: the same id never checks in twice. DeviceID (or the
// X-Device-Id header) identifies the phone; it is stored only as a hash.
type CheckInRequest struct {
	Kind       string    `json:"kind"`
	Lat        *float64  `json:"lat"`
	Lng        *float64  `json:"lng"`
	AccuracyM  float64   `json:"accuracy_m"`
	Datum      string    `json:"datum"`
	DeviceTime time.Time `json:"device_time"`
	Photos     []string  `json:"photos"`
	RequestID  string    `json:"request_id"`
	DeviceID   string    `json:"device_id"`
}

// maxFieldBytes bounds one non-file field of a multipart check-in.
const maxFieldBytes = 1024

// Body limits of a check-in, in place of the server's (WithBodyLimit):
// audit.MaxPhotos photos of audit.MaxPhotoBytes and the other fields, as
// the workbench's check-in form takes them; as JSON, the photos in base64
// (4 bytes for 3). Both are read within them: a multipart body part by
// part with each photo bounded, a JSON one by a decoder reading at most
// the limit.
const (
	maxCheckInBody     = audit.MaxPhotos*audit.MaxPhotoBytes + 64<<10
	maxCheckInJSONBody = (audit.MaxPhotos*audit.MaxPhotoBytes+2)/3*4 + 64<<10
)

// checkInBodyLimit is the body limit of a check-in sent as r's content
// type says.
func checkInBodyLimit(r *nethttp.Request) int64 {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return maxCheckInBody
	}
	return maxCheckInJSONBody
}

// checkIn answers POST /api/v1/audits/{id}/checkins: a team member's
// check-in, 201 with the check-in and the anomalies it raised. A retry
// with the same request id answers the same check-in again. Its body may
// be larger than the server's limit: up to checkInBodyLimit.
func (s *Server) checkIn(w nethttp.ResponseWriter, r *nethttp.Request) {
	limit := checkInBodyLimit(r)
	if r.ContentLength > limit {
		w.Header().Set("Connection", "close")
		Error(w, r, trustmark.Reasonf(trustmark.ETooLarge, "http.body_too_large", "", "request body is %d bytes, larger than the %d bytes allowed", r.ContentLength, limit))
		return
	}
	WithBodyLimit(limit, nethttp.HandlerFunc(s.checkInWithin)).ServeHTTP(w, r)
}

// ownBodyLimit reports whether r goes to a route that sets its own body
// limit: POST /api/v1/audits/{id}/checkins (checkIn). The server's
// limit does not refuse it by its Content-Length first.
func ownBodyLimit(r *nethttp.Request) bool {
	if r.Method != nethttp.MethodPost {
		return false
	}
	id, ok := strings.CutPrefix(r.URL.Path, "/api/v1/audits/")
	if !ok {
		return false
	}
	id, ok = strings.CutSuffix(id, "/checkins")
	return ok && id != "" && !strings.Contains(id, "/")
}

func (s *Server) checkInWithin(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	st, err := s.auditStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	a, err := st.Audit(r.Context(), r.PathValue("id"))
	if err != nil {
		Error(w, r, err)
		return
	}
	person, err := checkingInPerson(c, a)
	if err != nil {
		Error(w, r, err)
		return
	}
	req, photos, err := readCheckIn(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	req.RequestID = firstNonEmpty(r.Header.Get("Idempotency-Key"), req.RequestID)
	req.DeviceID = firstNonEmpty(r.Header.Get("X-Device-Id"), req.DeviceID)
	if req.Lat == nil || req.Lng == nil {
		Error(w, r, trustmark.Invalidf("audit.position_missing", "lat", "a check-in needs lat and lng"))
		return
	}
	res, err := st.CheckIn(r.Context(), a.ID, req.RequestID, audit.CheckInRequest{Person: person, Kind: req.Kind,
		Lat: *req.Lat, Lng: *req.Lng, AccuracyM: req.AccuracyM, Datum: req.Datum, DeviceTime: req.DeviceTime,
		Device: req.DeviceID}, photos)
	if err != nil {
		Error(w, r, err)
		return
	}
	out := checkInJSON(res.CheckIn, a.SiteOf(res.CheckIn), true) // the person checking in sees their own position
	out.Anomalies = []AnomalyJSON{}
	recs, err := st.AuditAnomalies(r.Context(), a.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	raised := map[string]bool{}
	for _, an := range res.Anomalies {
		raised[an.Key] = true
	}
	for i, item := range anomalyItems(recs) {
		if raised[recs[i].Key] {
			out.Anomalies = append(out.Anomalies, item)
		}
	}
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	WriteJSON(w, nethttp.StatusCreated, out)
}

// checkingInPerson returns the registration number the caller checks in
// as: the person of a role that access.Decide lets check in to a.
func checkingInPerson(c *Caller, a *audit.Audit) (string, error) {
	var err error = trustmark.Errorf(trustmark.EForbidden, "", "only a member of the audit team checks in")
	t := a.Target()
	for _, role := range c.Roles {
		e := access.Decide(role, access.AuditCheckin, t)
		if e == nil {
			return role.Unit.ID, nil
		}
		err = e
	}
	return "", err
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readCheckIn reads a check-in as JSON (photos in base64) or as
// multipart/form-data (photos as files named "photos"), bounding each
// photo while it is read.
func readCheckIn(r *nethttp.Request) (CheckInRequest, [][]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return readMultipartCheckIn(r)
	}
	var req CheckInRequest
	if err := DecodeJSON(r, &req); err != nil {
		return req, nil, err
	}
	if len(req.Photos) > audit.MaxPhotos {
		return req, nil, trustmark.Invalidf("audit.photos", "photos", "a check-in carries %d to %d photos, not %d", audit.MinPhotos, audit.MaxPhotos, len(req.Photos))
	}
	photos := make([][]byte, len(req.Photos))
	for i, p := range req.Photos {
		if base64.StdEncoding.DecodedLen(len(p)) > audit.MaxPhotoBytes+2 {
			return req, nil, photoTooLarge(i)
		}
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return req, nil, trustmark.Invalidf("audit.photo_base64", "photos", "photo %d is not base64", i+1)
		}
		photos[i] = b
	}
	return req, photos, nil
}

func photoTooLarge(i int) error {
	return trustmark.Reasonf(trustmark.ETooLarge, "audit.photo_size", "photos", "photo %d has %d bytes or more; at most %d", i+1, audit.MaxPhotoBytes+1, audit.MaxPhotoBytes)
}

func readMultipartCheckIn(r *nethttp.Request) (CheckInRequest, [][]byte, error) {
	var req CheckInRequest
	var photos [][]byte
	mr, err := r.MultipartReader()
	if err != nil {
		return req, nil, trustmark.Invalidf("audit.multipart", "", "the multipart body cannot be read")
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return req, nil, multipartError(err)
		}
		name := part.FormName()
		if name == "photos" {
			if len(photos) == audit.MaxPhotos {
				return req, nil, trustmark.Invalidf("audit.photos", "photos", "a check-in carries %d to %d photos, not %d", audit.MinPhotos, audit.MaxPhotos, len(photos)+1)
			}
			b, err := io.ReadAll(io.LimitReader(part, audit.MaxPhotoBytes+1))
			if err != nil {
				return req, nil, multipartError(err)
			}
			if len(b) > audit.MaxPhotoBytes {
				return req, nil, photoTooLarge(len(photos))
			}
			photos = append(photos, b)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return req, nil, multipartError(err)
		}
		if len(b) > maxFieldBytes {
			return req, nil, trustmark.Invalidf("audit.field_long", name, "field %s has more than %d bytes", name, maxFieldBytes)
		}
		fields[name] = strings.TrimSpace(string(b))
	}
	return req, photos, req.fill(fields)
}

// multipartError is a client's broken or oversized body.
func multipartError(err error) error {
	var tooLarge *nethttp.MaxBytesError
	if errors.As(err, &tooLarge) {
		return trustmark.Errorf(trustmark.ETooLarge, "", "the request body is over %d bytes", tooLarge.Limit)
	}
	return trustmark.Invalidf("audit.multipart", "", "the multipart body cannot be read")
}

// fill sets a check-in's fields from multipart form values.
func (q *CheckInRequest) fill(f map[string]string) error {
	num := func(name string) (*float64, error) {
		s, ok := f[name]
		if !ok || s == "" {
			return nil, nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, trustmark.Invalidf("audit.number", name, "%s %q is not a number", name, s)
		}
		return &v, nil
	}
	var err error
	if q.Lat, err = num("lat"); err != nil {
		return err
	}
	if q.Lng, err = num("lng"); err != nil {
		return err
	}
	acc, err := num("accuracy_m")
	if err != nil {
		return err
	}
	if acc != nil {
		q.AccuracyM = *acc
	}
	if s := f["device_time"]; s != "" {
		if q.DeviceTime, err = time.Parse(time.RFC3339, s); err != nil {
			return trustmark.Invalidf("audit.device_time", "device_time", "device_time %q is not an RFC 3339 time", s)
		}
	}
	q.Kind, q.Datum, q.RequestID, q.DeviceID = f["kind"], f["datum"], f["request_id"], f["device_id"]
	return nil
}
