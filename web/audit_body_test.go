package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"trustmark/account"
	"trustmark/audit"
	thttp "trustmark/http"
)

// noisyJPEG is a w×h JPEG of noise: a photo that barely compresses, as a
// phone's full-size photo of a meeting room.
func noisyJPEG(t testing.TB, w, h int, seed uint64) []byte {
	t.Helper()
	rnd := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(rnd.IntN(256)), uint8(rnd.IntN(256)), uint8(rnd.IntN(256)), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAuditCheckInBodyLimit posts check-ins without scripts through the
// server with its default body limit (1 MiB): full-size photos are taken
// up to the photo limit, and a larger post is refused as too large, in the
// page's language, naming the limit, never as an expired form or a 5xx.
func TestAuditCheckInBodyLimit(t *testing.T) {
	p := newAuditPages(t)
	srv := thttp.NewServer(thttp.Config{Store: p.store, Auth: p.auth, Clock: p.clock, Logger: p.quiet()})
	srv.MountPages(p.handler.(thttp.Pages))
	p.handler = srv // every request of the clients below goes through the server
	auditor := p.signIn(t, auditSignInEmail, role(t, account.Auditor, personNo, false))
	auditor.get(auditURL(p.qd))
	target := auditURL(p.qd) + "/checkins"
	fields := func() map[string]string {
		return map[string]string{"kind": "open", "lat": strconvF(north(qdLat, 200)), "lng": strconvF(qdLng), "accuracy_m": "20",
			"datum": "wgs84", "request_id": "web-large", "team_confirmed": "1"}
	}
	zh, en := zhMessages(), mustLang("en")
	limitMB := fmt.Sprintf("%.1f MB", float64(maxCheckInBody)/(1<<20))

	t.Run("three full-size photos of about 3 MB in all are checked in", func(t *testing.T) {
		var photos [][]byte
		total := 0
		for i := range 3 {
			ph := noisyJPEG(t, 1200, 1100, uint64(i+1))
			if len(ph) > audit.MaxPhotoBytes {
				t.Fatalf("test photo of %d bytes is over the photo limit", len(ph))
			}
			photos, total = append(photos, ph), total+len(ph)
		}
		if total < 2_500_000 || total <= int(thttp.DefaultMaxBodyBytes) {
			t.Fatalf("test photos are %d bytes in all, want about 3 MB", total)
		}
		t.Logf("posting %d bytes of photos", total)
		w := auditor.postCheckIn(t, target, fields(), photos...)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="checkin-result"`) {
			t.Fatalf("check-in of %d bytes of photos = %d, want 200 with the result\n%.2000s", total, w.Code, w.Body)
		}
		cs, err := p.store.AuditCheckIns(context.Background(), p.qd)
		if err != nil || len(cs) != 1 {
			t.Fatalf("stored check-ins = %+v, %v; want one", cs, err)
		}
		if len(cs[0].Photos) != len(photos) {
			t.Fatalf("check-in read back with photos %+v, want %d", cs[0].Photos, len(photos))
		}
		for i, ph := range photos {
			sum := sha256.Sum256(ph)
			sha := hex.EncodeToString(sum[:])
			if cs[0].Photos[i].SHA256 != sha {
				t.Errorf("photo %d read back as %s, want %s", i+1, cs[0].Photos[i].SHA256, sha)
			}
			// The audit page finds each photo of the check-in (photoOf).
			if w := auditor.get(auditURL(p.qd) + "/photos/" + sha); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), ph) {
				t.Errorf("photo %d of the check-in = %d with %d bytes, want 200 with its %d bytes", i+1, w.Code, w.Body.Len(), len(ph))
			}
		}
	})

	over := bytes.Repeat([]byte{0xff, 0xd8, 0x42}, (maxCheckInBody+1<<20)/3/3)
	t.Run("a post over the limit is refused as too large, naming the limit", func(t *testing.T) {
		f := fields()
		f["csrf"] = auditor.csrf
		form, ct := checkInBody(t, f, over, over, over)
		var w *httptest.ResponseRecorder
		var before, after runtime.MemStats
		for range 2 { // the second time, with the page's one-time loads done
			r := httptest.NewRequest("POST", target, bytes.NewReader(form.Bytes()))
			r.Header.Set("Content-Type", ct)
			for k, v := range auditor.cookies {
				r.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			w = httptest.NewRecorder()
			runtime.ReadMemStats(&before)
			srv.ServeHTTP(w, r)
			runtime.ReadMemStats(&after)
		}
		body := w.Body.String()
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("over-size check-in = %d, want 413\n%.2000s", w.Code, body)
		}
		if want := fmt.Sprintf(zh.Reasons["form.too_large"], float64(maxCheckInBody)/(1<<20)); !strings.Contains(body, want) || !strings.Contains(body, limitMB) {
			t.Errorf("the refusal does not say %q\n%.2000s", want, body)
		}
		if strings.Contains(body, said("csrf.token")) {
			t.Error("an over-size post is said to be an expired form")
		}
		// The form is read with a bounded memory: the photos wait on disk.
		t.Logf("refusing a %d-byte post allocated %d bytes", 3*len(over), after.TotalAlloc-before.TotalAlloc)
		if got := after.TotalAlloc - before.TotalAlloc; got > 2<<20 {
			t.Errorf("refusing a %d-byte post allocated %d bytes, want under 2 MiB (the photos wait on disk)", 3*len(over), got)
		}
		if cs, _ := p.store.AuditCheckIns(context.Background(), p.qd); len(cs) != 1 {
			t.Errorf("%d check-ins stored, want still 1", len(cs))
		}
	})
	t.Run("in English the refusal is in English", func(t *testing.T) {
		w := auditor.postCheckIn(t, target+"?lang=en", fields(), over, over, over)
		want := fmt.Sprintf(en.Reasons["form.too_large"], float64(maxCheckInBody)/(1<<20))
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), want) {
			t.Errorf("over-size check-in in English = %d, want 413 saying %q\n%.2000s", w.Code, want, w.Body)
		}
	})
	t.Run("with the token in the header, as the page's script sends it, the refusal is the same", func(t *testing.T) {
		f := fields()
		body, ct := checkInBody(t, f, over, over, over)
		r := httptest.NewRequest("POST", target, body)
		r.Header.Set("Content-Type", ct)
		r.Header.Set("X-CSRF-Token", auditor.csrf)
		for k, v := range auditor.cookies {
			r.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), limitMB) {
			t.Errorf("over-size check-in with the header token = %d, want 413 naming %s\n%.2000s", w.Code, limitMB, w.Body)
		}
	})
	t.Run("another form keeps the server's limit and is refused as too large too", func(t *testing.T) {
		form := url.Values{"email": {strings.Repeat("a", int(thttp.DefaultMaxBodyBytes))}}
		w := auditor.post("/work/staff/invite", form)
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "1.0 MB") {
			t.Errorf("over-size staff form = %d, want 413 naming 1.0 MB\n%.2000s", w.Code, w.Body)
		}
	})
}

func mustLang(lang string) *Messages { m, _ := pickLangParam(lang); return m }
