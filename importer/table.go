package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"trustmark"
)

// Table reads the rows of an uploaded table as they are, with no header
// and no kind: the first sheet of an XLSX workbook, or CSV in UTF-8,
// UTF-16 or GBK/GB18030, read as the import reads them and within the same
// kind of Limits. Bulk verification reads its uploads with it.
type Table struct {
	csv   *csvSource
	sheet *sheetReader
	close func() error
	lim   Limits
	rows  int
}

// OpenTable opens the table in r: XLSX by its zip signature, CSV otherwise.
// Errors that come from a limit are too_large *trustmark.Error values whose
// Reason is one of the Reason constants.
func OpenTable(r io.ReadSeeker, lim Limits) (*Table, error) {
	lim = lim.orDefault()
	head := make([]byte, len(zipMagic))
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	t := &Table{lim: lim}
	if bytes.Equal(head[:n], zipMagic) {
		_, sr, cleanup, err := openSheetOf(r, "", lim)
		if err != nil {
			return nil, err
		}
		t.sheet, t.close = sr, cleanup
		return t, nil
	}
	s, err := newCSVSource("upload", r, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	s.cr.LazyQuotes = true // people's lists of numbers, not registry files: be lenient
	t.csv, t.close = s, func() error { return nil }
	return t, nil
}

// Next returns the cells of the next row with any text, or io.EOF after the
// last. The slice is reused by the next call.
func (t *Table) Next() ([]string, error) {
	if t.sheet != nil {
		row, err := t.sheet.next()
		if err != nil {
			return nil, err
		}
		if row.err != nil {
			e := *row.err
			if e.Reason == ReasonCellBytes {
				e = *tooLarge("", ReasonCellBytes, int64(t.lim.CellBytes))
			}
			e.Field = "file"
			return nil, &e
		}
		return row.cells, nil
	}
	rec, err := t.csv.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, err
		case errors.Is(err, errRowTooLong):
			return nil, tooLarge("file", ReasonRowBytes, maxRowBytes)
		case errors.As(err, &pe):
			return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the CSV file is malformed at line %d", pe.Line)
		}
		return nil, fmt.Errorf("the file cannot be read: %w", err)
	}
	if t.rows++; t.rows > t.lim.Rows {
		return nil, tooLarge("file", ReasonRows, int64(t.lim.Rows))
	}
	for _, c := range rec {
		if len(c) > t.lim.CellBytes {
			return nil, tooLarge("file", ReasonCellBytes, int64(t.lim.CellBytes))
		}
	}
	return rec, nil
}

// Close releases what the table holds (a workbook's temporary files).
func (t *Table) Close() error { return t.close() }
