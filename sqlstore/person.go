package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"trustmark"
	"trustmark/credit"
)

const personCols = `p.registration_no, p.name, p.body_approval_no, p.qualifications, p.grade, p.status, p.status_since`

func scanPerson(s interface{ Scan(...any) error }) (*trustmark.Person, error) {
	var (
		p                    trustmark.Person
		quals, status, since string
	)
	if err := s.Scan(&p.RegistrationNo, &p.Name, &p.BodyApprovalNo, &quals, &p.Grade, &status, &since); err != nil {
		return nil, err
	}
	p.Qualifications, p.Status = splitTypes(quals), trustmark.PartyStatus(status)
	var err error
	if p.StatusSince, err = parseDate(since); err != nil {
		return nil, err
	}
	return &p, nil
}

// Person implements trustmark.Store.
func (db *DB) Person(ctx context.Context, registrationNo string) (*trustmark.Person, error) {
	return getPerson(ctx, db.reads(), db.dialect, registrationNo)
}

func getPerson(ctx context.Context, q querier, d dialect, registrationNo string) (*trustmark.Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, d.rebind(`SELECT `+personCols+` FROM persons p WHERE p.registration_no = ?`), registrationNo))
	if err == sql.ErrNoRows {
		return nil, notFound("registration_no", "no auditor with registration number %s", registrationNo)
	}
	if err != nil {
		return nil, internal("read person", err)
	}
	return p, nil
}

// Persons implements trustmark.Store. Region selects persons by the region
// of their body.
func (db *DB) Persons(ctx context.Context, f trustmark.PartyFilter) (trustmark.Page[trustmark.Person], error) {
	var page trustmark.Page[trustmark.Person]
	cur, err := decodeCursor(f.Cursor, 1)
	if err != nil {
		return page, err
	}
	var w where
	from := ` FROM persons p`
	if cur != nil {
		w.add(`p.registration_no > ?`, cur[0])
	}
	if f.Q != "" {
		w.add(`(p.name `+db.dialect.ilike+` ? ESCAPE '\' OR p.registration_no = ?)`, "%"+likeEscape(f.Q)+"%", f.Q)
	}
	if f.BodyApprovalNo != "" {
		w.add(`p.body_approval_no = ?`, f.BodyApprovalNo)
	}
	if f.Region != "" {
		from += ` JOIN bodies b ON b.approval_no = p.body_approval_no`
		w.add(`b.region_code LIKE ?`, likeEscape(trustmark.RegionPrefix(f.Region))+"%")
	}
	if f.Status != "" {
		w.add(`p.status = ?`, string(f.Status))
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "persons", `SELECT `+personCols+from+w.String()+fmt.Sprintf(` ORDER BY p.registration_no LIMIT %d`, n+1), w.args, n,
		scanPerson,
		func(it *trustmark.Person) []string { return []string{it.RegistrationNo} })
}

func (tx *Tx) personsByKey(ctx context.Context, keys []string) (map[string]*trustmark.Person, error) {
	return byKey(ctx, tx, `SELECT `+personCols+` FROM persons p WHERE p.registration_no IN (%s)`, keys, scanPerson)
}

// publicPerson is a person as events show it: the name, personal data, is
// kept out of Data and committed to through Event.Personal.
type publicPerson struct {
	RegistrationNo string                `json:"registration_no"`
	BodyApprovalNo string                `json:"body_approval_no"`
	Qualifications []trustmark.CertType  `json:"qualifications"`
	Grade          string                `json:"grade,omitempty"`
	Status         trustmark.PartyStatus `json:"status"`
	StatusSince    trustmark.Date        `json:"status_since"`
}

func personEvent(ev *trustmark.Event, p *trustmark.Person) *trustmark.Event {
	ev.Data = mustJSON(publicPerson{p.RegistrationNo, p.BodyApprovalNo, p.Qualifications, p.Grade, p.Status, p.StatusSince})
	ev.Personal = map[string]string{"name": p.Name}
	return ev
}

func (tx *Tx) importPersons(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Person](items)
	bodies, err := tx.bodiesByKey(ctx, distinct(recs, func(p *trustmark.Person) string { return p.BodyApprovalNo }))
	if err != nil {
		return nil, internal("read bodies", err)
	}
	existing, err := tx.personsByKey(ctx, keysOf(recs))
	if err != nil {
		return nil, internal("read persons", err)
	}
	archives, err := tx.creditArchives(ctx, credit.Person, keysOf(recs))
	if err != nil {
		return nil, err
	}
	submitted := map[string]bool{}
	fresh, changed, err := judgeAll(tx, actor, trustmark.EntityPerson, recs, out, existing,
		func(old, in *trustmark.Person) (*trustmark.Person, *trustmark.Event, error) {
			if bodies[in.BodyApprovalNo] == nil {
				return nil, nil, trustmark.Errorf(trustmark.ENotFound, "body_approval_no", "certification body %s is not in the registry; import bodies first", in.BodyApprovalNo)
			}
			submitted[in.BodyApprovalNo] = true
			next := *in
			if next.Status == "" {
				next.Status = trustmark.PartyActive
			}
			if err := credit.RegistrationRefused(old, &next, archives[in.RegistrationNo], tx.today); err != nil {
				return nil, nil, err
			}
			if old == nil {
				next.StatusSince = firstStatusSince(next.StatusSince, tx.today)
				return &next, personEvent(&trustmark.Event{}, &next), nil
			}
			if err := trustmark.CheckPersonStatusChange(old.Status, next.Status); err != nil {
				return nil, nil, err
			}
			if trustmark.SamePerson(old, &next) {
				return old, nil, nil
			}
			next.StatusSince = old.StatusSince
			ev := &trustmark.Event{}
			if next.Status != old.Status {
				next.StatusSince = trustmark.ChangedStatusSince(in.StatusSince, old.StatusSince, tx.today)
				partyStatusEvent(ev, old.Status, next.Status, next.StatusSince)
			}
			return &next, personEvent(ev, &next), nil
		})
	if err != nil {
		return nil, err
	}
	row := func(p *trustmark.Person) []any {
		return []any{p.RegistrationNo, p.Name, p.BodyApprovalNo, joinTypes(p.Qualifications), p.Grade, string(p.Status), p.StatusSince.String(), micros(tx.now)}
	}
	if err := tx.write(ctx, "persons", []string{"registration_no", "name", "body_approval_no", "qualifications", "grade", "status", "status_since", "updated_at"}, 1,
		rowsOf(fresh, row), rowsOf(changed, row)); err != nil {
		return nil, err
	}
	return out, tx.touchSubmission(ctx, "bodies", "approval_no", mapKeys(submitted))
}

func mapKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// firstStatusSince is the status_since of a party entering the registry:
// the day its record gives (a laboratory's accreditation, an auditor's
// registration, as the registry it comes from knows them), or today when
// it gives none or a day still to come.
func firstStatusSince(given, today trustmark.Date) trustmark.Date {
	if given.IsZero() || given.After(today) {
		return today
	}
	return given
}
