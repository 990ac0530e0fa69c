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
	"io"
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
	ActionDrawn         = "drawn"           // the result's summary and hash (DrawnData)
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

	// CommitmentSHA256 is the hex SHA-256 of the canonical bytes of the
	// frozen inputs (draw.Commitment.Canonical), CommitmentBytes their
	// length. The bytes are a document of their own (CommitmentPath),
	// streamed from storage; Commitment holds them only when a store loaded
	// a commitment of at most InlineCommitment bytes.
	CommitmentSHA256 string `json:"commitment_sha256"`
	CommitmentBytes  int64  `json:"commitment_bytes"`
	Commitment       []byte `json:"-"`

	Random       *RandomData   `json:"random,omitempty"`
	Result       *draw.Result  `json:"result,omitempty"`
	Attempts     []Attempt     `json:"attempts"`
	Publications []Publication `json:"publications"`
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

// InlineCommitment is the largest commitment a campaign's JSON and page
// show in full; any commitment is downloadable at CommitmentPath.
const InlineCommitment = 1 << 20

// CommitmentPath is where the API publishes campaign id's commitment, the
// canonical eligible list and inspector pool, as text/plain.
func CommitmentPath(id string) string { return "/api/v1/campaigns/" + id + "/commitment" }

// CommittedData is the data of the committed event: the campaign's public
// definition and the SHA-256 and length of its commitment, whose bytes are
// published at CommitmentPath. A log entry is at most 64 KiB and a
// national eligible list is tens of megabytes, so the log commits to the
// hash and a verifier downloads the document and checks it. (Commitment,
// the bytes themselves, is only in events logged before the document was
// published apart.)
type CommittedData struct {
	Campaign         *Campaign `json:"campaign"`
	CommitmentSHA256 string    `json:"commitment_sha256"`
	CommitmentBytes  int64     `json:"commitment_bytes,omitempty"`
	Commitment       string    `json:"commitment,omitempty"`
}

// DrawnData is the data of the drawn event: the draw without its picks, how
// many subjects were drawn, and the SHA-256 of the result's canonical text
// (draw.Result.Hash), which a verifier recomputes. The picks themselves are
// published by the API and the page. (Picks is only in events logged before
// the hash replaced them.)
type DrawnData struct {
	Algorithm    string         `json:"algorithm"`
	Commitment   string         `json:"commitment"`
	Random       string         `json:"random"`
	Seed         string         `json:"seed"`
	Strata       []draw.Stratum `json:"strata"`
	Drawn        int            `json:"drawn"`
	ResultSHA256 string         `json:"result_sha256,omitempty"`
	Picks        []draw.Pick    `json:"picks,omitempty"`
}

// Summary summarises res for the drawn event.
func Summary(res *draw.Result) DrawnData {
	return DrawnData{Algorithm: res.Algorithm, Commitment: res.Commitment, Random: res.Random, Seed: res.Seed,
		Strata: res.Strata, Drawn: len(res.Picks), ResultSHA256: res.Hash()}
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
	// CreateFromRegistry stores c with a commitment built from the registry
	// as it stands, in the same transaction (SelectionOf, Eligible, Pool),
	// and records the committed event.
	CreateFromRegistry(ctx context.Context, c *Campaign, spec RegistrySpec, actor trustmark.Party) error
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
	// WriteCommitment streams campaign id's commitment, its canonical
	// bytes, to w, and returns how many it wrote.
	WriteCommitment(ctx context.Context, id string, w io.Writer) (int64, error)
	// RecordFinding records a drawn subject's inspection (DecideFinding),
	// applies its certificate actions through the certificates' lifecycle,
	// and opens its matters: the publication deadline for the campaign's
	// regulators, and a rectification order for the subject.
	RecordFinding(ctx context.Context, id string, f Finding, actor trustmark.Party) (*Finding, error)
	// PickRegion returns the region of a drawn subject, whose regulators
	// record its finding.
	PickRegion(ctx context.Context, id, subject string) (string, error)
	// Findings returns campaign id's findings by subject; only the published
	// ones when published is true.
	Findings(ctx context.Context, id string, published bool) ([]Finding, error)
	// PublishResults publishes the findings of campaign id recorded and not
	// yet published (DecidePublish).
	PublishResults(ctx context.Context, id string, actor trustmark.Party) (*Publication, error)
}

// ResultSHA256 is the hex SHA-256 of a result's JSON, as attempts record it.
func ResultSHA256(r *draw.Result) string {
	b, _ := json.Marshal(r)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
