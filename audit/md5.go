package audit

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"trustmark"
	"trustmark/data"
)

// Complexity is an EMS or OH&SMS complexity category of IAF MD 5. QMS has
// one column and ignores it.
type Complexity string

// Complexity categories, highest first.
const (
	High    Complexity = "high"
	Medium  Complexity = "medium"
	Low     Complexity = "low"
	Limited Complexity = "limited" // EMS only
)

// Band is one row of the IAF MD 5 audit-time table: effective personnel
// from Min to Max inclusive, and the initial audit time (Stage 1 plus
// Stage 2) in half days, per column ("QMS", "EMS/high", ...). Half days
// keep the arithmetic exact.
type Band struct {
	Min, Max int
	HalfDays map[string]int
}

// Table is the IAF MD 5 initial audit-time table, bands in order.
type Table struct{ Bands []Band }

// md5File is the embedded copy of the IAF MD 5:2019 tables.
const md5File = "reference/iaf_md5_audit_time_tables.csv"

// columns maps the file's columns to the table's keys.
var columns = map[string]string{
	"qms_days": "QMS", "ems_high": "EMS/high", "ems_medium": "EMS/medium", "ems_low": "EMS/low",
	"ems_limited": "EMS/limited", "ohsms_high": "OHSMS/high", "ohsms_medium": "OHSMS/medium", "ohsms_low": "OHSMS/low",
}

// OfficialTable returns the table Trustmark ships with.
func OfficialTable() *Table {
	f, err := data.Reference.Open(md5File)
	if err != nil {
		panic(fmt.Sprintf("audit: embedded %s: %v", md5File, err))
	}
	defer f.Close()
	t, err := ParseTable(f)
	if err != nil {
		panic(fmt.Sprintf("audit: embedded %s: %v", md5File, err))
	}
	return t
}

// ParseTable reads the table in the form of data/reference/
// iaf_md5_audit_time_tables.csv. It refuses bands that leave a gap or
// overlap, and times that are not whole half days.
func ParseTable(r io.Reader) (*Table, error) {
	rows, err := csv.NewReader(io.LimitReader(r, 1<<20)).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, trustmark.Invalidf("audit.md5_csv", "", "the audit-time table is not the expected CSV: %v", err)
	}
	head := rows[0]
	t := &Table{}
	for i, row := range rows[1:] {
		b := Band{HalfDays: map[string]int{}}
		for j, cell := range row {
			switch name := head[j]; name {
			case "enp_min", "enp_max":
				n, err := strconv.Atoi(cell)
				if err != nil || n < 1 {
					return nil, trustmark.Invalidf("audit.md5_row", name, "row %d: %q is not a number of personnel", i+1, cell)
				}
				if name == "enp_min" {
					b.Min = n
				} else {
					b.Max = n
				}
			default:
				key, ok := columns[name]
				if !ok {
					return nil, trustmark.Invalidf("audit.md5_column", name, "unknown column %q", name)
				}
				v, err := strconv.ParseFloat(cell, 64)
				if err != nil || v <= 0 || v*2 != float64(int(v*2)) {
					return nil, trustmark.Invalidf("audit.md5_row", name, "row %d: %q is not a whole number of half days", i+1, cell)
				}
				b.HalfDays[key] = int(v * 2)
			}
		}
		want := 1
		if i > 0 {
			want = t.Bands[i-1].Max + 1
		}
		if b.Min != want || b.Max < b.Min {
			return nil, trustmark.Invalidf("audit.md5_band", "enp_min", "row %d: band %d-%d does not follow on from %d", i+1, b.Min, b.Max, want-1)
		}
		t.Bands = append(t.Bands, b)
	}
	return t, nil
}

// column returns the table's key for a standard and complexity, or false
// when IAF MD 5 gives no table for the standard. An EMS or OH&SMS plan
// that states no complexity is held to the lowest column, so that a plan
// is refused only when it is below the minimum whatever the complexity.
func column(std trustmark.CertType, c Complexity) (string, bool) {
	switch std {
	case trustmark.TypeQMS:
		return "QMS", true
	case trustmark.TypeEMS:
		if c == "" {
			c = Limited
		}
		return "EMS/" + string(c), true
	case trustmark.TypeOHSMS:
		if c == "" || c == Limited {
			c = Low // OH&SMS has no limited column
		}
		return "OHSMS/" + string(c), true
	}
	return "", false
}

// InitialHalfDays returns the table's initial audit time, in half days,
// for the effective personnel. Beyond the last band the table says to
// follow the progression; Trustmark holds such a plan to the last band,
// which the progression only adds to, so it never refuses a plan the
// standard allows.
func (t *Table) InitialHalfDays(std trustmark.CertType, c Complexity, personnel int) (int, bool) {
	key, ok := column(std, c)
	if !ok || personnel < 1 || len(t.Bands) == 0 {
		return 0, false
	}
	for _, b := range t.Bands {
		if personnel <= b.Max {
			v, ok := b.HalfDays[key]
			return v, ok
		}
	}
	v, ok := t.Bands[len(t.Bands)-1].HalfDays[key]
	return v, ok
}

// Minimum is the least auditor-days IAF MD 5 allows for one audit, and how
// it was reached, for the evidence of a refusal.
type Minimum struct {
	Days        float64 `json:"days"`
	InitialDays float64 `json:"initial_days"` // the table's time for Stage 1 + Stage 2
	Share       string  `json:"share"`        // "1", "1/3", "2/3"
	Reduction   int     `json:"reduction_pct"`
}

// MinimumDays returns the IAF MD 5 minimum for an audit of kind: the
// table's initial time, times the kind's share (surveillance one third,
// recertification two thirds), less the largest reduction the document
// allows, rounded to the nearest half day (2.2.3: 5.3 → 5.5, 5.2 → 5.0; a
// quarter, midway, goes up). The arithmetic is in integers so that a
// midway value is never lost to floating point. ok is false when MD 5 sets
// no minimum: another standard, a single stage (the minimum is on Stage 1
// and Stage 2 together), a special or a remote audit.
func (r *Rules) MinimumDays(std trustmark.CertType, c Complexity, kind Kind, personnel int) (Minimum, bool) {
	num, den, share := 0, 1, ""
	switch kind {
	case Initial:
		num, share = 1, "1"
	case Surveillance:
		num, den, share = 1, 3, "1/3"
	case Recertification:
		num, den, share = 2, 3, "2/3"
	default:
		return Minimum{}, false
	}
	half, ok := r.Table.InitialHalfDays(std, c, personnel)
	if !ok {
		return Minimum{}, false
	}
	keep := 100 - r.MaxReductionPct
	// half days × share × keep%, in half days, rounded half up:
	// (2·half·num·keep + den·100) / (2·den·100).
	q := (2*half*num*keep + den*100) / (2 * den * 100)
	return Minimum{Days: float64(q) / 2, InitialDays: float64(half) / 2, Share: share, Reduction: r.MaxReductionPct}, true
}
