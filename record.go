package trustmark

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is a kind of registry record that can be imported.
type Kind string

// Import kinds (CONTRACT.md, "Import columns").
const (
	KindOrgs         Kind = "orgs"
	KindBodies       Kind = "bodies"
	KindPersons      Kind = "persons"
	KindLabs         Kind = "labs"
	KindCertificates Kind = "certificates"
	KindReports      Kind = "reports"
)

// Kinds lists the kinds in dependency order: a kind refers only to kinds
// before it.
var Kinds = []Kind{KindOrgs, KindBodies, KindLabs, KindPersons, KindCertificates, KindReports}

// ParseKind validates an import kind.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("kind %q is not one of orgs, bodies, persons, labs, certificates, reports", s)
}

// kindColumns holds each kind's required and optional columns (CONTRACT.md).
var kindColumns = map[Kind][2][]string{
	KindOrgs:         {{"uscc", "name", "region_code"}, {"name_en", "address", "lat", "lng", "employees"}},
	KindBodies:       {{"approval_no", "uscc", "name", "region_code", "scopes"}, {"name_en", "ccc_categories", "ccc_code", "status", "approved_on"}},
	KindPersons:      {{"registration_no", "name", "body_approval_no", "qualifications"}, {"grade", "status"}},
	KindLabs:         {{"cma_no", "uscc", "name", "region_code"}, {"status", "valid_until", "scope"}},
	KindCertificates: {{"number", "type", "body_approval_no", "holder_uscc", "scope", "issued_on", "expires_on"}, {"standard", "product", "ccc_category", "status"}},
	KindReports:      {{"number", "lab_cma_no", "product", "conclusion", "issued_on"}, {"client_uscc", "signer_registration_no"}},
}

// Columns returns the required and optional columns of a kind. The slices
// are shared and must not be modified.
func (k Kind) Columns() (required, optional []string) {
	c := kindColumns[k]
	return c[0], c[1]
}

