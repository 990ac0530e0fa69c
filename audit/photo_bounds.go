package audit

import (
	"encoding/binary"
	"image"
)

// MaxPhotoAspect bounds the ratio of a photo's longer side to its shorter
// one for the perceptual hash. The hash scales the image to 64×64, and a
// filter that shrinks a side n times weighs about 2n source pixels for
// each pixel it makes: a strip of 1×65,536 pixels, a 212-byte PNG, costs
// as much to scale as 200 photos of 256×256 of the same pixel count. No
// phone takes such a photo (a panorama is about 4:1); one is kept by its
// content hash only.
const MaxPhotoAspect = 16

// holdsImage reports whether data, a format file whose header declares
// cfg, can hold the pixels it declares. The decoders allocate the whole
// image when they meet its first pixel data, before reading it: a
// 70-byte PNG declaring 8000×5000 pixels would make the server allocate
// and clear 40 MB, and then fail on the missing data. A photo that cannot
// hold its pixels would fail to decode anyway, so refusing it first
// changes no answer.
func holdsImage(data []byte, format string, cfg image.Config) bool {
	w, h := int64(cfg.Width), int64(cfg.Height)
	if max(w, h) > MaxPhotoAspect*min(w, h) {
		return false
	}
	switch format {
	case "png":
		return pngHolds(data, w, h)
	case "jpeg":
		// Every MCU (at most 32×32 pixels, sampling factors being at most
		// 4) takes at least one bit of entropy-coded data in the first
		// scan that covers it: a DC or end-of-band code is never shorter
		// (ITU T.81 F.1.2).
		mcus := (w + 31) / 32 * ((h + 31) / 32)
		return mcus <= 8*int64(len(data))
	}
	return true
}

// deflateMaxRatio is the most a deflate stream expands: a 258-byte match
// costs at least two bits (RFC 1951 3.2.5), 1032 bytes out for one in.
const deflateMaxRatio = 1032

// pngHolds reports whether the IDAT chunks of PNG data, inflated at
// deflate's greatest ratio, reach the filtered rows of a w×h image
// (PNG 7.3 and 9: one filter byte per row; interlaced images have more).
func pngHolds(data []byte, w, h int64) bool {
	const sig = 8
	if len(data) < sig+8+13 {
		return false
	}
	ihdr := data[sig+8:]
	depth, colour := int64(ihdr[8]), ihdr[9]
	channels := map[byte]int64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
	rows := h * (1 + (w*depth*channels+7)/8)
	var idat int64
	for p := sig; p+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[p:]))
		if string(data[p+4:p+8]) == "IDAT" {
			idat += min(n, int64(len(data)-p-8))
		}
		if n > int64(len(data)) { // beyond the file: nothing follows
			break
		}
		p += 8 + int(n) + 4
	}
	return idat*deflateMaxRatio >= rows
}
