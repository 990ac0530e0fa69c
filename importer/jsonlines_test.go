package importer

import (
	"errors"
	"strings"
	"testing"

	"trustmark"
)

type jsonLine struct {
	n    int
	data string
	err  error
}

func readLines(t *testing.T, text string) []jsonLine {
	t.Helper()
	var out []jsonLine
	err := ReadJSONLines(strings.NewReader(text), func(n int, data []byte, err error) error {
		out = append(out, jsonLine{n, string(data), err})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadJSONLines: each line that holds something is passed with its
// number, trimmed; blank lines are skipped; a line that is not UTF-8 or is
// over the bound is passed with an error naming the row, and the lines
// after it are still read, the last one without its end too.
func TestReadJSONLines(t *testing.T) {
	long := `{"a":"` + strings.Repeat("A", maxRowBytes+10) + `"}`
	got := readLines(t, "{\"a\":1}\n\n  \t\n\"\xff\"\n"+long+"\n  {\"b\":2}  ")
	want := []jsonLine{{1, `{"a":1}`, nil}, {4, "", errors.New("UTF-8")}, {5, "", errors.New("over")}, {6, `{"b":2}`, nil}}
	if len(got) != len(want) {
		t.Fatalf("lines %+v, want %d", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.n != w.n {
			t.Errorf("item %d is line %d, want %d", i, g.n, w.n)
		}
		if w.err == nil {
			if g.err != nil || g.data != w.data {
				t.Errorf("line %d = %q, %v; want %q", g.n, g.data, g.err, w.data)
			}
			continue
		}
		if g.err == nil || !strings.Contains(g.err.Error(), w.err.Error()) || trustmark.ErrorField(g.err) != rowField || g.data != "" {
			t.Errorf("line %d: %q, %v; want an error about %s naming the row, and no data", g.n, g.data, g.err, w.err)
		}
	}
}

// TestReadJSONLinesStops: an error from each ends the reading with it.
func TestReadJSONLinesStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ReadJSONLines(strings.NewReader("{}\n{}\n{}\n"), func(int, []byte, error) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("err %v after %d lines, want stop after 1", err, n)
	}
}

// FuzzReadJSONLines: whatever the file, the lines passed have growing
// numbers, each holds data or an error, never both, the data is trimmed
// UTF-8 no longer than the bound, and nothing panics.
func FuzzReadJSONLines(f *testing.F) {
	f.Add([]byte("{\"certificate\":\"00126Q30001R0M\"}\n\n{\"a\":1}{\"b\":2}"))
	f.Add([]byte("\xff\xfe{}\r\n  \n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := ReadJSONLines(strings.NewReader(string(data)), func(n int, line []byte, err error) error {
			if n <= last {
				t.Fatalf("line %d after line %d", n, last)
			}
			last = n
			switch {
			case err != nil && len(line) > 0:
				t.Fatalf("line %d has data and an error", n)
			case err == nil && (len(line) == 0 || len(line) > maxRowBytes || string(line) != strings.TrimSpace(string(line))):
				t.Fatalf("line %d: %q", n, line)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading from memory failed: %v", err)
		}
	})
}
