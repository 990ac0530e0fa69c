package sqlstore

import (
	"time"

	"trustmark/audit"
)

// maxDeviceUses bounds the other persons' check-ins loaded for one
// check-in's device: a few prove the device shared.
const maxDeviceUses = 20

// maxAuditSpan bounds how long an audit lasts (package audit refuses
// longer plans), so that a person's audits ending after an instant are
// found among those starting at most this long before it, by the index
// audit_members_person.
const maxAuditSpan = 61 * 24 * time.Hour

// photoBands is how many 16-bit bands a perceptual hash is cut into in
// photo_bands (migration 020).
const photoBands = audit.PhotoBands

// maxNearPhotos bounds the candidates of the perceptual comparison loaded
// for one photo: a few prove it re-used.
const maxNearPhotos = 50

// bandBits returns band n of hash h (band 0 the high bits), as photo_bands
// stores it.
func bandBits(h uint64, n int) int64 { return int64(audit.PhotoBand(h, n)) }
