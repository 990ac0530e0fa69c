package search

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"trustmark"
)

// batchEvents is how many events the index is handed at a time.
const batchEvents = 5000

// progressEvery is how many events a long catch-up reads between log lines.
const progressEvery = 200_000

// idKey is the internal key of the index's identity, which names its cursor
// in the event feed: each server's index (and an index built anew) follows
// the events with a cursor of its own.
var idKey = []byte("trustmark.index_id")

// CursorName returns the name of the index's cursor in the event feed,
// "search/" and the index's identity, made when it first follows.
func (ix *Index) CursorName() (string, error) {
	id, err := ix.bleve.GetInternal(idKey)
	if err != nil {
		return "", fmt.Errorf("search: read the index's identity: %w", err)
	}
	if len(id) == 0 {
		var b [8]byte
		rand.Read(b[:])
		id = []byte(hex.EncodeToString(b[:]))
		if err := ix.bleve.SetInternal(idKey, id); err != nil {
			return "", fmt.Errorf("search: record the index's identity: %w", err)
		}
	}
	return "search/" + string(id), nil
}

// CatchUp indexes every event after the index's cursor in feed and returns
// how many events it read. Organisations, bodies, laboratories and
// certificates are indexed; persons (personal data) and reports are not;
// store gives what an event does not carry (a holder's certificates).
func (ix *Index) CatchUp(ctx context.Context, feed *trustmark.Feed, store trustmark.Store) (int, error) {
	fl, err := ix.follower(ctx, feed, store, nil)
	if err != nil {
		return 0, err
	}
	return feed.CatchUp(ctx, fl)
}

// Follow indexes the events in feed as they are committed (and every
// feed.Poll() in any case) until ctx is done; see trustmark.Feed.Follow.
func (ix *Index) Follow(ctx context.Context, feed *trustmark.Feed, store trustmark.Store, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	fl, err := ix.follower(ctx, feed, store, log)
	if err != nil {
		return err
	}
	return feed.Follow(ctx, fl)
}

// follower returns the index as a follower of feed, its cursor first
// brought in line with what the index holds. Each batch of documents is
// written together with the Seq of its last event (put) and returns before
// it is on disk (scorchConfig), so after a crash the index may hold less
// than the cursor says, and an index made before the feed had no cursor:
// in both cases the index's own Seq wins, and the events after it are
// indexed (again).
func (ix *Index) follower(ctx context.Context, feed *trustmark.Feed, store trustmark.Store, log *slog.Logger) (trustmark.Follower, error) {
	name, err := ix.CursorName()
	if err != nil {
		return trustmark.Follower{}, err
	}
	if err := ix.alignCursor(ctx, feed, name, log); err != nil {
		return trustmark.Follower{}, err
	}
	if log != nil && ix.segments() > maxSegments {
		ix.compactInBackground(ctx, log, "many segments at start")
	}
	var (
		start     = time.Now()
		n         = 0
		names     = map[trustmark.USCC]string{} // holder names met in this run
		compacted = false
	)
	handle := func(ctx context.Context, batch []trustmark.Change) error {
		var docs []Doc
		for i := range batch {
			d, err := ix.docsFor(ctx, store, &batch[i], names)
			if err != nil {
				return err
			}
			docs = append(docs, d...)
		}
		last := batch[len(batch)-1].Seq
		if err := ix.put(docs, last); err != nil {
			return err
		}
		if log != nil && n/progressEvery != (n+len(batch))/progressEvery {
			log.Info("search index catching up", "events", n+len(batch), "last_seq", last, "took", time.Since(start).Round(time.Second))
		}
		n += len(batch)
		if log != nil && !compacted && n >= compactAfter && len(batch) < batchEvents {
			// Caught up after a large catch-up (a short batch is the last).
			compacted = true
			ix.compactInBackground(ctx, log, "after catching up")
		}
		if len(names) > 100_000 {
			clear(names)
		}
		return nil
	}
	return trustmark.Follower{Name: name, Batch: batchEvents, Handle: handle}, nil
}

// alignCursor sets the cursor name in feed to the Seq of the last event
// the index holds, when it says otherwise; see follower.
func (ix *Index) alignCursor(ctx context.Context, feed *trustmark.Feed, name string, log *slog.Logger) error {
	held, err := ix.LastSeq()
	if err != nil {
		return err
	}
	cursor, err := feed.Store().Cursor(ctx, name)
	if err != nil {
		return err
	}
	if cursor == held {
		return nil
	}
	if log != nil && cursor >= 0 {
		log.Warn("search index holds fewer events than its cursor says (batches lost in a crash?); indexing them again", "cursor", cursor, "index_seq", held)
	}
	return feed.Store().SetCursor(ctx, name, held)
}

