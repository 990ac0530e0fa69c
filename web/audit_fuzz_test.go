package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"trustmark"
	"trustmark/audit"
)

// FuzzCheckInForm feeds the check-in form's decoder any body under any
// multipart boundary: it never panics, refuses with a 4xx error, and what
// it accepts holds at most three photos within the limit, non-empty.
func FuzzCheckInForm(f *testing.F) {
	ok, ct := checkInBody(f, map[string]string{"kind": "open", "lat": "36.0671", "lng": "120.3826", "accuracy_m": "12",
		"device_time": "2026-03-15T02:00:00.000Z", "request_id": "web-1", "team_confirmed": "1"}, testJPEG(f, 8, 8, 1))
	boundary := ct[strings.Index(ct, "boundary=")+len("boundary="):]
	f.Add(ok.Bytes(), boundary)
	four, ct4 := checkInBody(f, map[string]string{"kind": "close"}, []byte("a"), []byte("b"), []byte("c"), []byte("d"))
	f.Add(four.Bytes(), ct4[strings.Index(ct4, "boundary=")+len("boundary="):])
	long, ctl := checkInBody(f, map[string]string{"lat": strings.Repeat("9", 2000)})
	f.Add(long.Bytes(), ctl[strings.Index(ctl, "boundary=")+len("boundary="):])
	f.Add([]byte("--x\r\nContent-Disposition: form-data; name=\"lat\"\r\n\r\nNaN\r\n--x--\r\n"), "x")
	f.Add([]byte("--x\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a\"\r\n\r\n\r\n--x--\r\n"), "x")
	f.Add([]byte("not multipart"), "")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		r := httptest.NewRequest("POST", "/work/audits/A1/checkins", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		w := httptest.NewRecorder()
		r.Body = http.MaxBytesReader(w, r.Body, maxCheckInBody)
		form, err := readCheckInForm(r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll() // photos past the form's memory wait on disk
		}
		if err != nil {
			if code := trustmark.ErrorCode(err); code != trustmark.EInvalid && code != trustmark.ETooLarge {
				t.Fatalf("refusal with code %s: %v", code, err)
			}
			return
		}
		if len(form.Photos) > audit.MaxPhotos {
			t.Fatalf("%d photos accepted", len(form.Photos))
		}
		for i, p := range form.Photos {
			if len(p) == 0 || len(p) > audit.MaxPhotoBytes {
				t.Fatalf("photo %d of %d bytes accepted", i+1, len(p))
			}
		}
		for _, s := range []string{form.Kind, form.Datum, form.RequestID, form.DeviceID, form.LatText, form.LngText, form.AccText} {
			if len(s) > maxFormField {
				t.Fatalf("field of %d bytes accepted", len(s))
			}
		}
		if (form.Lat == nil) != (form.LatText == "") || (form.Lng == nil) != (form.LngText == "") {
			t.Fatalf("lat %q → %v, lng %q → %v", form.LatText, form.Lat, form.LngText, form.Lng)
		}
	})
}

// FuzzAuditFilters: whatever query /work/audits is asked with, its filters
// are read without panicking; a refusal is a client's mistake naming the
// parameter, and a query accepted holds only parameters the page takes,
// once each, with every filter it gives applied to the store's query (so
// nothing is dropped).
func FuzzAuditFilters(f *testing.F) {
	for _, q := range []string{"", "from=2026-03-16&to=2026-03-17", "from=2026-13-01", "to=%20", "body=CNCA-R-2002-001&anomalous=1",
		"body=cnca-r-2002-001", "body=nobody", "anomalous=yes", "form=2026-03-16", "from=2026-03-16&from=2026-03-17", "lang=en&from=", "%zz"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p := &AuditsPage{}
		q, err := p.filters(v)
		if err != nil {
			_, nameless := v[""]
			if trustmark.ErrorCode(err) != trustmark.EInvalid || (trustmark.ErrorField(err) == "" && !nameless) {
				t.Fatalf("filters(%q) = %v, want invalid naming a parameter", raw, err)
			}
			return
		}
		for name, vs := range v {
			if !slices.Contains(auditParams, name) || len(vs) != 1 {
				t.Fatalf("filters(%q) accepted parameter %q = %q", raw, name, vs)
			}
		}
		if (p.From != "") != !q.From.IsZero() || (p.To != "") != !q.To.IsZero() {
			t.Fatalf("filters(%q): from %q → %v, to %q → %v", raw, p.From, q.From, p.To, q.To)
		}
		if p.Body != "" {
			if no, err := trustmark.ParseApprovalNo(p.Body); err != nil || string(no) != q.Body {
				t.Fatalf("filters(%q): body %q → %q (%v)", raw, p.Body, q.Body, err)
			}
		}
		if q.Anomalous != (v.Get("anomalous") == "1") {
			t.Fatalf("filters(%q): anomalous %q → %v", raw, v.Get("anomalous"), q.Anomalous)
		}
	})
}
