package trustmark

import (
	"embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed data/divisions/*.csv
var divisionFiles embed.FS

// Region is an administrative division of GB/T 2260: a province (2-digit
// code), city (4) or county-level area (6). Codes are stored and compared in
// their 6-digit form, padded with zeros (11 → 110000, 1101 → 110100).
type Region struct {
	Code     string // 6 digits
	Name     string
	Province string // 6-digit code of the province
	City     string // 6-digit code of the city, "" for a province
	Level    int    // 1 province, 2 city, 3 county
}

// Regions is the read-only table of GB/T 2260 divisions embedded in the
// binary (data/divisions, source note there).
type Regions struct {
	byCode map[string]Region
	list   []Region
}

var (
	regionsOnce sync.Once
	regions     *Regions
)

// DefaultRegions returns the embedded division table. It is loaded once and
// never modified.
func DefaultRegions() *Regions {
	regionsOnce.Do(func() {
		r, err := loadRegions()
		if err != nil {
			panic("trustmark: embedded divisions: " + err.Error())
		}
		regions = r
	})
	return regions
}

func loadRegions() (*Regions, error) {
	r := &Regions{byCode: map[string]Region{}}
	for _, f := range []struct {
		name  string
		level int
	}{{"provinces.csv", 1}, {"cities.csv", 2}, {"areas.csv", 3}} {
		data, err := divisionFiles.ReadFile("data/divisions/" + f.name)
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		for _, row := range rows[1:] {
			reg := Region{Code: pad6(row[0]), Name: row[1], Level: f.level}
			reg.Province = pad6(row[0][:2])
			if f.level == 3 {
				reg.City = pad6(row[2])
			}
			if f.level == 2 {
				reg.City = reg.Code
			}
			r.byCode[reg.Code] = reg
			r.list = append(r.list, reg)
		}
	}
	sort.Slice(r.list, func(i, j int) bool { return r.list[i].Code < r.list[j].Code })
	return r, nil
}

func pad6(code string) string { return code + strings.Repeat("0", 6-len(code)) }

// Lookup returns the region with the given 2-, 4- or 6-digit code.
func (r *Regions) Lookup(code string) (Region, bool) {
	if n := len(code); n != 2 && n != 4 && n != 6 {
		return Region{}, false
	}
	reg, ok := r.byCode[pad6(code)]
	return reg, ok
}

// All returns every region in code order. The slice must not be modified.
func (r *Regions) All() []Region { return r.list }

// FullName returns the name of a region with its province and city, e.g.
// "浙江省 杭州市 西湖区".
func (r *Regions) FullName(code string) string {
	reg, ok := r.Lookup(code)
	if !ok {
		return code
	}
	parts := []string{}
	if p, ok := r.byCode[reg.Province]; ok && reg.Level > 1 {
		parts = append(parts, p.Name)
	}
	if c, ok := r.byCode[reg.City]; ok && reg.Level > 2 && c.Name != "市辖区" && c.Name != "县" {
		parts = append(parts, c.Name)
	}
	return strings.Join(append(parts, reg.Name), " ")
}

// ParseRegionCode validates a region code against GB/T 2260 and returns it in
// 6-digit form.
func ParseRegionCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	reg, ok := DefaultRegions().Lookup(s)
	if !ok {
		return "", Errorf(EInvalid, "region_code", "region code %q is not a GB/T 2260 division", s)
	}
	return reg.Code, nil
}
