package bulk

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"trustmark/locale"
)

// Line is one row of the input: the person's own cells (nil for an item
// that was pasted) and its answer (nil for a blank row, which is kept in
// place but not verified).
type Line struct {
	Cells  []string
	Result *Result
}

// Sheet is the download of a verification, in the reader's language: a
// summary line (counts by result), the header (the input's own columns,
// then the result's) and one row per input row, in the input's order.
type Sheet struct {
	Summary string
	Header  []string
	Rows    [][]string
}

// NewSheet lays out lines under the input's header (nil when there was
// none: the input columns are then named by position) with the result
// columns of m after them. width is the number of input columns; link
// makes a result's URL absolute.
func NewSheet(m *locale.Messages, header []string, width int, lines []Line, link func(string) string) Sheet {
	s := Sheet{Header: make([]string, 0, width+len(m.Bulk.Columns))}
	for i := range width {
		h := ""
		if i < len(header) {
			h = header[i]
		}
		if h == "" {
			h = fmt.Sprintf(m.Portal.InputColumn, i+1)
		}
		s.Header = append(s.Header, h)
	}
	s.Header = append(s.Header, m.Bulk.Columns...)
	var results []Result
	blanks := 0
	for _, l := range lines {
		row := make([]string, width, width+len(m.Bulk.Columns))
		copy(row, l.Cells)
		if l.Result == nil {
			blanks++
			row = append(row, "", "", "", "", m.Portal.BlankRow, "", "", "", "")
		} else {
			results = append(results, *l.Result)
			row = append(row, resultCells(m, *l.Result, link)...)
		}
		s.Rows = append(s.Rows, row)
	}
	s.Summary = Summary(m, results, blanks)
	return s
}

// resultCells is a result in the columns of m.Bulk.Columns.
func resultCells(m *locale.Messages, r Result, link func(string) string) []string {
	found := m.Bulk.No
	if r.Found {
		found = m.Bulk.Yes
	}
	u := r.URL
	if u != "" && link != nil {
		u = link(u)
	}
	typ := ""
	if r.Type != "" {
		typ = m.CertTypeName(r.Type) // the catalogue's name, as the page says it
	}
	return []string{r.Item, found, KindText(m, r.Kind), StatusText(m, r), r.Reason, typ, r.Name, r.ExpiresOn, u}
}

// Summary says how many rows were checked and how many had each result:
// "共 7 行：有效 3，暂停 1，未找到 2，空行 1". Results are counted by their
// status word in the order they first appear; not found and blank rows
// come last.
func Summary(m *locale.Messages, results []Result, blanks int) string {
	p := message.NewPrinter(language.English) // 1,234 in both languages
	var order []string
	counts := map[string]int{}
	notFound := 0
	for _, r := range results {
		if !r.Found {
			notFound++
			continue
		}
		w := StatusText(m, r)
		if counts[w] == 0 {
			order = append(order, w)
		}
		counts[w]++
	}
	var parts []string
	add := func(word string, n int) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf(m.Portal.SummaryCount, p.Sprintf("%d", n), word))
		}
	}
	for _, w := range order {
		add(w, counts[w])
	}
	add(m.Bulk.NotFound, notFound)
	add(m.Portal.Blank, blanks)
	return fmt.Sprintf(m.Portal.Summary, p.Sprintf("%d", len(results)+blanks), strings.Join(parts, m.Portal.SummarySep))
}
