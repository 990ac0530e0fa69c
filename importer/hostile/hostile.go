// Package hostile writes the files an attacker would upload or hand to
// `trustmark import` to exhaust the server's memory: workbooks a few
// hundred kilobytes long that decompress to gigabytes (one enormous cell,
// gigabytes of whitespace between the sheet's elements, a shared strings
// table of millions of entries or one giant entry, elements nested without
// end, zip directories of thousands of entries) and a CSV file of one endless
// line. The readers' tests and bench/hostile use them; docs/SECURITY.md
// lists what each proves.
//
// The big entries are not compressed byte by byte: a deflate block that
// encodes one chunk of a repeated pattern decodes to the same chunk after
// any window that ends in the pattern, so the block is written as many
// times as needed. A 1 GiB cell takes a second to write.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// chunkBytes is how much of a repeated pattern one copied deflate block
// holds. Patterns must divide it.
const chunkBytes = 1 << 20

// part is one entry of a workbook: its text, or a prefix, a pattern
// repeated to fill bytes, and a suffix.
type part struct {
	name           string
	prefix, suffix string
	pattern        string
	bytes          int64 // length of the repeated pattern, a multiple of chunkBytes
}

// writeZip writes the parts as a zip file.
func writeZip(w io.Writer, parts []part) error {
	zw := zip.NewWriter(w)
	for _, p := range parts {
		if p.bytes == 0 {
			f, err := zw.Create(p.name)
			if err != nil {
				return err
			}
			if _, err := io.WriteString(f, p.prefix+p.suffix); err != nil {
				return err
			}
			continue
		}
		if err := writeRepeated(zw, p); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeRepeated writes a part whose middle is p.pattern repeated to
// p.bytes, as one raw deflate entry made of a head, one chunk's block
// repeated and a tail.
func writeRepeated(zw *zip.Writer, p part) error {
	if p.bytes%chunkBytes != 0 || chunkBytes%len(p.pattern) != 0 {
		return fmt.Errorf("hostile: %s: %d bytes of a %d-byte pattern do not fill whole chunks", p.name, p.bytes, len(p.pattern))
	}
	chunk := []byte(strings.Repeat(p.pattern, chunkBytes/len(p.pattern)))
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		return err
	}
	// The head is the prefix and the first chunk; the repeated block is
	// the second chunk, whose window is then all pattern.
	fw.Write([]byte(p.prefix))
	fw.Write(chunk)
	fw.Flush()
	head := bytes.Clone(comp.Bytes())
	comp.Reset()
	fw.Write(chunk)
	fw.Flush()
	block := bytes.Clone(comp.Bytes())
	comp.Reset()
	fw.Write([]byte(p.suffix))
	fw.Close()
	tail := comp.Bytes()

	n := p.bytes / chunkBytes // chunks in all: the head's and n-1 blocks
	crc := crc32.Update(0, crc32.IEEETable, []byte(p.prefix))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(p.suffix))
	h := &zip.FileHeader{
		Name:               p.name,
		Method:             zip.Deflate,
		CRC32:              crc,
		CompressedSize64:   uint64(len(head)) + uint64(n-1)*uint64(len(block)) + uint64(len(tail)),
		UncompressedSize64: uint64(len(p.prefix)) + uint64(p.bytes) + uint64(len(p.suffix)),
	}
	f, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	if _, err := f.Write(head); err != nil {
		return err
	}
	for range n - 1 {
		if _, err := f.Write(block); err != nil {
			return err
		}
	}
	_, err = f.Write(tail)
	return err
}

