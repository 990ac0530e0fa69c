// Package statistics is the registry measured against the 14th five-year
// plan for certification, accreditation, inspection and testing
// (《认证认可检验检测发展“十四五”规划》, 专栏1 “十四五”主要发展指标): the
// plan's indicators as data, the month buckets of a trend, the rules by
// which a record counts on a day, and progress from the 2020 baseline to the
// 2025 target. It is pure: storage streams the records into a Counter and
// hands back a Tally; pages and the API read Views of it.
package statistics

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"trustmark"
	"trustmark/data"
)

// Key names an indicator of the plan, as the API and downloads spell it.
type Key string

// The indicators the registry counts.
const (
	ValidCertificates      Key = "valid_certificates"      // 有效认证证书总数
	CertifiedOrgs          Key = "certified_orgs"          // 获证组织总数
	ReportsPerYear         Key = "reports_per_year"        // 对外出具检验检测报告数
	ApprovedBodies         Key = "approved_bodies"         // 获得批准的认证机构数量
	Labs                   Key = "labs"                    // 获得资质认定的检验检测机构数量
	CertificationPersonnel Key = "certification_personnel" // 认证从业人员数量
)

// Counted lists the indicators a Tally holds. A plan row marked "counted"
// must be one of them, and each of them must be in the plan.
var Counted = []Key{ValidCertificates, CertifiedOrgs, ReportsPerYear, ApprovedBodies, Labs, CertificationPersonnel}

// Flow reports whether k counts what happened in a period (reports issued)
// rather than what stands on a day (certificates in force).
func (k Key) Flow() bool { return k == ReportsPerYear }

// Groups of the plan's table, in its order.
var Groups = []string{"service", "environment", "international", "foundation"}

// Indicator is one row of the plan's table.
type Indicator struct {
	Key    Key
	Group  string // one of Groups: 服务效能, 行业环境, 国际合作, 基础支撑
	Name   string // as the plan writes it
	NameEN string
	// Unit and UnitEN are the plan's unit (万张, 亿份, 家, %); Scale is how
	// many of the registry's units one of them is (万 = 10,000).
	Unit, UnitEN string
	Scale        float64
	// PlanBaseline and PlanTarget are the plan's figures for 2020 and 2025
	// in its unit (270 万张); Baseline and Target give them in the
	// registry's.
	PlanBaseline, PlanTarget float64
	Nature                   string // 预期性 (expected) or 约束性 (binding)
	// InRegistry is set for the rows the registry counts; the others are
	// listed as not in the registry, never estimated.
	InRegistry bool
	// Counts and CountsEN say what the registry counts for the row, or why
	// it cannot.
	Counts, CountsEN string
}

// CountsIn returns what the registry counts for the row in a page
// language.
func (in Indicator) CountsIn(lang string) string {
	if lang == "en" {
		return in.CountsEN
	}
	return in.Counts
}

// Baseline returns the plan's 2020 figure in the registry's units.
func (in Indicator) Baseline() float64 { return in.PlanBaseline * in.Scale }

// Target returns the plan's 2025 target in the registry's units.
func (in Indicator) Target() float64 { return in.PlanTarget * in.Scale }

// NameIn returns the indicator's name in a page language.
func (in Indicator) NameIn(lang string) string {
	if lang == "en" {
		return in.NameEN
	}
	return in.Name
}

// planFile is the plan's table in data/reference (source in SOURCE.md).
const planFile = "reference/plan_14th_indicators.csv"

var planHeader = []string{"key", "group", "name_zh", "name_en", "unit_zh", "unit_en", "scale", "baseline_2020", "target_2025", "nature", "registry", "counts_zh", "counts_en"}

// maxPlanBytes bounds a plan file: the table has twenty rows.
const maxPlanBytes = 1 << 20

