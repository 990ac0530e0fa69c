// Command gen writes data/divisions/names_en.csv, the English name of every
// division of provinces.csv, cities.csv and areas.csv: provinces by their
// official English names, cities and counties in Hanyu Pinyin with the
// administrative suffix translated (海淀区 → Haidian District, 黄南藏族自治州 →
// Huangnan Tibetan Autonomous Prefecture).
//
// The names are generated once and committed, so the server does not depend
// on the pinyin library, and each run gives the same file. Romanisation is
// github.com/mozillazg/go-pinyin (one reading per character, no phrases),
// corrected by the tables of tables.go where place names read a polyphonic
// character otherwise (重庆 Chongqing, 长沙 Changsha, 六安 Lu'an).
//
// From the module root:
//
//	go generate ./                 # or: go run ./data/divisions/gen
//	go run ./data/divisions/gen -review
//
// -review lists, instead of writing the file, each polyphonic character whose
// reading the tables do not settle, with the names that use it: run it after
// the source files change, and add each character to checked, placeReading
// or stemSpelling. (A new name with an already checked character still
// deserves a look at its line in names_en.csv.)
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	dir := flag.String("dir", "data/divisions", "directory of provinces.csv, cities.csv and areas.csv")
	review := flag.Bool("review", false, "list unsettled polyphonic characters instead of writing names_en.csv")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	divs, err := readDivisions(*dir)
	if err != nil {
		log.Fatal(err)
	}
	g := newGenerator(divs)
	names, err := g.names()
	if err != nil {
		log.Fatal(err)
	}
	if *review {
		g.writeReview(os.Stdout)
		return
	}
	var buf bytes.Buffer
	if err := writeNames(&buf, divs, names); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*dir, "names_en.csv"), buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// division is one row of the source files. Code is as written there: 2
// digits for a province, 4 for a city, 6 for a county-level area.
type division struct {
	Code, Name string
	Parent     string // code of the city (areas) or province (cities)
}

func (d division) level() int { return len(d.Code) / 2 }

// readDivisions reads the three source files in their order.
func readDivisions(dir string) ([]division, error) {
	var out []division
	for _, name := range []string{"provinces.csv", "cities.csv", "areas.csv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, row := range rows[1:] {
			d := division{Code: row[0], Name: row[1]}
			if len(row) > 2 {
				d.Parent = row[2]
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// writeNames writes code,name_en in the order of divs.
func writeNames(w io.Writer, divs []division, names map[string]string) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "name_en"})
	for _, d := range divs {
		cw.Write([]string{d.Code, names[d.Code]})
	}
	cw.Flush()
	return cw.Error()
}

// generator turns divisions into English names.
type generator struct {
	divs []division
	// stems maps the short Chinese name of each province and city (河北,
	// 唐山) to its English, for the names of development zones that start
	// with them (河北唐山芦台经济开发区).
	stems map[string]string
	// unsettled records, for -review, each polyphonic character read by
	// the library's first reading, with the names it occurs in.
	unsettled map[rune][]string
}

func newGenerator(divs []division) *generator {
	return &generator{divs: divs, stems: map[string]string{}, unsettled: map[rune][]string{}}
}

