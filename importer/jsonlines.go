package importer

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"trustmark"
)

// ReadJSONLines reads a file of JSON Lines (one value a line; the audit
// plans a body reports, docs/AUDITS.md) and calls each with every line
// that holds something, in order, until each returns an error or the file
// ends. Blank lines are skipped. A line over 1 MiB (read to its end
// without being held) or not UTF-8 text is passed with its err instead of
// its data, and the next line is read: one bad line loses nothing else.
// The caller decodes data (the JSON adapter, http.DecodeAuditPlan, says
// what a plan's fields are); memory stays bounded by the longest line
// allowed.
func ReadJSONLines(r io.Reader, each func(line int, data []byte, err error) error) error {
	s := &jsonlSource{br: bufio.NewReaderSize(r, 64<<10)}
	for n := 1; ; n++ {
		data, tooLong, err := s.readLine()
		if err != nil && err != io.EOF {
			return err
		}
		data = bytes.TrimSpace(data)
		var lerr error
		switch {
		case tooLong:
			lerr = trustmark.Invalidf("jsonl.too_long", rowField, "line is over %d bytes", maxRowBytes)
		case !utf8.Valid(data):
			lerr = trustmark.Invalidf("jsonl.utf8", rowField, "line is not valid UTF-8 text")
		}
		if lerr != nil {
			data = nil
		}
		if lerr != nil || len(data) > 0 {
			if cerr := each(n, data, lerr); cerr != nil {
				return cerr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}
