package audit

import (
	"time"

	"trustmark/matter"
)

// MaxPhotoBytes bounds one check-in photo. Storage refuses a larger one and
// the HTTP adapter stops reading at this size.
const MaxPhotoBytes = 2 << 20

// CheckInResult is a stored check-in and the anomalies it raised. Replayed
// is set when the request repeated an earlier one (the same person and
// request key): nothing was checked in twice.
type CheckInResult struct {
	CheckIn   CheckIn
	Anomalies []Anomaly
	Replayed  bool
}

// CheckInItem is one check-in of a batch.
type CheckInItem struct {
	Audit      string
	RequestKey string
	Request    CheckInRequest
	Photos     [][]byte
	// At is the time of record of a check-in another system recorded,
	// honoured only by an import of such check-ins; zero everywhere else,
	// where the server's clock is the time of record.
	At time.Time
}

// AnomalyRecord is a stored anomaly with the matter it opened.
type AnomalyRecord struct {
	Anomaly
	Matter matter.Matter
}
