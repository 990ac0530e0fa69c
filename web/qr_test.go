package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"sync"
	"testing"

	"github.com/skip2/go-qrcode"
)

// TestQRPNGIsTheLibrarysImage checks that qrPNG draws the image go-qrcode's
// own PNG(-1) draws, pixel for pixel, for addresses of every length a page
// has: only the way it is compressed changed.
func TestQRPNGIsTheLibrarysImage(t *testing.T) {
	for _, u := range []string{
		"https://trustmark.example.cn/certificates/" + certQMS,
		"http://127.0.0.1:8080/certificates/2025010901000001",
		"https://registry.example.cn/reports/BG2026-0001?type=QMS&x=" + string(bytes.Repeat([]byte("9"), 200)),
	} {
		got, err := qrPNG(u)
		if err != nil {
			t.Fatal(err)
		}
		q, err := qrcode.New(u, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want, err := q.PNG(-1)
		if err != nil {
			t.Fatal(err)
		}
		gi, err := png.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("%s: qrPNG is not a PNG: %v", u, err)
		}
		wi, _ := png.Decode(bytes.NewReader(want))
		if gi.Bounds() != wi.Bounds() {
			t.Fatalf("%s: %v, want %v", u, gi.Bounds(), wi.Bounds())
		}
		b := gi.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				g, _, _, _ := gi.At(x, y).RGBA()
				w, _, _, _ := wi.At(x, y).RGBA()
				if g != w {
					t.Fatalf("%s: pixel (%d,%d) differs", u, x, y)
				}
			}
		}
	}
}

// TestQRCacheIsBoundedAndDrawsOnce checks that the cache holds at most
// qrCacheSize codes, keeps the recently used ones, and that concurrent
// requests for one address draw it once.
func TestQRCacheIsBoundedAndDrawsOnce(t *testing.T) {
	h := newFixture(t).handler.(*Handler)
	first := h.qrDataURI("https://trustmark.example.cn/certificates/0")
	for i := 1; i <= qrCacheSize+100; i++ {
		h.qrDataURI(fmt.Sprintf("https://trustmark.example.cn/certificates/%d", i))
		if i%1000 == 0 {
			h.qrDataURI("https://trustmark.example.cn/certificates/0") // kept in use
		}
	}
	if n := len(h.cache.qr.Keys()); n != qrCacheSize {
		t.Errorf("cache holds %d codes, want %d", n, qrCacheSize)
	}
	if v, ok := h.cache.qr.codes.Peek("https://trustmark.example.cn/certificates/0"); !ok || v != first {
		t.Errorf("a code in use was dropped")
	}
	if _, ok := h.cache.qr.codes.Peek("https://trustmark.example.cn/certificates/1"); ok {
		t.Errorf("the least recently used code was kept")
	}

	// Concurrent requests for one address all get its code.
	u := "https://trustmark.example.cn/certificates/concurrent"
	want, err := qrPNG(u)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := h.qrDataURI(u); string(got) != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(want) {
				t.Error("a concurrent request got another code")
			}
		}()
	}
	wg.Wait()
}
