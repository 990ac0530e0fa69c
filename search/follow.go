package search

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"trustmark"
)

// batchEvents is how many events CatchUp reads and indexes at a time.
const batchEvents = 5000

// CatchUp indexes every event after the last indexed one and returns how
// many events it read. Organisations, bodies, laboratories and certificates
// are indexed; persons (personal data) and reports are not. Each batch of
// documents is written together with the Seq of its last event, so an
// interrupted CatchUp resumes where it stopped.
func (ix *Index) CatchUp(ctx context.Context, store trustmark.Store) (int, error) {
	return ix.catchUp(ctx, store, nil)
}

// progressEvery is how many events a long catch-up reads between log lines.
const progressEvery = 200_000

func (ix *Index) catchUp(ctx context.Context, store trustmark.Store, log *slog.Logger) (int, error) {
	start := time.Now()
	last, err := ix.LastSeq()
	if err != nil {
		return 0, err
	}
	n := 0
	names := map[trustmark.USCC]string{} // holder names met in this run
	for {
		events, err := store.Events(ctx, trustmark.EventFilter{After: last, Limit: batchEvents})
		if err != nil {
			return n, err
		}
		if len(events) == 0 {
			return n, nil
		}
		var docs []Doc
		for i := range events {
			d, err := ix.docsFor(ctx, store, &events[i], names)
			if err != nil {
				return n, err
			}
			docs = append(docs, d...)
		}
		last = events[len(events)-1].Seq
		if err := ix.put(docs, last); err != nil {
			return n, err
		}
		if log != nil && n/progressEvery != (n+len(events))/progressEvery {
			log.Info("search index catching up", "events", n+len(events), "last_seq", last, "took", time.Since(start).Round(time.Second))
		}
		n += len(events)
		if len(names) > 100_000 {
			clear(names)
		}
	}
}

// Follow calls CatchUp now and then every interval until ctx is done,
// logging failures and carrying on. It returns ctx's error.
func (ix *Index) Follow(ctx context.Context, store trustmark.Store, interval time.Duration, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		start := time.Now()
		n, err := ix.catchUp(ctx, store, log)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("search index catch-up failed", "err", err, "events", n)
		case err == nil && n > 0:
			log.Info("search index caught up", "events", n, "took", time.Since(start))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// docsFor returns the documents an event changes. The event's Data is the
// record's public state after the change; when it cannot be read the record
// is fetched from the store.
func (ix *Index) docsFor(ctx context.Context, store trustmark.Store, e *trustmark.Event, names map[trustmark.USCC]string) ([]Doc, error) {
	switch e.Entity {
	case trustmark.EntityOrg:
		var o trustmark.Org
		if json.Unmarshal(e.Data, &o) != nil || string(o.USCC) != e.Key {
			p, err := store.Org(ctx, trustmark.USCC(e.Key))
			if err != nil {
				return skipMissing(err)
			}
			o = *p
		}
		old, known := names[o.USCC]
		names[o.USCC] = o.Name
		docs := []Doc{OrgDoc(&o)}
		if e.Action != trustmark.ActionCreated && (!known || old != o.Name) {
			// The holder name is copied into its certificates' documents.
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
	case trustmark.EntityBody:
		var b trustmark.Body
		if json.Unmarshal(e.Data, &b) != nil || b.ApprovalNo != e.Key {
			p, err := store.Body(ctx, e.Key)
			if err != nil {
				return skipMissing(err)
			}
			b = *p
		}
		return []Doc{BodyDoc(&b)}, nil
	case trustmark.EntityLab:
		var l trustmark.Lab
		if json.Unmarshal(e.Data, &l) != nil || l.CMANo != e.Key {
			p, err := store.Lab(ctx, e.Key)
			if err != nil {
				return skipMissing(err)
			}
			l = *p
		}
		return []Doc{LabDoc(&l)}, nil
	case trustmark.EntityCertificate:
		typ, number, _ := strings.Cut(e.Key, "/")
		var c trustmark.Certificate
		if json.Unmarshal(e.Data, &c) != nil || c.Number != number || string(c.Type) != typ {
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
	return nil, nil
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
