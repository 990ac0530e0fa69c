package web

import (
	"encoding/csv"
	"regexp"
	"strings"
	"sync"

	"trustmark/data"
)

// cccNames are the CCC product categories by code (positions 7-10 of a
// certificate number), from the catalogue Trustmark ships
// (data/reference/ccc_catalog_2023_partial.csv, partial: a code it does
// not hold is shown as the code alone).
var cccNames = sync.OnceValue(func() map[string]string {
	names := map[string]string{"0901": "微型计算机"} // the example of cert_number_formats.json (信息技术设备/微型计算机)
	b, err := data.Reference.ReadFile("reference/ccc_catalog_2023_partial.csv")
	if err != nil {
		return names
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		return names
	}
	code := regexp.MustCompile(`^\d{4}$`)
	for _, r := range rows {
		if len(r) <= 4 {
			continue
		}
		for _, c := range strings.Split(r[4], "、") { // one product under several codes: 熔断体 0205、0207
			if c = strings.TrimSpace(c); code.MatchString(c) {
				names[c] = r[3]
			}
		}
	}
	return names
})

// CCCCategory is a designated CCC product category as a page shows it.
type CCCCategory struct{ Code, Name string }

func cccCategories(codes []string) []CCCCategory {
	out := make([]CCCCategory, 0, len(codes))
	for _, c := range codes {
		out = append(out, CCCCategory{Code: c, Name: cccNames()[c]})
	}
	return out
}