// docsFor returns the documents a change touches, from the record's state
// after it; a change without state is looked up in the store.
func (ix *Index) docsFor(ctx context.Context, store trustmark.Store, ch *trustmark.Change, names map[trustmark.USCC]string) ([]Doc, error) {
	switch ch.Entity {
	case trustmark.EntityOrg:
		return orgDocs(ctx, store, ch, names)
	case trustmark.EntityBody:
		b := ch.Body
		if b == nil {
			p, err := store.Body(ctx, ch.Key)
			if err != nil {
				return skipMissing(err)
			}
			b = p
		}
		return []Doc{BodyDoc(b)}, nil
	case trustmark.EntityLab:
		l := ch.Lab
		if l == nil {
			p, err := store.Lab(ctx, ch.Key)
			if err != nil {
				return skipMissing(err)
			}
			l = p
		}
		return []Doc{LabDoc(l)}, nil
	case trustmark.EntityCertificate:
		return certificateDocs(ctx, store, ch, names)
	}
	return nil, nil
}

// orgDocs returns the document of an organisation and, unless it was just
// created or its name is the one names holds for it, those of its
// certificates, into which the holder name is copied. It records the name
// in names.
func orgDocs(ctx context.Context, store trustmark.Store, ch *trustmark.Change, names map[trustmark.USCC]string) ([]Doc, error) {
	o := ch.Org
	if o == nil {
		p, err := store.Org(ctx, trustmark.USCC(ch.Key))
		if err != nil {
			return skipMissing(err)
		}
		o = p
	}
	old, known := names[o.USCC]
	names[o.USCC] = o.Name
	docs := []Doc{OrgDoc(o)}
	if ch.Action != trustmark.ActionCreated && (!known || old != o.Name) {
		certs, err := holderCertificates(ctx, store, o.USCC)
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			c.HolderName = o.Name
			docs = append(docs, CertificateDoc(c, o.RegionCode))
		}
	}
	return docs, nil
}

// certificateDocs returns the document of a certificate. When the
// certificate lacks its holder's name, or names has none for the holder,
// the name and region are read from the holder's record and the name
// recorded in names; else, or when the holder has no record, the region is
// the one its USCC encodes.
func certificateDocs(ctx context.Context, store trustmark.Store, ch *trustmark.Change, names map[trustmark.USCC]string) ([]Doc, error) {
	var c trustmark.Certificate
	if ch.Certificate != nil {
		c = *ch.Certificate
	} else {
		typ, number, _ := strings.Cut(ch.Key, "/")
		p, err := certificateByKey(ctx, store, trustmark.CertType(typ), number)
		if err != nil {
			return skipMissing(err)
		}
		c = *p
	}
	name, ok := names[c.HolderUSCC]
	region := c.HolderUSCC.RegionCode()
	if !ok || c.HolderName == "" {
		if o, err := store.Org(ctx, c.HolderUSCC); err == nil {
			name, region = o.Name, o.RegionCode
			names[o.USCC] = name
		}
	}
	if c.HolderName == "" {
		c.HolderName = name
	}
	return []Doc{CertificateDoc(&c, region)}, nil
}

func skipMissing(err error) ([]Doc, error) {
	if trustmark.IsNotFound(err) {
		return nil, nil
	}
	return nil, err
}

func certificateByKey(ctx context.Context, store trustmark.Store, t trustmark.CertType, number string) (*trustmark.Certificate, error) {
	c, err := store.Certificate(ctx, number)
	if err != nil || c.Type == t {
		return c, err
	}
	page, err := store.Certificates(ctx, trustmark.CertificateFilter{Q: number, Type: t, Limit: 10})
	if err != nil {
		return nil, err
	}
	for _, c := range page.Items {
		if c.Number == number {
			return c, nil
		}
	}
	return nil, trustmark.Errorf(trustmark.ENotFound, "number", "no %s certificate %s", t, number)
}

func holderCertificates(ctx context.Context, store trustmark.Store, holder trustmark.USCC) ([]*trustmark.Certificate, error) {
	var out []*trustmark.Certificate
	f := trustmark.CertificateFilter{HolderUSCC: holder, Limit: 1000}
	for {
		page, err := store.Certificates(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

// OrgDoc returns the document of an organisation.
func OrgDoc(o *trustmark.Org) Doc {
	return Doc{Kind: KindOrg, Number: string(o.USCC), Name: o.Name, NameEn: o.NameEn, Region: o.RegionCode}
}

// BodyDoc returns the document of a certification body.
func BodyDoc(b *trustmark.Body) Doc {
	return Doc{Kind: KindBody, Number: b.ApprovalNo, Name: b.Name, NameEn: b.NameEn, Region: b.RegionCode, Status: string(b.Status)}
}

// LabDoc returns the document of a laboratory.
func LabDoc(l *trustmark.Lab) Doc {
	return Doc{Kind: KindLab, Number: l.CMANo, Name: l.Name, Region: l.RegionCode, Status: string(l.Status)}
}

// CertificateDoc returns the document of a certificate; c.HolderName must be
// filled, and region is the holder's region code.
func CertificateDoc(c *trustmark.Certificate, region string) Doc {
	return Doc{Kind: KindCertificate, Number: c.Number, Name: c.HolderName, Product: c.Product, Scope: c.Scope,
		Type: c.Type, Status: string(c.Status), Region: region, ExpiresOn: c.ExpiresOn, HolderUSCC: c.HolderUSCC}
}
