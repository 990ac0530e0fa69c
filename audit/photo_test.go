package audit

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/bits"
	"runtime"
	"testing"
)

// scene draws a w×h picture of a team in front of a building: blocks of
// colour and a gradient, different for each seed.
func scene(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8((x*255/w + y*seed*37/h) % 256)
			img.Set(x, y, color.RGBA{v, uint8(y * 255 / h), uint8(seed * 60), 255})
		}
	}
	for i := range 5 {
		x0, y0 := (i*seed*97+w/7)%(w*3/4), (i*53+seed*31)%(h*2/3)
		c := color.RGBA{uint8(40 * i), uint8(200 - 30*i), uint8(seed * 90 % 256), 255}
		for y := y0; y < y0+h/4; y++ {
			for x := x0; x < x0+w/5; x++ {
				img.Set(x, y, c)
			}
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustHash(t *testing.T, data []byte) uint64 {
	t.Helper()
	h, ok, err := PhotoHash(data)
	if err != nil || !ok {
		t.Fatalf("PhotoHash: %v %v", ok, err)
	}
	return h
}

func TestPhotoHashNearCopies(t *testing.T) {
	orig := scene(1280, 960, 1)
	h := mustHash(t, encodeJPEG(t, orig, 90))
	half := halve(orig)
	var pngCopy bytes.Buffer
	if err := png.Encode(&pngCopy, half); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"re-compressed at quality 40", encodeJPEG(t, orig, 40)},
		{"resized to half and re-compressed", encodeJPEG(t, half, 70)},
		{"resized to half as PNG", pngCopy.Bytes()},
	} {
		d := bits.OnesCount64(h ^ mustHash(t, c.data))
		if d > rules.PhotoHamming {
			t.Errorf("%s: %d bits from the original, want at most %d", c.name, d, rules.PhotoHamming)
		}
	}
	for seed := 2; seed <= 4; seed++ {
		if d := bits.OnesCount64(h ^ mustHash(t, encodeJPEG(t, scene(1280, 960, seed), 90))); d <= rules.PhotoHamming {
			t.Errorf("another photo (seed %d) is %d bits away: within the threshold %d", seed, d, rules.PhotoHamming)
		}
	}
}

// halve resizes img to half its width and height, each pixel the average
// of four.
func halve(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := range b.Dy() / 2 {
		for x := range b.Dx() / 2 {
			var sum [4]int
			for _, p := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				c := img.RGBAAt(2*x+p[0], 2*y+p[1])
				sum[0], sum[1], sum[2], sum[3] = sum[0]+int(c.R), sum[1]+int(c.G), sum[2]+int(c.B), sum[3]+int(c.A)
			}
			out.SetRGBA(x, y, color.RGBA{uint8(sum[0] / 4), uint8(sum[1] / 4), uint8(sum[2] / 4), uint8(sum[3] / 4)})
		}
	}
	return out
}

// pngClaiming returns a valid PNG whose header claims w×h pixels and
// whose data is that of a 1×1 image.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	ihdr := data[8+8 : 8+8+13] // after the signature, length and type
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(data[8+8+13:], crc32.ChecksumIEEE(data[8+4:8+8+13]))
	return data
}

func TestPhotoHashBoundsPixels(t *testing.T) {
	if _, _, err := PhotoHash(pngClaiming(t, 8000, 5001)); errReason(err) != "audit.photo_pixels" {
		t.Errorf("a header of 8000×5001 pixels: %v, want audit.photo_pixels", err)
	}
	// Exactly the limit passes the header check; the truncated data then
	// fails to decode, which loses only the perceptual hash.
	if _, ok, err := PhotoHash(pngClaiming(t, 8000, 5000)); err != nil || ok {
		t.Errorf("a header of 8000×5000 pixels with no data: %v %v, want no hash and no error", ok, err)
	}
	for _, junk := range [][]byte{nil, []byte("not an image"), encodeJPEG(t, scene(64, 48, 1), 80)[:200]} {
		if _, ok, err := PhotoHash(junk); ok || err != nil {
			t.Errorf("PhotoHash(%q...) = %v %v, want no hash and no error", junk[:min(len(junk), 8)], ok, err)
		}
	}
}