// names returns the English name of every division by code. Provinces and
// cities come first, so that area names can use their stems.
func (g *generator) names() (map[string]string, error) {
	out := map[string]string{}
	var errs []string
	for _, d := range g.divs {
		var en string
		var err error
		switch d.level() {
		case 1:
			en, err = g.province(d)
		case 2:
			en, err = g.city(d)
		case 3:
			en, err = g.area(d)
		default:
			err = fmt.Errorf("code has %d digits", len(d.Code))
		}
		if err == nil && !isASCII(en) {
			err = fmt.Errorf("English name %q is not ASCII", en)
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s %s: %v", d.Code, d.Name, err))
			continue
		}
		out[d.Code] = en
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%d names failed:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	return out, nil
}

func (g *generator) province(d division) (string, error) {
	p, ok := provinces[d.Code]
	if !ok {
		return "", fmt.Errorf("no English name in the provinces table")
	}
	if !strings.HasPrefix(d.Name, p.short) {
		return "", fmt.Errorf("the provinces table says %s", p.short)
	}
	g.stems[p.short] = p.en
	return p.en, nil
}

func (g *generator) city(d division) (string, error) {
	if en, ok := codeNames[d.Code]; ok {
		return en, nil
	}
	if en, ok := placeholders[d.Name]; ok {
		return en, nil
	}
	if stem, ok := strings.CutSuffix(d.Name, "自治州"); ok {
		place, word, en, err := g.autonomous(stem, "Autonomous Prefecture", d.Name)
		g.stems[place] = word
		return en, err
	}
	for _, s := range []struct{ zh, en string }{{"地区", " Prefecture"}, {"盟", " League"}, {"市", ""}} {
		if stem, ok := strings.CutSuffix(d.Name, s.zh); ok && stem != "" {
			word, err := g.romanize(stem, d.Name)
			g.stems[stem] = word
			return word + s.en, err
		}
	}
	return "", fmt.Errorf("no rule for this kind of city")
}

func (g *generator) area(d division) (string, error) {
	if en, ok := codeNames[d.Code]; ok {
		return en, nil
	}
	name := d.Name
	for _, z := range zones {
		if head, ok := strings.CutSuffix(name, z.zh); ok && len([]rune(head)) >= 2 {
			words, err := g.zoneHead(head, name)
			return words + " " + z.en, err
		}
	}
	for _, a := range []struct{ zh, en string }{{"自治县", "Autonomous County"}, {"自治旗", "Autonomous Banner"}} {
		if stem, ok := strings.CutSuffix(name, a.zh); ok {
			_, _, en, err := g.autonomous(stem, a.en, name)
			return en, err
		}
	}
	if stem, ok := strings.CutSuffix(name, "旗"); ok {
		place, mods := cutModifiers(stem)
		word, err := g.romanize(place, name)
		return strings.Join(append([]string{word}, mods...), " ") + " Banner", err
	}
	if stem, ok := strings.CutSuffix(name, "族区"); ok {
		// A district of an ethnic group (管城回族区 Guancheng Hui District).
		_, _, en, err := g.autonomous(stem+"族", "District", name)
		return en, err
	}
	for _, s := range []struct{ zh, en string }{{"矿区", "Mining District"}, {"特区", "Special District"}} {
		if stem, ok := strings.CutSuffix(name, s.zh); ok && len([]rune(stem)) >= 2 {
			word, err := g.romanize(stem, name)
			return word + " " + s.en, err
		}
	}
	for _, s := range []struct{ zh, en string }{{"区", " District"}, {"县", " County"}, {"市", ""}} {
		stem, ok := strings.CutSuffix(name, s.zh)
		if !ok || stem == "" {
			continue
		}
		if s.zh != "县" && len([]rune(stem)) == 1 {
			// A one-syllable district or city is named with its suffix
			// (城区 Chengqu District, 芒市 Mangshi), as GB/T 17693.1 has it.
			stem = name
		}
		word, err := g.romanize(stem, name)
		return word + s.en, err
	}
	return "", fmt.Errorf("no rule for this kind of area")
}

// autonomous names an autonomous prefecture, county or banner of the given
// kind ("Autonomous County"): the place, then the peoples it is for. It
// returns the place's Chinese and romanised names too ("" for 东乡族自治县).
func (g *generator) autonomous(stem, kind, name string) (place, word, en string, err error) {
	var peoples []string
	for {
		p, rest, ok := cutPeople(stem)
		if !ok {
			break
		}
		peoples, stem = append([]string{p}, peoples...), rest
	}
	if len(peoples) == 0 || strings.HasSuffix(stem, "族") {
		return "", "", "", fmt.Errorf("%q ends in an ethnic group the peoples table lacks", stem)
	}
	words := []string{}
	if stem != "" {
		p, mods := cutModifiers(stem)
		if word, err = g.romanize(p, name); err != nil {
			return "", "", "", err
		}
		place, words = p, append([]string{word}, mods...)
	}
	return place, word, strings.Join(append(words, joinAnd(peoples), kind), " "), nil
}

// cutPeople cuts the longest ethnic group of the peoples table from the end
// of stem.
func cutPeople(stem string) (en, rest string, ok bool) {
	best := ""
	for zh := range peoples {
		for _, form := range []string{zh + "族", zh} {
			if strings.HasSuffix(stem, form) && len(form) > len(best) && (form != zh || bareForm[zh]) {
				best, en = form, peoples[zh]
			}
		}
	}
	if best == "" {
		return "", stem, false
	}
	return en, strings.TrimSuffix(stem, best), true
}

// cutModifiers cuts the wing and position words of a banner's name (科尔沁
// 左翼中 → 科尔沁, Left Wing Middle).
func cutModifiers(stem string) (place string, mods []string) {
	for {
		cut := false
		for _, m := range modifiers {
			if rest, ok := strings.CutSuffix(stem, m.zh); ok && len([]rune(rest)) >= 2 {
				stem, mods, cut = rest, append([]string{m.en}, mods...), true
				break
			}
		}
		if !cut {
			return stem, mods
		}
	}
}

func joinAnd(s []string) string {
	if len(s) <= 2 {
		return strings.Join(s, " and ")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// zoneHead romanises the part of a development zone's name before its kind:
// the province and city names it starts with as words of their own
// (河北唐山芦台 → Hebei Tangshan Lutai), "市" after a city dropped.
func (g *generator) zoneHead(head, name string) (string, error) {
	var words []string
	for head != "" {
		stem := ""
		for s := range g.stems {
			if strings.HasPrefix(head, s) && len(s) > len(stem) {
				stem = s
			}
		}
		if stem == "" {
			break
		}
		words = append(words, g.stems[stem])
		head = strings.TrimPrefix(strings.TrimPrefix(head, stem), "市")
	}
	if head != "" {
		w, err := g.romanize(head, name)
		if err != nil {
			return "", err
		}
		words = append(words, w)
	}
	return strings.Join(words, " "), nil
}

// writeReview lists the polyphonic characters read by the library's first
// reading that the checked list lacks, most used first, with their names.
func (g *generator) writeReview(w io.Writer) {
	chars := make([]rune, 0, len(g.unsettled))
	for r := range g.unsettled {
		if !strings.ContainsRune(checked, r) {
			chars = append(chars, r)
		}
	}
	slices.SortFunc(chars, func(a, b rune) int {
		if d := len(g.unsettled[b]) - len(g.unsettled[a]); d != 0 {
			return d
		}
		return int(a - b)
	})
	for _, r := range chars {
		fmt.Fprintf(w, "%c %s (read %s): %s\n", r, strings.Join(readings(r), ","), readings(r)[0], strings.Join(g.unsettled[r], " "))
	}
	fmt.Fprintf(w, "%d polyphonic characters to check (add each to checked, placeReading or stemSpelling)\n", len(chars))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return s != ""
}
