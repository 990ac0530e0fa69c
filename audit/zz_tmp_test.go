package audit

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/corona10/goimagehash"
)

func TestTmpSlowFiles(t *testing.T) {
	pixelLimit = 1 << 16
	fs, _ := filepath.Glob("/tmp/slow/*")
	type r struct {
		name         string
		dec, ph, tot time.Duration
		w, h         int
		format       string
	}
	var rs []r
	for _, f := range fs {
		data, _ := os.ReadFile(f)
		st := time.Now()
		PhotoHash(data)
		tot := time.Since(st)
		cfg, format, _ := image.DecodeConfig(bytes.NewReader(data))
		st = time.Now()
		img, _, err := image.Decode(bytes.NewReader(data))
		dec := time.Since(st)
		var ph time.Duration
		if err == nil {
			st = time.Now()
			goimagehash.PerceptionHash(img)
			ph = time.Since(st)
		}
		rs = append(rs, r{filepath.Base(f), dec, ph, tot, cfg.Width, cfg.Height, format})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].tot > rs[j].tot })
	for _, x := range rs[:10] {
		t.Logf("%s %s %dx%d total %v decode %v phash %v", x.name, x.format, x.w, x.h, x.tot, x.dec, x.ph)
	}
}
