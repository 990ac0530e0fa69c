package main

import (
	"fmt"
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// pinyinArgs asks for every reading of a character, without tones; ü is
// written v (绿 lv), which keeps the names ASCII.
var pinyinArgs = pinyin.Args{Style: pinyin.Normal, Heteronym: true}

// readings returns the toneless readings of r, the most common first.
func readings(r rune) []string { return pinyin.SinglePinyin(r, pinyinArgs) }

// romanize writes a place name (without its administrative suffix) as one
// word of Hanyu Pinyin: 海淀 → Haidian, 西安 → Xi'an. A name of stemSpelling
// is written as given there; otherwise each character takes its place-name
// reading from placeReading, else the library's first reading. name is the
// full name, for -review.
func (g *generator) romanize(stem, name string) (string, error) {
	if s, ok := stemSpelling[stem]; ok {
		return s, nil
	}
	var b strings.Builder
	for i, r := range stem {
		rs := readings(r)
		if len(rs) == 0 {
			return "", fmt.Errorf("%q has no pinyin", r)
		}
		syl, ok := placeReading[r]
		if !ok {
			syl = rs[0]
			if distinct(rs) {
				g.unsettled[r] = appendOnce(g.unsettled[r], name)
			}
		}
		// A syllable starting with a, o or e after another is marked with
		// an apostrophe (Xi'an, Lu'an), as the pinyin orthography rules have.
		if i > 0 && strings.IndexByte("aoe", syl[0]) >= 0 {
			b.WriteByte('\'')
		}
		b.WriteString(syl)
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:], nil
}

// distinct reports whether readings differ other than by tone.
func distinct(rs []string) bool {
	for _, r := range rs[1:] {
		if r != rs[0] {
			return true
		}
	}
	return false
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