// ParsePlan reads a plan's indicator table in the CSV form of
// data/reference/plan_14th_indicators.csv. It refuses a table that would
// make the statistics lie: an unknown column, a repeated key, a row the
// registry is said to count that Counted does not name (or one of Counted
// missing or said not to be counted), a scale or figure that is not a
// positive or non-negative number. Errors name the row (counting data rows
// from 1) and the column.
func ParsePlan(r io.Reader) ([]Indicator, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPlanBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPlanBytes {
		return nil, trustmark.Errorf(trustmark.ETooLarge, "", "a plan table is at most %d bytes", maxPlanBytes)
	}
	cr := csv.NewReader(strings.NewReader(string(b)))
	cr.FieldsPerRecord = len(planHeader)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, trustmark.Errorf(trustmark.EInvalid, "", "plan table: %v", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], planHeader) {
		return nil, trustmark.Errorf(trustmark.EInvalid, "", "plan table: the header must be %s", strings.Join(planHeader, ","))
	}
	var out []Indicator
	seen := map[Key]bool{}
	for i, row := range rows[1:] {
		in, err := parsePlanRow(row)
		if err != nil {
			return nil, fmt.Errorf("plan table row %d: %w", i+1, err)
		}
		if seen[in.Key] {
			return nil, trustmark.Errorf(trustmark.EInvalid, "key", "plan table row %d: key %q is repeated", i+1, in.Key)
		}
		seen[in.Key] = true
		out = append(out, in)
	}
	for _, k := range Counted {
		if !slices.ContainsFunc(out, func(in Indicator) bool { return in.Key == k && in.InRegistry }) {
			return nil, trustmark.Errorf(trustmark.EInvalid, "registry", "plan table: %s is counted by the registry but not a counted row of the table", k)
		}
	}
	return out, nil
}

func parsePlanRow(row []string) (Indicator, error) {
	in := Indicator{Key: Key(row[0]), Group: row[1], Name: row[2], NameEN: row[3], Unit: row[4], UnitEN: row[5], Nature: row[9], Counts: row[11], CountsEN: row[12]}
	for col, v := range map[string]string{"key": row[0], "name_zh": row[2], "name_en": row[3], "unit_zh": row[4], "nature": row[9], "counts_zh": row[11], "counts_en": row[12]} {
		if strings.TrimSpace(v) == "" {
			return in, trustmark.Errorf(trustmark.EInvalid, col, "%s is empty", col)
		}
	}
	if !slices.Contains(Groups, in.Group) {
		return in, trustmark.Errorf(trustmark.EInvalid, "group", "group %q is not one of %s", in.Group, strings.Join(Groups, ", "))
	}
	for _, f := range []struct {
		col  string
		s    string
		v    *float64
		zero bool // may be 0
	}{{"scale", row[6], &in.Scale, false}, {"baseline_2020", row[7], &in.PlanBaseline, true}, {"target_2025", row[8], &in.PlanTarget, true}} {
		v, err := strconv.ParseFloat(f.s, 64)
		if err != nil || v < 0 || v != v || v > 1e15 || v == 0 && !f.zero {
			return in, trustmark.Errorf(trustmark.EInvalid, f.col, "%s %q is not a number the plan could state", f.col, f.s)
		}
		*f.v = v
	}
	switch row[10] {
	case "counted":
		in.InRegistry = true
		if !slices.Contains(Counted, in.Key) {
			return in, trustmark.Errorf(trustmark.EInvalid, "registry", "%s is marked counted, but the registry has no count of that name", in.Key)
		}
	case "not_in_registry":
	default:
		return in, trustmark.Errorf(trustmark.EInvalid, "registry", "registry %q is not counted or not_in_registry", row[10])
	}
	return in, nil
}

var (
	planOnce sync.Once
	plan     []Indicator
)

// Plan returns the 14th five-year plan's indicator table shipped in
// data/reference. It is parsed once; the slice must not be modified.
func Plan() []Indicator {
	planOnce.Do(func() {
		f, err := data.Reference.Open(planFile)
		if err == nil {
			defer f.Close()
			plan, err = ParsePlan(f)
		}
		if err != nil {
			panic("statistics: embedded " + planFile + ": " + err.Error())
		}
	})
	return plan
}
