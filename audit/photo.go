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

// MaxJPEGScans bounds the scans of a JPEG photo that is decoded for its
// perceptual hash. A progressive JPEG's decoder walks every block of the
// image once a scan, and a scan costs as little as ten bytes (an
// end-of-band run covers 32,767 blocks): a 40 KB file of 200 scans
// claiming 16 megapixels takes seconds to decode, a 2 MB one hours,
// within MaxPhotoPixels. Encoders write one scan (baseline) or about ten
// (progressive); a photo with more is kept by its content hash only.
const MaxJPEGScans = 32

// decodeSlots bounds the photos decoded at once, and with MaxPhotoPixels
// the memory decoding takes (4 bytes a pixel): a burst of uploads waits
// for a slot instead of holding a decoded image each.
var decodeSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// PhotoHash returns the 64-bit perceptual hash (DCT, pHash) of a JPEG or
// PNG photo, which a resized or re-compressed copy keeps within a few bits
// (Rules.PhotoHamming). It refuses an image whose header claims more than
// MaxPhotoPixels, and reports any other photo it cannot decode with ok
// false and no error: a photo that is not an image is still kept by its
// content hash, and only its perceptual comparison is lost. Neither is a
// photo decoded whose data cannot hold the pixels its header declares, or
// whose sides differ more than MaxPhotoAspect times (holdsImage), nor a
// JPEG of more than MaxJPEGScans scans.
func PhotoHash(data []byte) (hash uint64, ok bool, err error) {
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	img, err := decodePhoto(data)
	if img == nil {
		return 0, false, err
	}
	h, err := goimagehash.PerceptionHash(img)
	if err != nil || h.GetHash() == 0 {
		return 0, false, nil // 0 means "no hash" to the rules
	}
	return h.GetHash(), true, nil
}

// decodePhoto decodes a photo for its perceptual hash within PhotoHash's
// bounds: nil and a refusal when its header claims more than pixelLimit
// pixels, nil alone when it is not an image the bounds let through. It is
// the part of PhotoHash that reads outside input; the hash itself is a
// fixed computation on a 64×64 copy.
func decodePhoto(data []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, nil
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(pixelLimit) {
		return nil, trustmark.Reasonf(trustmark.ETooLarge, "audit.photo_pixels", "photos",
			"a photo of %d×%d pixels; at most %d pixels", cfg.Width, cfg.Height, pixelLimit)
	}
	if !holdsImage(data, format, cfg) || format == "jpeg" && jpegScans(data) > MaxJPEGScans {
		return nil, nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, nil
	}
	return img, nil
}

// jpegScans counts the start-of-scan markers (FF DA) of a JPEG. Within
// entropy-coded data a 0xFF byte is always followed by 0x00 or a restart
// marker (ITU T.81 B.1.1.5), so every FF DA the decoder would take as a
// scan is counted; one inside another segment (an EXIF thumbnail's) only
// counts more, never fewer.
func jpegScans(data []byte) int { return bytes.Count(data, []byte{0xFF, 0xDA}) }
