package sqlstore

import (
	"encoding/json"

	"trustmark"
	"trustmark/internal/jsonw"
)

// The bulk import spends much of its time encoding the Data of events; these
// encoders write exactly the bytes json.Marshal writes for the same value
// (fastjson_test.go checks it), only faster, with internal/jsonw.

// certJSON returns json.Marshal(c).
func certJSON(c *trustmark.Certificate) json.RawMessage {
	b := make([]byte, 0, 256+len(c.Scope)+len(c.Product)+len(c.Standard))
	b = append(b, `{"number":`...)
	b = jsonw.AppendString(b, c.Number, true)
	b = append(b, `,"type":`...)
	b = jsonw.AppendString(b, string(c.Type), true)
	b = append(b, `,"body_approval_no":`...)
	b = jsonw.AppendString(b, c.BodyApprovalNo, true)
	b = append(b, `,"holder_uscc":`...)
	b = jsonw.AppendString(b, string(c.HolderUSCC), true)
	b = append(b, `,"scope":`...)
	b = jsonw.AppendString(b, c.Scope, true)
	if c.Standard != "" {
		b = append(b, `,"standard":`...)
		b = jsonw.AppendString(b, c.Standard, true)
	}
	if c.Product != "" {
		b = append(b, `,"product":`...)
		b = jsonw.AppendString(b, c.Product, true)
	}
	if c.CCCCategory != "" {
		b = append(b, `,"ccc_category":`...)
		b = jsonw.AppendString(b, c.CCCCategory, true)
	}
	b = append(b, `,"issued_on":`...)
	b = jsonw.AppendDate(b, c.IssuedOn)
	b = append(b, `,"expires_on":`...)
	b = jsonw.AppendDate(b, c.ExpiresOn)
	b = append(b, `,"status":`...)
	b = jsonw.AppendString(b, string(c.Status), true)
	b = append(b, `,"status_since":`...)
	b = jsonw.AppendDate(b, c.StatusSince)
	return append(b, '}')
}

// dateString is d.String() without time.Format's generality.
func dateString(d trustmark.Date) string {
	if d.IsZero() {
		return ""
	}
	var buf [10]byte
	return string(jsonw.AppendDay(buf[:0], d))
}
