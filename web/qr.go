package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/skip2/go-qrcode"
	"golang.org/x/sync/singleflight"
)

// qrCacheSize bounds the QR cache: a code is about 0.5 KB of data URI, so
// the cache holds at most a few megabytes. Under load the most requested
// pages stay in it; the rest are drawn again, which qrPNG keeps cheap.
const qrCacheSize = 8192

// qrCache keeps the QR codes of page addresses, least recently used out
// first. Concurrent requests for a code not in it wait for one drawing.
type qrCache struct {
	once  sync.Once
	codes *lru.Cache[string, template.URL]
	draw  singleflight.Group
}

func (c *qrCache) init() {
	c.once.Do(func() {
		c.codes, _ = lru.New[string, template.URL](qrCacheSize) // only a size ≤ 0 fails
	})
}

// Keys returns the addresses whose codes are cached, for tests.
func (c *qrCache) Keys() []string {
	c.init()
	return c.codes.Keys()
}

// qrDataURI returns the QR code of u as a data: URI, from the cache:
// printed certificates send the same pages again and again.
func (h *Handler) qrDataURI(u string) template.URL {
	c := &h.cache.qr
	c.init()
	if v, ok := c.codes.Get(u); ok {
		return v
	}
	v, err, _ := c.draw.Do(u, func() (any, error) {
		png, err := qrPNG(u)
		if err != nil {
			return template.URL(""), err
		}
		v := template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		c.codes.Add(u, v)
		return v, nil
	})
	if err != nil {
		h.cfg.Logger.Warn("certificate QR code", "url", u, "err", err)
		return ""
	}
	return v.(template.URL)
}

// qrPalette is the codes' two colours, light first as go-qrcode orders them.
var qrPalette = color.Palette{color.White, color.Black}

// qrEncoder writes the PNGs. Its buffer pool keeps the compressor between
// codes: a new zlib writer allocates about a megabyte, which was most of
// the cost of drawing a code (go-qrcode's PNG makes one each time).
var qrEncoder = png.Encoder{CompressionLevel: png.BestCompression, BufferPool: &pngBuffers{}}

type pngBuffers struct{ p sync.Pool }

func (b *pngBuffers) Get() *png.EncoderBuffer {
	v, _ := b.p.Get().(*png.EncoderBuffer)
	return v
}

func (b *pngBuffers) Put(e *png.EncoderBuffer) { b.p.Put(e) }

// qrPNG returns a QR code of s as a small PNG with one pixel per module,
// its quiet zone included; the page scales it up crisply
// (image-rendering: pixelated), which keeps the page light. The image is
// the one go-qrcode's PNG(-1) makes, pixel for pixel.
func qrPNG(s string) ([]byte, error) {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	bits := q.Bitmap()
	n := len(bits)
	img := image.NewPaletted(image.Rect(0, 0, n, n), qrPalette)
	for y, row := range bits {
		line := img.Pix[y*img.Stride : y*img.Stride+n]
		for x, dark := range row {
			if dark {
				line[x] = 1
			}
		}
	}
	var buf bytes.Buffer
	buf.Grow(512)
	if err := qrEncoder.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
