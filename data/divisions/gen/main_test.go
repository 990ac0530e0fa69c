package main

import (
	"bytes"
	"os"
	"testing"
)

// TestNamesAreGenerated checks that names_en.csv is what the generator
// writes from the source files and tables today, so that a hand edit or a
// forgotten `go generate` fails here rather than on a page.
func TestNamesAreGenerated(t *testing.T) {
	divs, err := readDivisions("..")
	if err != nil {
		t.Fatal(err)
	}
	names, err := newGenerator(divs).names()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := writeNames(&want, divs, names); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../names_en.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("data/divisions/names_en.csv is not what the generator writes: run `go generate ./` at the module root")
	}
}

func TestRomanize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"海淀", "Haidian"},
		{"西安", "Xi'an"},    // apostrophe before a syllable starting with a vowel
		{"长沙", "Changsha"}, // placeReading: 长 is zhang first in go-pinyin
		{"长子", "Zhangzi"},  // stemSpelling: but not here
		{"绿园", "Lvyuan"},   // ü is written v
		{"鄂尔多斯", "Ordos"},  // conventional form
	}
	g := newGenerator(nil)
	for _, tt := range tests {
		t.Run(tt.in+" is "+tt.want, func(t *testing.T) {
			got, err := g.romanize(tt.in, tt.in)
			if err != nil || got != tt.want {
				t.Errorf("romanize(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
