package audit

import (
	"bytes"
	"image"
	_ "image/jpeg" // phones send JPEG
	_ "image/png"  // and screenshots come as PNG
	"runtime"

	"github.com/corona10/goimagehash"

	"trustmark"
)

// MaxPhotoPixels bounds the pixels of a photo that is decoded for its
// perceptual hash: the header is read first, and a larger image is refused
// before any pixel is decoded, so that a small file claiming a huge image
// cannot make the server allocate gigabytes. A 48-megapixel phone sensor
// is binned to 12; a photo resized for upload has about one.
const MaxPhotoPixels = 40_000_000

// pixelLimit is MaxPhotoPixels; the fuzz test lowers it, so that its
// inputs claiming tens of megapixels are refused rather than decoded.
var pixelLimit = MaxPhotoPixels

// decodeSlots bounds the photos decoded at once, and with MaxPhotoPixels
// the memory decoding takes (4 bytes a pixel): a burst of uploads waits
// for a slot instead of holding a decoded image each.
var decodeSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// PhotoHash returns the 64-bit perceptual hash (DCT, pHash) of a JPEG or
// PNG photo, which a resized or re-compressed copy keeps within a few bits
// (Rules.PhotoHamming). It refuses an image whose header claims more than
// MaxPhotoPixels, and reports any other photo it cannot decode with ok
// false and no error: a photo that is not an image is still kept by its
// content hash, and only its perceptual comparison is lost.
func PhotoHash(data []byte) (hash uint64, ok bool, err error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, false, nil
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, false, nil
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(pixelLimit) {
		return 0, false, trustmark.Reasonf(trustmark.ETooLarge, "audit.photo_pixels", "photos",
			"a photo of %d×%d pixels; at most %d pixels", cfg.Width, cfg.Height, pixelLimit)
	}
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return 0, false, nil
	}
	h, err := goimagehash.PerceptionHash(img)
	if err != nil || h.GetHash() == 0 {
		return 0, false, nil // 0 means "no hash" to the rules
	}
	return h.GetHash(), true, nil
}
