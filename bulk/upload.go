package bulk

import (
	"bytes"
	"io"
	"strings"

	"trustmark"
	"trustmark/importer"
)

// Upload is an uploaded table as the person sent it: its header, every
// data row in order (blank rows included, so that answers line up with the
// input) and the column that holds the items.
type Upload struct {
	Header []string   // the header row; nil when the table has none
	Rows   [][]string // the data rows, in order, each cell as read
	Col    int        // the column of items
}

// Items returns the item of each row, trimmed: "" for a row whose item
// cell is blank or missing. len(Items()) == len(Rows).
func (u *Upload) Items() []string {
	out := make([]string, len(u.Rows))
	for i, row := range u.Rows {
		if u.Col < len(row) {
			out[i] = strings.TrimSpace(row[u.Col])
		}
	}
	return out
}

// Width is the most cells of any row or the header.
func (u *Upload) Width() int {
	w := len(u.Header)
	for _, r := range u.Rows {
		w = max(w, len(r))
	}
	return w
}

// ReadUpload reads an uploaded table (see ReadItemsFrom for the formats
// and how the column and header are found) keeping every row. Blank rows
// at the end of the table are dropped (spreadsheets leave them); more than
// max items, or a file past one of the upload limits, is too_large.
func ReadUpload(data []byte, max int) (*Upload, error) {
	return ReadUploadFrom(bytes.NewReader(data), max)
}

// ReadUploadFrom is ReadUpload streaming from r.
func ReadUploadFrom(r io.ReadSeeker, max int) (*Upload, error) {
	t, err := importer.OpenTable(r, uploadLimits)
	if err != nil {
		return nil, tableError(err)
	}
	defer t.Close()
	u := &Upload{}
	items, n := 0, 0
	for {
		rec, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, tableError(err)
		}
		n++
		rec = append([]string(nil), rec...)
		if n == 1 {
			if col, header := headerOf(rec); header {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
				u.Header, u.Col = rec, col
				continue
			}
		}
		u.Rows = append(u.Rows, rec)
		if u.Col < len(rec) && strings.TrimSpace(rec[u.Col]) != "" {
			if items++; items > max {
				e := trustmark.Errorf(trustmark.ETooLarge, "file", "the file has more than %d items; split it", max)
				e.Reason, e.Args = ReasonItems, []any{max}
				return nil, e
			}
		}
	}
	for len(u.Rows) > 0 && blankRow(u.Rows[len(u.Rows)-1]) {
		u.Rows = u.Rows[:len(u.Rows)-1]
	}
	return u, nil
}

// headerOf tells whether a first row is a header and which column it
// names: a known title picks its column; a first cell without digits is a
// header we do not know (the first column).
func headerOf(rec []string) (col int, header bool) {
	for i, c := range rec {
		if headerNames[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))] {
			return i, true
		}
	}
	if len(rec) > 0 && !strings.ContainsFunc(rec[0], func(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }) {
		return 0, true
	}
	return 0, false
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
