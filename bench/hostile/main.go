// Command hostile writes the hostile files of issue 16's probe (package
// importer/hostile) and measures what they cost:
//
//	go run ./bench/hostile write DIR       write every file into DIR
//	go run ./bench/hostile measure         peak heap of reading each, as trustmark import does
//	go run ./bench/hostile measure -excelize   the same through excelize, the reader before (slow; GBs)
//	go run ./bench/hostile rows -n 200000  rows/s and peak heap of a plain workbook, new reader and excelize
//	go run ./bench/hostile upload -url http://127.0.0.1:8080 -pid PID [-n 30]
//	                                       n concurrent uploads of each file to /verify; the server's peak RSS
//
// docs/BENCHMARKS.md ("Hardening") records the figures.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"trustmark"
	"trustmark/importer"
	"trustmark/importer/hostile"
)

var certHeader = []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "issued_on", "expires_on"}

// files are the probe's files at the probe's sizes.
var files = []struct {
	name  string
	write func(io.Writer) error
	big   bool // excelize needs many GB for it: only with -big
}{
	{"cell60m.xlsx", func(w io.Writer) error { return hostile.InlineCell(w, certHeader, 60<<20) }, false},
	{"cell1g.xlsx", func(w io.Writer) error { return hostile.InlineCell(w, certHeader, 1<<30) }, false},
	{"space3g.xlsx", func(w io.Writer) error { return hostile.Whitespace(w, certHeader, 3<<30) }, true},
	{"sst1g.xlsx", func(w io.Writer) error { return hostile.GiantSharedString(w, certHeader, 1<<30) }, false},
	{"sst10m.xlsx", func(w io.Writer) error { return hostile.ManySharedStrings(w, certHeader, 10_000_000) }, true},
	{"runs64m.xlsx", func(w io.Writer) error { return hostile.RichTextCell(w, certHeader, 64<<20) }, false},
	{"cells1m.xlsx", func(w io.Writer) error { return hostile.ManyCells(w, certHeader, 1<<20) }, false},
	{"deep.xlsx", func(w io.Writer) error { return hostile.Nested(w, certHeader, 1<<20) }, false},
	{"parts20k.xlsx", func(w io.Writer) error { return hostile.ManyEntries(w, certHeader, 20000) }, false},
	{"line256m.csv", func(w io.Writer) error { return hostile.LongLine(w, certHeader, 256<<20) }, false},
}

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: hostile write DIR | measure [-excelize] [-big] | rows [-n N] | upload -url URL [-pid PID] [-n N]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	useExcelize := fs.Bool("excelize", false, "measure excelize (the reader before) as well")
	big := fs.Bool("big", false, "with -excelize, include the files excelize needs many GB for")
	n := fs.Int("n", 0, "rows (rows) or concurrent uploads (upload)")
	url := fs.String("url", "", "the server's base URL (upload)")
	pid := fs.Int("pid", 0, "the server's process id, to read its peak memory (upload)")
	fs.Parse(os.Args[2:])
	switch os.Args[1] {
	case "write":
		if fs.NArg() != 1 {
			log.Fatal("usage: hostile write DIR")
		}
		write(fs.Arg(0))
	case "measure":
		measure(*useExcelize, *big)
	case "rows":
		rows(max(*n, 1000))
	case "upload":
		if *url == "" {
			log.Fatal("upload needs -url")
		}
		upload(*url, *pid, max(*n, 1))
	default:
		log.Fatalf("unknown mode %q", os.Args[1])
	}
}

func generate(write func(io.Writer) error) []byte {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

func write(dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		data := generate(f.write)
		if err := os.WriteFile(filepath.Join(dir, f.name), data, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-14s %10d bytes\n", f.name, len(data))
	}
}

// readAll reads a file as trustmark import does and returns how it ended.
func readAll(name string, data []byte) string {
	src, err := importer.Open(name, bytes.NewReader(data), trustmark.KindCertificates, importer.OpenOptions{})
	if err != nil {
		return outcome(err)
	}
	defer src.Close()
	rejected := 0
	for {
		it, err := src.Next()
		if err == io.EOF {
			return fmt.Sprintf("read; %d rows rejected", rejected)
		}
		if err != nil {
			return outcome(err)
		}
		if it.Err != nil {
			rejected++
		}
	}
}

func outcome(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) && e.Reason != "" {
		return "refused: " + e.Reason + " " + fmt.Sprint(e.Args...)
	}
	s := err.Error()
	return "refused: " + s[:min(len(s), 60)]
}