// The parts every workbook has, with one sheet and, when shared is set, a
// shared strings table.
func skeleton(shared bool) []part {
	ct := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	rels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
	if shared {
		ct += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	return []part{
		{name: "[Content_Types].xml", prefix: ct + `</Types>`},
		{name: "_rels/.rels", prefix: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", prefix: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", prefix: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`},
	}
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

const sheetTail = `</sheetData></worksheet>`

// headerRow is row 1 of a sheet: header as inline strings.
func headerRow(header []string) string {
	var b strings.Builder
	b.WriteString(`<row r="1">`)
	for i, h := range header {
		fmt.Fprintf(&b, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, column(i), h)
	}
	b.WriteString(`</row>`)
	return b.String()
}

// column returns the letters of the i-th column, from 0.
func column(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// roundUp rounds n up to whole chunks (at least one).
func roundUp(n int64) int64 {
	return max(1, (n+chunkBytes-1)/chunkBytes) * chunkBytes
}

// InlineCell writes a workbook whose sheet has header in row 1 and, in A2,
// one inline string of cellBytes letters (rounded up to whole MiB). 60 MiB
// take 63 KB, 1 GiB about 1 MB.
func InlineCell(w io.Writer, header []string, cellBytes int64) error {
	return writeZip(w, append(skeleton(false), part{
		name:    "xl/worksheets/sheet1.xml",
		prefix:  sheetHead + headerRow(header) + `<row r="2"><c r="A2" t="inlineStr"><is><t>`,
		pattern: "A", bytes: roundUp(cellBytes),
		suffix: `</t></is></c></row>` + sheetTail,
	}))
}

// Whitespace writes a workbook whose sheet holds spaceBytes of whitespace
// (rounded up to whole MiB) between row 1 and row 2: valid XML, one text
// token as long as the whitespace. 3 GiB take about 3 MB.
func Whitespace(w io.Writer, header []string, spaceBytes int64) error {
	return writeZip(w, append(skeleton(false), part{
		name:    "xl/worksheets/sheet1.xml",
		prefix:  sheetHead + headerRow(header),
		pattern: " \n", bytes: roundUp(spaceBytes),
		suffix: `<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>` + sheetTail,
	}))
}

// ManySharedStrings writes a workbook whose shared strings table has n
// entries (rounded up to fill whole MiB) of 16 bytes of text each, every
// one used by no cell: a table a reader that indexes every entry pays for
// in full.
func ManySharedStrings(w io.Writer, header []string, n int64) error {
	const item = `<si><t>0123456789abcdef</t></si>` // 32 bytes
	return writeZip(w, append(skeleton(true),
		part{name: "xl/sharedStrings.xml",
			prefix:  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`,
			pattern: item, bytes: roundUp(n * int64(len(item))),
			suffix: `</sst>`},
		part{name: "xl/worksheets/sheet1.xml", prefix: sheetHead + headerRow(header) + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>` + sheetTail},
	))
}

// GiantSharedString writes a workbook whose shared strings table has one
// entry of itemBytes letters (rounded up to whole MiB), used in A2.
func GiantSharedString(w io.Writer, header []string, itemBytes int64) error {
	return writeZip(w, append(skeleton(true),
		part{name: "xl/sharedStrings.xml",
			prefix:  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`,
			pattern: "A", bytes: roundUp(itemBytes),
			suffix: `</t></si></sst>`},
		part{name: "xl/worksheets/sheet1.xml", prefix: sheetHead + headerRow(header) + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>` + sheetTail},
	))
}

// RichTextCell writes a workbook whose A2 is an inline string of many
// short rich-text runs adding up to cellBytes (rounded up to whole MiB):
// every token is small, the cell is not.
func RichTextCell(w io.Writer, header []string, cellBytes int64) error {
	const run = `<r><t>ABCDEFGHIJKLMNOPQRSTUVWXYZ01234</t></r>` // 31 bytes of text, padded to 64
	return writeZip(w, append(skeleton(false), part{
		name:    "xl/worksheets/sheet1.xml",
		prefix:  sheetHead + headerRow(header) + `<row r="2"><c r="A2" t="inlineStr"><is>`,
		pattern: padTo(run, 64), bytes: roundUp(cellBytes * 2),
		suffix: `</is></c></row>` + sheetTail,
	}))
}

// ManyCells writes a workbook whose row 2 holds cells of one letter each
// adding up to rowBytes of text (rounded up): every cell is small, the row
// is not. The cells carry no reference, so each is the next column.
func ManyCells(w io.Writer, header []string, rowBytes int64) error {
	const cell = `<c t="inlineStr"><is><t>A</t></is></c>` // 1 byte of text, padded to 64
	return writeZip(w, append(skeleton(false), part{
		name:    "xl/worksheets/sheet1.xml",
		prefix:  sheetHead + headerRow(header) + `<row r="2">`,
		pattern: padTo(cell, 64), bytes: roundUp(rowBytes * 64),
		suffix: `</row>` + sheetTail,
	}))
}

// ManyRows writes a workbook with header in row 1 and then rows empty
// rows of one blank cell each (rounded up to fill whole MiB).
func ManyRows(w io.Writer, header []string, rows int64) error {
	const row = `<row><c t="inlineStr"><is><t> </t></is></c></row>` // 48 bytes
	return writeZip(w, append(skeleton(false), part{
		name:    "xl/worksheets/sheet1.xml",
		prefix:  sheetHead + headerRow(header),
		pattern: padTo(row, 64), bytes: roundUp(rows * 64),
		suffix: sheetTail,
	}))
}

// Nested writes a workbook whose A2 opens depth elements inside one another
// (rounded up to fill whole MiB): a decoder that keeps a stack of open
// elements grows it without end.
func Nested(w io.Writer, header []string, depth int64) error {
	return writeZip(w, append(skeleton(false), part{
		name:    "xl/worksheets/sheet1.xml",
		prefix:  sheetHead + headerRow(header) + `<row r="2"><c r="A2" t="inlineStr"><is>`,
		pattern: "<aa>", bytes: roundUp(depth * 4),
		suffix: `</is></c></row>` + sheetTail,
	}))
}

// padTo pads an element with spaces inside its first tag to n bytes, so
// that it divides a chunk.
func padTo(elem string, n int) string {
	i := strings.IndexByte(elem, '>')
	return elem[:i] + strings.Repeat(" ", n-len(elem)) + elem[i:]
}

// ManyEntries writes a workbook with n more zip entries than it needs,
// each empty: its directory alone is megabytes for a reader to hold.
func ManyEntries(w io.Writer, header []string, n int) error {
	parts := append(skeleton(false), part{name: "xl/worksheets/sheet1.xml", prefix: sheetHead + headerRow(header) + sheetTail})
	for i := range n {
		parts = append(parts, part{name: fmt.Sprintf("xl/media/padding%07d.bin", i)})
	}
	return writeZip(w, parts)
}

// LongLine writes a CSV file with header on its first line and then one
// line of lineBytes letters with no end.
func LongLine(w io.Writer, header []string, lineBytes int64) error {
	if _, err := io.WriteString(w, strings.Join(header, ",")+"\n"); err != nil {
		return err
	}
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for n := int64(0); n < lineBytes; n += int64(len(chunk)) {
		if _, err := w.Write(chunk[:min(int64(len(chunk)), lineBytes-n)]); err != nil {
			return err
		}
	}
	return nil
}