// CheckHeader validates a header row for kind k: every column known, every
// required column present, none repeated. Column names are matched
// case-insensitively after trimming.
func (k Kind) CheckHeader(header []string) error {
	req, opt := k.Columns()
	known := map[string]bool{}
	for _, c := range append(append([]string{}, req...), opt...) {
		known[c] = true
	}
	seen := map[string]bool{}
	var unknown []string
	for _, h := range header {
		h = NormalizeColumn(h)
		if !known[h] {
			unknown = append(unknown, h)
			continue
		}
		if seen[h] {
			return Errorf(EInvalid, h, "column %q appears twice in the header", h)
		}
		seen[h] = true
	}
	if len(unknown) > 0 {
		return Errorf(EInvalid, unknown[0], "unknown column(s) %s for kind %s (known: %s)", quoteAll(unknown), k, strings.Join(append(append([]string{}, req...), opt...), ", "))
	}
	var missing []string
	for _, c := range req {
		if !seen[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return Errorf(EInvalid, missing[0], "missing required column(s) %s for kind %s", quoteAll(missing), k)
	}
	return nil
}

// NormalizeColumn folds a header cell to a column name.
func NormalizeColumn(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	sort.Strings(q)
	return strings.Join(q, ", ")
}

// MaxCellBytes bounds one cell; longer values are refused rather than stored.
const MaxCellBytes = 4096

// Record is a parsed, validated registry record of any kind.
type Record interface {
	// RecordKey returns the record's natural key within its kind.
	RecordKey() string
}

// RecordKey implements Record.
func (o *Org) RecordKey() string { return string(o.USCC) }

// RecordKey implements Record.
func (b *Body) RecordKey() string { return b.ApprovalNo }

// RecordKey implements Record.
func (l *Lab) RecordKey() string { return l.CMANo }

// RecordKey implements Record.
func (p *Person) RecordKey() string { return p.RegistrationNo }

// RecordKey implements Record.
func (c *Certificate) RecordKey() string { return c.Key() }

// RecordKey implements Record.
func (r *Report) RecordKey() string { return r.Key() }

// Row is one data row of an import file: column name → cell text.
type Row map[string]string

// ParseRecord validates one row of kind k into a record. The checks are those
// that need nothing but the row; references to other records (the body of a
// certificate, the holder) are checked by the store within its transaction.
func ParseRecord(k Kind, row Row, p *Policy) (Record, error) {
	for col, v := range row {
		if len(v) > MaxCellBytes {
			return nil, Errorf(EInvalid, col, "cell is %d bytes, longer than the %d allowed", len(v), MaxCellBytes)
		}
		if !utf8.ValidString(v) {
			return nil, Errorf(EInvalid, col, "cell is not valid UTF-8 text")
		}
		if strings.ContainsAny(v, "\x00") {
			return nil, Errorf(EInvalid, col, "cell contains a NUL character")
		}
		row[col] = strings.TrimSpace(v)
	}
	req, _ := k.Columns()
	for _, c := range req {
		if row[c] == "" {
			return nil, Errorf(EInvalid, c, "%s is required", c)
		}
	}
	switch k {
	case KindOrgs:
		return parseOrg(row)
	case KindBodies:
		return parseBody(row)
	case KindLabs:
		return parseLab(row)
	case KindPersons:
		return parsePerson(row)
	case KindCertificates:
		return parseCertificate(row, p)
	case KindReports:
		return parseReport(row)
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}

func fieldErr(field string, err error) error {
	return Errorf(EInvalid, field, "%s", ErrorMessage(err))
}

func parseDateField(row Row, field string) (Date, error) {
	if row[field] == "" {
		return Date{}, nil
	}
	d, err := ParseDate(row[field])
	if err != nil {
		return Date{}, Errorf(EInvalid, field, "date %q is not a real date of the form YYYY-MM-DD", row[field])
	}
	return d, nil
}

func parseUSCCField(row Row, field string) (USCC, error) {
	if row[field] == "" {
		return "", nil
	}
	u, err := ParseUSCC(row[field])
	if err != nil {
		return "", fieldErr(field, err)
	}
	return u, nil
}

// maxLabScope bounds a laboratory's scope, in characters: the schedule of a
// large laboratory's CMA certificate runs to a few thousand.
const maxLabScope = 20000

func checkName(row Row, field string) error {
	if n := utf8.RuneCountInString(row[field]); n > 200 {
		return Errorf(EInvalid, field, "name is %d characters, want at most 200", n)
	}
	return nil
}

func parseOrg(row Row) (*Org, error) {
	u, err := parseUSCCField(row, "uscc")
	if err != nil {
		return nil, err
	}
	if err := checkName(row, "name"); err != nil {
		return nil, err
	}
	region, err := ParseRegionCode(row["region_code"])
	if err != nil {
		return nil, err
	}
	o := &Org{USCC: u, Name: row["name"], NameEn: row["name_en"], RegionCode: region, Address: row["address"]}
	if o.Lat, err = parseCoord(row, "lat", -90, 90); err != nil {
		return nil, err
	}
	if o.Lng, err = parseCoord(row, "lng", -180, 180); err != nil {
		return nil, err
	}
	if (o.Lat == nil) != (o.Lng == nil) {
		return nil, Errorf(EInvalid, "lat", "lat and lng must be given together")
	}
	if v := row["employees"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10_000_000 {
			return nil, Errorf(EInvalid, "employees", "employees %q is not a whole number from 0 to 10000000", v)
		}
		o.Employees = n
	}
	return o, nil
}

func parseCoord(row Row, field string, lo, hi float64) (*float64, error) {
	v := row[field]
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < lo || f > hi || f != f {
		return nil, Errorf(EInvalid, field, "%s %q is not a number from %g to %g", field, v, lo, hi)
	}
	return &f, nil
}

func parseBody(row Row) (*Body, error) {
	no, err := ParseApprovalNo(row["approval_no"])
	if err != nil {
		return nil, err
	}
	u, err := parseUSCCField(row, "uscc")
	if err != nil {
		return nil, err
	}
	if err := checkName(row, "name"); err != nil {
		return nil, err
	}
	region, err := ParseRegionCode(row["region_code"])
	if err != nil {
		return nil, err
	}
	scopes, err := ParseCertTypes(row["scopes"], "scopes")
	if err != nil {
		return nil, err
	}
	var cats []string
	for _, c := range splitList(row["ccc_categories"]) {
		c, err := ParseCCCCategory(c, "ccc_categories")
		if err != nil {
			return nil, err
		}
		cats = append(cats, c)
	}
	sort.Strings(cats)
	cats = compactStrings(cats)
	if len(cats) > 0 && !containsType(scopes, TypeCCC) {
		return nil, Errorf(EInvalid, "ccc_categories", "CCC product categories are given but CCC is not among the scopes")
	}
	cccCode, err := ParseCCCBodyCode(row["ccc_code"])
	if err != nil {
		return nil, err
	}
	if cccCode != "" && !containsType(scopes, TypeCCC) {
		return nil, Errorf(EInvalid, "ccc_code", "a CCC body code is given but CCC is not among the scopes")
	}
	status, err := ParsePartyStatus(row["status"], false)
	if err != nil {
		return nil, err
	}
	approved, err := parseDateField(row, "approved_on")
	if err != nil {
		return nil, err
	}
	return &Body{ApprovalNo: string(no), USCC: u, Name: row["name"], NameEn: row["name_en"], RegionCode: region,
		Scopes: scopes, CCCCategories: cats, CCCCode: cccCode, Status: status, ApprovedOn: approved}, nil
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func containsType(ts []CertType, t CertType) bool {
	for _, v := range ts {
		if v == t {
			return true
		}
	}
	return false
}

func parseLab(row Row) (*Lab, error) {
	no, err := ParseCMANo(row["cma_no"])
	if err != nil {
		return nil, err
	}
	u, err := parseUSCCField(row, "uscc")
	if err != nil {
		return nil, err
	}
	if err := checkName(row, "name"); err != nil {
		return nil, err
	}
	region, err := ParseRegionCode(row["region_code"])
	if err != nil {
		return nil, err
	}
	status, err := ParsePartyStatus(row["status"], false)
	if err != nil {
		return nil, err
	}
	until, err := parseDateField(row, "valid_until")
	if err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(row["scope"]); n > maxLabScope {
		return nil, Errorf(EInvalid, "scope", "scope is %d characters, want at most %d", n, maxLabScope)
	}
	return &Lab{CMANo: string(no), USCC: u, Name: row["name"], RegionCode: region, Status: status, ValidUntil: until, Scope: row["scope"]}, nil
}

func parsePerson(row Row) (*Person, error) {
	reg := row["registration_no"]
	if len(reg) > 64 || strings.ContainsAny(reg, " \t/") {
		return nil, Errorf(EInvalid, "registration_no", "registration number %q must be at most 64 characters with no spaces or slashes", reg)
	}
	if err := checkName(row, "name"); err != nil {
		return nil, err
	}
	body, err := ParseApprovalNo(row["body_approval_no"])
	if err != nil {
		return nil, fieldErr("body_approval_no", err)
	}
	quals, err := ParseCertTypes(row["qualifications"], "qualifications")
	if err != nil {
		return nil, err
	}
	status, err := ParsePartyStatus(row["status"], true)
	if err != nil {
		return nil, err
	}
	return &Person{RegistrationNo: reg, Name: row["name"], BodyApprovalNo: string(body), Qualifications: quals, Grade: row["grade"], Status: status}, nil
}

func parseCertificate(row Row, p *Policy) (*Certificate, error) {
	t, err := ParseCertType(row["type"])
	if err != nil {
		return nil, err
	}
	body, err := ParseApprovalNo(row["body_approval_no"])
	if err != nil {
		return nil, fieldErr("body_approval_no", err)
	}
	holder, err := parseUSCCField(row, "holder_uscc")
	if err != nil {
		return nil, err
	}
	number, err := ParseCertNumber(row["number"])
	if err != nil {
		return nil, err
	}
	c := &Certificate{Number: string(number), Type: t, BodyApprovalNo: string(body), HolderUSCC: holder,
		Scope: row["scope"], Standard: row["standard"], Product: row["product"]}
	if v := row["ccc_category"]; v != "" {
		if c.CCCCategory, err = ParseCCCCategory(v, "ccc_category"); err != nil {
			return nil, err
		}
	}
	if c.IssuedOn, err = parseDateField(row, "issued_on"); err != nil {
		return nil, err
	}
	if c.ExpiresOn, err = parseDateField(row, "expires_on"); err != nil {
		return nil, err
	}
	if v := row["status"]; v != "" {
		if c.Status, err = ParseCertStatus(v); err != nil {
			return nil, err
		}
	}
	c.complete()
	if err := c.Validate(p); err != nil {
		return nil, err
	}
	return c, nil
}

func parseReport(row Row) (*Report, error) {
	lab, err := ParseCMANo(row["lab_cma_no"])
	if err != nil {
		return nil, fieldErr("lab_cma_no", err)
	}
	num, err := ParseReportNumber(row["number"])
	if err != nil {
		return nil, err
	}
	client, err := parseUSCCField(row, "client_uscc")
	if err != nil {
		return nil, err
	}
	concl := Conclusion(strings.ToLower(row["conclusion"]))
	if concl != ConclusionPass && concl != ConclusionFail {
		return nil, Errorf(EInvalid, "conclusion", "conclusion %q is not pass or fail", row["conclusion"])
	}
	issued, err := parseDateField(row, "issued_on")
	if err != nil {
		return nil, err
	}
	return &Report{Number: num, LabCMANo: string(lab), ClientUSCC: client, Product: row["product"], Conclusion: concl,
		IssuedOn: issued, SignerRegistrationNo: row["signer_registration_no"]}, nil
}