// readExcelize reads the first sheet with excelize's streaming rows, as
// the importer did before.
func readExcelize(data []byte) string {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 4 << 30})
	if err != nil {
		return outcome(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		return outcome(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if _, err := rows.Columns(); err != nil {
			return outcome(err)
		}
		n++
	}
	return fmt.Sprintf("read %d rows", n)
}

func measure(useExcelize, big bool) {
	fmt.Printf("%-14s %10s  %-12s %8s  %s\n", "file", "bytes", "reader", "heap MiB", "outcome")
	for _, f := range files {
		if strings.HasSuffix(f.name, ".csv") && useExcelize {
			continue
		}
		data := generate(f.write)
		var out string
		start := time.Now()
		peak := hostile.PeakHeap(func() { out = readAll(f.name, data) })
		fmt.Printf("%-14s %10d  %-12s %8.1f  %s (%.2fs)\n", f.name, len(data), "trustmark", mib(peak), out, time.Since(start).Seconds())
		if useExcelize && (!f.big || big) && strings.HasSuffix(f.name, ".xlsx") {
			start := time.Now()
			peak := hostile.PeakHeap(func() { out = readExcelize(data) })
			fmt.Printf("%-14s %10d  %-12s %8.1f  %s (%.2fs)\n", f.name, len(data), "excelize", mib(peak), out, time.Since(start).Seconds())
		}
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// rows writes a workbook of n certificate rows as Excel does (shared
// strings) and reads it with the new reader and with excelize.
func rows(n int) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		log.Fatal(err)
	}
	head := make([]any, len(certHeader))
	for i, h := range certHeader {
		head[i] = h
	}
	sw.SetRow("A1", head)
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{fmt.Sprintf("00124Q%07dR0M", i), "QMS", "CNCA-R-2002-001", string(trustmark.MakeUSCC(fmt.Sprintf("91350100M%07d", i%5000))),
			"家用电器的设计和生产", "2024-03-01", "2027-02-28"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	data := buf.Bytes()
	for _, r := range []struct {
		name string
		read func() string
	}{
		{"trustmark", func() string { return readAll("certs.xlsx", data) }},
		{"excelize", func() string { return readExcelize(data) }},
	} {
		var out string
		start := time.Now()
		peak := hostile.PeakHeap(func() { out = r.read() })
		secs := time.Since(start).Seconds()
		fmt.Printf("%-10s %d rows (%d bytes): %.0f rows/s, heap +%.1f MiB, %s\n", r.name, n, len(data), float64(n)/secs, mib(peak), out)
	}
}

// upload sends n concurrent uploads of each hostile file to url's /verify
// page and reports the answers and the server's peak memory (VmHWM).
func upload(url string, pid, n int) {
	fmt.Printf("server peak RSS before: %s\n", peakRSS(pid))
	for _, f := range files {
		data := generate(f.write)
		codes := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				mw.WriteField("format", "html")
				fw, _ := mw.CreateFormFile("file", f.name)
				fw.Write(data)
				mw.Close()
				req, _ := http.NewRequest("POST", url+"/verify", &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("X-Forwarded-For", "192.0.2."+strconv.Itoa(i)) // believed only with --trusted-proxy
				resp, err := http.DefaultClient.Do(req)
				code := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		fmt.Printf("%-14s %10d bytes x %d: %v in %.2fs; server peak RSS %s\n", f.name, len(data), n, codes, time.Since(start).Seconds(), peakRSS(pid))
	}
}

// peakRSS reads a process's peak resident set size from /proc.
func peakRSS(pid int) string {
	if pid == 0 {
		return "(no -pid)"
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err.Error()
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
		}
	}
	return "?"
}
