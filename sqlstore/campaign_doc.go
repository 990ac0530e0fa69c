package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
)

// A campaign's commitment is a document of its own: the canonical eligible
// list and inspector pool, tens of megabytes for a national campaign, kept
// in chunks of about chunkSize bytes cut at line ends
// (campaign_commitment_chunks) and streamed chunk by chunk, so that neither
// storing nor serving it holds it whole.

const chunkSize = 1 << 20

// storeCommitment writes com's canonical bytes as chunks of campaign c.
func (tx *Tx) storeCommitment(ctx context.Context, c *campaign.Campaign, com *draw.Commitment) error {
	cw := &chunkWriter{ctx: ctx, tx: tx, id: c.ID}
	n, err := com.WriteTo(cw)
	if err == nil {
		err = cw.flush(true)
	}
	if err != nil {
		return internal("store commitment of "+c.ID, err)
	}
	if n != c.CommitmentBytes {
		return internal("store commitment of "+c.ID, errors.New("the commitment changed while it was stored"))
	}
	return nil
}

// chunkWriter cuts what it is given into rows at the last line end past
// chunkSize (the commitment's lines are UTF-8, so a chunk is valid text).
type chunkWriter struct {
	ctx context.Context
	tx  *Tx
	id  string
	n   int
	buf []byte
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	if len(w.buf) >= chunkSize {
		if err := w.flush(false); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// flush stores the buffer up to its last line end, or all of it at the end.
func (w *chunkWriter) flush(final bool) error {
	cut := len(w.buf)
	if !final {
		cut = bytes.LastIndexByte(w.buf, '\n') + 1
	}
	if cut == 0 {
		return nil
	}
	if _, err := w.tx.Exec(w.ctx, `INSERT INTO campaign_commitment_chunks (campaign_id, n, bytes) VALUES (?, ?, ?)`, w.id, w.n, string(w.buf[:cut])); err != nil {
		return err
	}
	w.n++
	w.buf = append(w.buf[:0], w.buf[cut:]...)
	return nil
}

// chunkReader reads campaign id's commitment chunk by chunk.
type chunkReader struct {
	ctx  context.Context
	r    campaignReader
	id   string
	n    int
	cur  []byte
	done bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.done {
			return 0, io.EOF
		}
		var s string
		err := r.r.QueryRow(r.ctx, `SELECT bytes FROM campaign_commitment_chunks WHERE campaign_id = ? AND n = ?`, r.id, r.n).Scan(&s)
		if errors.Is(err, sql.ErrNoRows) {
			r.done = true
			continue
		}
		if err != nil {
			return 0, internal("read commitment chunk", err)
		}
		r.cur, r.n = []byte(s), r.n+1
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// copyCommitment writes campaign id's commitment to w.
func copyCommitment(ctx context.Context, r campaignReader, id string, w io.Writer) (int64, error) {
	return io.Copy(w, &chunkReader{ctx: ctx, r: r, id: id})
}

// WriteCommitment implements campaign.Store.
func (db *DB) WriteCommitment(ctx context.Context, id string, w io.Writer) (int64, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM campaigns WHERE id = ?`, id).Scan(&n); err != nil {
		return 0, internal("find campaign", err)
	}
	if n == 0 {
		return 0, notFound("id", "no campaign %s", id)
	}
	return copyCommitment(ctx, dbReader{db}, id, w)
}

// CampaignKeys implements stateaudit.CampaignSnapshot: the ids after after,
// at most max, of the campaigns that have a row or an event.
func (s snapshot) CampaignKeys(ctx context.Context, after string, max int) ([]string, error) {
	rows, err := s.tx.Query(ctx, `SELECT id FROM campaigns WHERE id > ? UNION SELECT DISTINCT key FROM events WHERE entity = ? AND key > ? ORDER BY 1 LIMIT `+itoa(max),
		after, campaign.EntityCampaign, after)
	if err != nil {
		return nil, internal("list campaigns", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, internal("list campaigns", err)
		}
		out = append(out, id)
	}
	return out, internal("list campaigns", rows.Err())
}

// CampaignEvents implements stateaudit.CampaignSnapshot.
func (s snapshot) CampaignEvents(ctx context.Context, id string) ([]trustmark.Event, error) {
	return s.events(ctx, `entity = ? AND key = ? ORDER BY seq`, campaign.EntityCampaign, id)
}

// StoredCampaign implements stateaudit.CampaignSnapshot: the campaign's
// rows, its findings and the hash of its stored commitment document; nil
// when it has no row.
func (s snapshot) StoredCampaign(ctx context.Context, id string) (*campaign.Stored, error) {
	c, err := loadCampaign(ctx, s.tx, id)
	if trustmark.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fs, err := loadFindings(ctx, s.tx, id, "")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := copyCommitment(ctx, s.tx, id, h)
	if err != nil {
		return nil, err
	}
	return &campaign.Stored{Campaign: c, Findings: fs, CommitmentSHA256: hex.EncodeToString(h.Sum(nil)), CommitmentBytes: n}, nil
}

// CampaignsAt opens a second handle on the same database whose
// transactions take their instant from clock, and returns it with its
// Close. The demo loads with it a campaign recorded in the past: its
// commitment must be logged before the recorded drand round that seeds it,
// which the verifier checks. Writes of the two handles take turns as any
// two connections do.
func (db *DB) CampaignsAt(ctx context.Context, clock trustmark.Clock) (campaign.Store, func() error, error) {
	at, err := Open(ctx, db.dsn, WithClock(clock), WithLogger(db.log))
	if err != nil {
		return nil, nil, err
	}
	return at, at.Close, nil
}