// progressiveJPEG returns a w×h grey progressive JPEG of a DC scan and
// then scans AC scans, each one end-of-band run over the whole image: a
// few bytes a scan, every block walked by the decoder in each.
func progressiveJPEG(w, h, scans int) []byte {
	var b bytes.Buffer
	segment := func(marker byte, payload ...byte) {
		b.Write([]byte{0xFF, marker, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)})
		b.Write(payload)
	}
	oneCode := func(class, symbol byte) []byte { // a table of one 1-bit code
		return append(append([]byte{class, 1}, make([]byte, 15)...), symbol)
	}
	b.Write([]byte{0xFF, 0xD8})
	segment(0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	segment(0xC2, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	segment(0xC4, oneCode(0x00, 0x00)...) // DC: difference 0
	segment(0xC4, oneCode(0x10, 0xE0)...) // AC: EOB14, a run of 16,384 blocks and more
	blocks := (w + 7) / 8 * ((h + 7) / 8)
	segment(0xDA, 1, 1, 0x00, 0, 0, 0)
	b.Write(make([]byte, (blocks+7)/8))
	for range scans {
		segment(0xDA, 1, 1, 0x00, 1, 63, 0)
		b.Write(make([]byte, ((blocks+16383)/16384*15+7)/8))
	}
	b.Write([]byte{0xFF, 0xD9})
	return b.Bytes()
}

// baselineJPEG returns a w×h grey baseline JPEG in about 130 bytes: one
// 1-bit code in each table, every block a zero DC difference and an end
// of block. An encoder's JPEG carries some 600 bytes of standard tables.
func baselineJPEG(w, h int) []byte {
	b := []byte{0xFF, 0xD8}
	segment := func(marker byte, payload ...byte) {
		b = append(b, 0xFF, marker, byte((len(payload)+2)>>8), byte(len(payload)+2))
		b = append(b, payload...)
	}
	oneCode := func(class, symbol byte) []byte { return append(append([]byte{class, 1}, make([]byte, 15)...), symbol) }
	segment(0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	segment(0xC0, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	segment(0xC4, oneCode(0x00, 0x00)...)
	segment(0xC4, oneCode(0x10, 0x00)...)
	segment(0xDA, 1, 1, 0x00, 0, 63, 0)
	blocks := (w + 7) / 8 * ((h + 7) / 8)
	b = append(b, make([]byte, (2*blocks+7)/8)...)
	return append(b, 0xFF, 0xD9)
}

func TestPhotoHashBoundsScans(t *testing.T) {
	if _, ok, err := PhotoHash(progressiveJPEG(256, 256, 10)); !ok || err != nil {
		t.Errorf("a progressive JPEG of 11 scans: %v %v, want a hash", ok, err)
	}
	// 12 KB, and as many block visits as decoding 250 such images.
	if _, ok, err := PhotoHash(progressiveJPEG(256, 256, 1000)); ok || err != nil {
		t.Errorf("a JPEG of 1,001 scans: %v %v, want no hash and no error", ok, err)
	}
	if n := jpegScans(encodeJPEG(t, scene(64, 48, 1), 80)); n != 1 {
		t.Errorf("jpegScans(a baseline JPEG) = %d, want 1", n)
	}
}

// FuzzPhotoHash fuzzes what PhotoHash reads of a photo: its header, the
// bounds and the decoders (decodePhoto). The 64×64 scaling and DCT that
// follow take every decoded image the same fixed time (about a
// millisecond), read nothing of the input but its pixels and are tested
// above. Each new input it keeps, the fuzzer first minimizes: it tries
// removing every byte and then every range of bytes, a number of runs
// quadratic in the input's length (up to a minute an input), and its
// count of executions stands still until it is done. An encoder's JPEG
// as a seed (640 bytes, mostly its standard tables) made each of its
// descendants take some 25 seconds to minimize: the stall. So the seeds
// are small hand-made JPEGs (baselineJPEG, progressiveJPEG) and PNGs,
// each run does no more than decode, and the decoders run up to 4,096
// pixels (64×64), which reaches every path of theirs; PhotoHash's bounds
// are tested above at their real sizes.
func FuzzPhotoHash(f *testing.F) {
	defer func(n int) { pixelLimit = n }(pixelLimit)
	pixelLimit = 1 << 12
	for _, seed := range [][]byte{baselineJPEG(32, 32), progressiveJPEG(64, 64, 8)} {
		if img, _ := decodePhoto(seed); img == nil {
			f.Fatalf("a seed JPEG of %d bytes does not decode", len(seed))
		}
		f.Add(seed)
	}
	var b bytes.Buffer
	png.Encode(&b, scene(8, 8, 2))
	f.Add(b.Bytes())
	f.Add(pngClaiming(f, 100000, 100000))
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodePhoto(data)
		if err != nil && errReason(err) != "audit.photo_pixels" {
			t.Fatalf("unexpected error %v", err)
		}
		if img == nil {
			return
		}
		if err != nil {
			t.Fatalf("an image and the error %v", err)
		}
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		if w*h > pixelLimit || max(w, h) > MaxPhotoAspect*min(w, h) {
			t.Fatalf("decoded a %d×%d image, beyond the bounds", w, h)
		}
	})
}

// A photo that cannot hold the pixels its header declares is refused
// before the decoder allocates them, and a strip whose sides differ more
// than MaxPhotoAspect times is not scaled for its hash; a panorama is.
func TestPhotoHashBoundsWork(t *testing.T) {
	allocated := func(data []byte) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, ok, err := PhotoHash(data); ok || err != nil {
			t.Errorf("PhotoHash(%d bytes) = %v %v, want no hash and no error", len(data), ok, err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	if n := allocated(pngClaiming(t, 8000, 5000)); n > 1<<20 {
		t.Errorf("a 70-byte PNG declaring 8000×5000 pixels allocated %d bytes, want under 1 MiB", n)
	}
	jpegHead := encodeJPEG(t, scene(4000, 3000, 1), 80)[:700] // its header and a few blocks
	if n := allocated(jpegHead); n > 1<<20 {
		t.Errorf("700 bytes of a 4000×3000 JPEG allocated %d bytes, want under 1 MiB", n)
	}
	var strip bytes.Buffer
	gradient := image.NewGray(image.Rect(0, 0, 1, 65536))
	for y := range 65536 {
		gradient.Pix[y] = uint8(y)
	}
	if err := png.Encode(&strip, gradient); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := PhotoHash(strip.Bytes()); ok || err != nil {
		t.Errorf("a strip of 1×65536 pixels: %v %v, want no hash and no error", ok, err)
	}
	mustHash(t, encodeJPEG(t, scene(1600, 400, 1), 80)) // 4:1
	mustHash(t, encodeJPEG(t, scene(MaxPhotoAspect*40, 40, 1), 80))
}

func TestPNGHolds(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, scene(300, 200, 1)); err != nil {
		t.Fatal(err)
	}
	whole := b.Bytes()
	if !pngHolds(whole, 300, 200) {
		t.Error("pngHolds(a whole PNG) = false")
	}
	if pngHolds(whole, 300, 200*deflateMaxRatio) {
		t.Error("pngHolds(a PNG declaring a thousand times its rows) = true")
	}
	for _, cut := range []int{0, 20, 40} {
		if pngHolds(whole[:cut], 300, 200) {
			t.Errorf("pngHolds(the first %d bytes) = true", cut)
		}
	}
}
