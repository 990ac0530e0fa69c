package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"trustmark/audit"
)

// A PlanLine is one line of an audit plan file: its line number and the
// plan it holds, or why it holds none.
type PlanLine struct {
	Line int
	Plan audit.Plan
	Err  error
}

// ReadAuditPlans reads a body's audit plans, one JSON object a line, each
// the body of POST /api/v1/audits (docs/AUDITS.md), and calls each with
// every line that holds something, in order, until each returns an error
// or the file ends. Blank lines are skipped. A line that is not such an
// object (not UTF-8, not one JSON object, a field the plan does not have,
// a value of the wrong type, over 1 MiB) is passed with its Err, naming
// the field where there is one, and the next line is read: one bad line
// loses nothing else. Memory stays bounded by the longest line allowed.
// Whether a plan is acceptable is not decided here but by package audit
// when the store reports it.
func ReadAuditPlans(r io.Reader, each func(PlanLine) error) error {
	s := &jsonlSource{br: bufio.NewReaderSize(r, 64<<10)}
	for n := 1; ; n++ {
		line, tooLong, err := s.readLine()
		if err != nil && err != io.EOF {
			return err
		}
		line = bytes.TrimSpace(line)
		if tooLong {
			if cerr := each(PlanLine{Line: n, Err: rowError(rowField, "line is over %d bytes", maxRowBytes)}); cerr != nil {
				return cerr
			}
		} else if len(line) > 0 {
			p, perr := parsePlan(line)
			if cerr := each(PlanLine{Line: n, Plan: p, Err: perr}); cerr != nil {
				return cerr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// parsePlan decodes one line's plan.
func parsePlan(line []byte) (audit.Plan, error) {
	var p audit.Plan
	if !utf8.Valid(line) {
		return p, rowError(rowField, "line is not valid UTF-8 text")
	}
	if line[0] != '{' {
		return p, rowError(rowField, "line is not a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(&p); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te) && te.Field != "":
			return audit.Plan{}, rowError(te.Field, "%s is not a %s", te.Field, te.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			if field == "" || len(field) > 64 || !utf8.ValidString(field) {
				return audit.Plan{}, rowError(rowField, "a plan has no such field")
			}
			return audit.Plan{}, rowError(field, "a plan has no field %q", field)
		case errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF):
			return audit.Plan{}, rowError(rowField, "line is not a JSON object: %s", jsonError(err))
		}
		return audit.Plan{}, rowError(rowField, "the plan cannot be read: %v", err) // a time not in RFC 3339, say
	}
	if d.More() {
		return audit.Plan{}, rowError(rowField, "line has more than one JSON value")
	}
	return p, nil
}
