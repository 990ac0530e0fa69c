// Package campaign holds the rules of a "double random, one public" (双随机、一公开)
// inspection campaign around its draw: what a regulator defines, the
// order of its steps (inputs frozen and committed, public random value
// recorded, drawn, recusals), and the events each step leaves in the public
// log. The draw itself is package draw's; storage and HTTP only persist and
// translate what the functions here decide.
package campaign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"trustmark"
	"trustmark/draw"
)

// EntityCampaign names campaigns in events and the log.
const EntityCampaign = "campaign"

// Event actions of a campaign, in the order they happen.
const (
	ActionCommitted     = "committed"       // inputs frozen; data: the commitment (CommittedData)
	ActionRandom        = "random_recorded" // the public random value (RandomData)
	ActionDrawAttempted = "draw_attempted"  // every draw request (AttemptData), a second one included
	ActionDrawn         = "drawn"           // the result (draw.Result, recusals empty)
	ActionRecused       = "recused"         // a recusal and its replacement (draw.Recusal)
)

// Status is where a campaign stands.
type Status string

// Statuses, in order.
const (
	Committed Status = "committed" // inputs frozen and published; waiting for the random value
	Seeded    Status = "seeded"    // the random value is recorded; ready to draw
	Drawn     Status = "drawn"     // subjects and teams drawn and published
)

// Methods of inspection (检查方式).
var Methods = []string{"onsite", "file", "certified_org", "product_sampling"}

// SubjectKinds are the kinds of subject a campaign draws from.
var SubjectKinds = []string{"body", "lab", "org", "certificate"}

// Campaign is an inspection campaign as the public sees it.
type Campaign struct {
	ID          string                        `json:"id"`
	Name        string                        `json:"name"`
	Region      string                        `json:"region"`
	SubjectKind string                        `json:"subject_kind"`
	Filters     map[string]string             `json:"filters,omitempty"`
	Rates       map[draw.Class]draw.Permyriad `json:"rates"`
	Checklist   []string                      `json:"checklist"`
	Method      string                        `json:"method"`
	TeamSize    int                           `json:"team_size"`
	Deadline    trustmark.Date                `json:"deadline"`
	Status      Status                        `json:"status"`
	CreatedAt   time.Time                     `json:"created_at"`
	CreatedBy   string                        `json:"created_by"`

	// CommitmentSHA256 is the hex SHA-256 of Commitment, the canonical
	// bytes of the frozen inputs (draw.Commitment.Canonical).
	CommitmentSHA256 string `json:"commitment_sha256"`
	Commitment       []byte `json:"-"`

	Random   *RandomData  `json:"random,omitempty"`
	Result   *draw.Result `json:"result,omitempty"`
	Attempts []Attempt    `json:"attempts"`
}

// RandomData is the public random value as recorded and logged: enough for
// anyone to recompute it (the beacon, whose signature draw.VerifyBeacon
// checks, or the lottery results, combined as RFC 3797 does).
type RandomData struct {
	Kind    draw.SeedKind   `json:"kind"`
	Chain   string          `json:"chain,omitempty"`
	Round   uint64          `json:"round,omitempty"`
	Beacon  json.RawMessage `json:"beacon,omitempty"`
	Lottery [][]uint64      `json:"lottery,omitempty"`
	Key     string          `json:"key,omitempty"`
	Value   string          `json:"value"` // hex
}

// Attempt is one draw request: the n-th (from 1), who made it, when, and
// the SHA-256 of the result it gave. The draw is deterministic, so every
// attempt gives the same hash; a second attempt is still public.
type Attempt struct {
	N            int       `json:"n"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	ResultSHA256 string    `json:"result_sha256"`
}

// CommittedData is the data of the committed event: the campaign's public
// definition, and the commitment's hash and canonical bytes, so that a
// verifier reads them from the log itself.
type CommittedData struct {
	Campaign         *Campaign `json:"campaign"`
	CommitmentSHA256 string    `json:"commitment_sha256"`
	Commitment       string    `json:"commitment"`
}

// Filter selects campaigns for a list, newest first.
type Filter struct {
	Status Status
	Limit  int
	// Cursor is the next_cursor of the previous page, "" for the first.
	Cursor string
}

// Store persists campaigns. Each write is one transaction that records the
// step's events with its state.
type Store interface {
	// CreateCampaign stores c with its frozen commitment (status
	// Committed) and records the committed event.
	CreateCampaign(ctx context.Context, c *Campaign, com *draw.Commitment, actor trustmark.Party) error
	// RecordRandom records the public random value of a committed campaign.
	RecordRandom(ctx context.Context, id string, rd RandomData, actor trustmark.Party) (*Campaign, error)
	// DrawCampaign draws a seeded campaign, or records a further attempt on
	// a drawn one.
	DrawCampaign(ctx context.Context, id string, actor trustmark.Party) (*Campaign, error)
	// RecuseCampaign records an inspector's recusal and its replacement.
	RecuseCampaign(ctx context.Context, id, subject, inspector, reason string, actor trustmark.Party) (*Campaign, error)
	// Campaign returns the campaign id with its commitment and draw.
	Campaign(ctx context.Context, id string) (*Campaign, error)
	// Campaigns lists campaigns newest first, and the cursor of the next page.
	Campaigns(ctx context.Context, f Filter) ([]Campaign, string, error)
}

// ResultSHA256 is the hex SHA-256 of a result's JSON, as attempts record it.
func ResultSHA256(r *draw.Result) string {
	b, _ := json.Marshal(r)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
