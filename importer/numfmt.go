package importer

import (
	"math"
	"strconv"
	"strings"
	"time"

	"trustmark"
)

// styles are what a workbook's styles say about numbers: the number format
// of each cell format, and the custom format codes.
type styles struct {
	xfs      []int          // number format id of each cell format (cellXfs), -1 for none
	custom   map[int]string // custom format codes by id
	date1904 bool
}

// format returns a numeric cell's text as a registry import wants it, from
// its stored value v and cell format s:
//
//   - a date format (built-in or custom: any code that shows a year, a month
//     or a day) gives YYYY-MM-DD, whatever the code's own layout;
//   - a format of digit placeholders ("0000", "0.00", "#,##0") pads the
//     integer part with zeros and rounds the fraction as it says, without
//     thousands separators (which the registry's columns would refuse), so
//     that a code kept as a number keeps its leading zeros;
//   - anything else gives the number itself, at Excel's 15 significant
//     digits.
func (st *styles) format(v string, s int) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	id := -1
	if st != nil && s >= 0 && s < len(st.xfs) {
		id = st.xfs[s]
	}
	code, ok := st.code(id)
	if !ok || id == 0 {
		return general(f)
	}
	if isDateFormat(id, code) {
		if d, ok := st.serialDate(f); ok {
			return d
		}
		return general(f)
	}
	if out, ok := digitFormat(f, code); ok {
		return out
	}
	return general(f)
}

// code returns the format code of id, custom or built in.
func (st *styles) code(id int) (string, bool) {
	if id < 0 {
		return "", false
	}
	if st != nil {
		if c, ok := st.custom[id]; ok {
			return c, true
		}
	}
	c, ok := builtinFormats[id]
	return c, ok
}

// builtinFormats are the built-in number formats of ECMA-376 Part 1,
// 18.8.30, with the dates of the Chinese locale (ids 27 to 36 and 50 to 58).
var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy-m-d h:mm",
	27: `yyyy"年"m"月"`, 28: `m"月"d"日"`, 29: `m"月"d"日"`, 30: "m-d-yy", 31: `yyyy"年"m"月"d"日"`,
	32: `h"时"mm"分"`, 33: `h"时"mm"分"ss"秒"`, 34: `上午/下午h"时"mm"分"`, 35: `上午/下午h"时"mm"分"ss"秒"`, 36: `yyyy"年"m"月"`,
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
	50: `yyyy"年"m"月"`, 51: `m"月"d"日"`, 52: `yyyy"年"m"月"`, 53: `m"月"d"日"`, 54: `m"月"d"日"`,
	55: `上午/下午h"时"mm"分"`, 56: `上午/下午h"时"mm"分"ss"秒"`, 57: `yyyy"年"m"月"`, 58: `m"月"d"日"`,
}

// bare returns the first section of a format code (the one for positive
// numbers) without its quoted text, escaped characters and bracketed parts
// (colours, locales, conditions, elapsed-time markers).
func bare(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case ';':
			return b.String()
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return b.String()
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is shown as is, or is padding
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return b.String()
			}
			i += j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isDateFormat reports whether a number format shows a date: a year, a
// month or a day (a time of day alone is not a date).
func isDateFormat(id int, code string) bool {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 54, id == 57, id == 58:
		return true
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id >= 45 && id <= 47, id == 55, id == 56:
		return false
	}
	b := strings.ToLower(bare(code))
	if strings.Contains(b, "general") {
		return false
	}
	b = strings.NewReplacer("e+", "", "e-", "").Replace(b) // scientific notation
	if strings.ContainsAny(b, "yde") {
		return true
	}
	// m alone is a month unless it follows an hour or precedes seconds.
	return strings.Contains(b, "m") && !strings.ContainsAny(b, "hs")
}

// serialDate turns an Excel date serial into YYYY-MM-DD.
func (st *styles) serialDate(f float64) (string, bool) {
	if f < 1 || f > 2958465 { // 9999-12-31
		return "", false
	}
	days := int(math.Floor(f + 1e-9))
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if st != nil && st.date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if days < 61 {
		// Excel counts a 29 February 1900 that never was: serials before
		// it are one day later than the epoch suggests.
		days++
	}
	return epoch.AddDate(0, 0, days).Format(trustmark.DateLayout), true
}

// digitFormat formats f by a code made of digit placeholders (0 # ?), a
// decimal point, thousands separators and an optional percent sign, and
// reports false for any other code.
func digitFormat(f float64, code string) (string, bool) {
	b := strings.TrimSpace(bare(code))
	if b == "" || strings.Trim(b, "0#?,.%") != "" || !strings.ContainsAny(b, "0#?") {
		return "", false
	}
	percent := strings.HasSuffix(b, "%")
	b = strings.TrimSuffix(b, "%")
	intPart, frac, _ := strings.Cut(b, ".")
	zeros := strings.Count(intPart, "0")
	places := strings.Count(frac, "0") + strings.Count(frac, "#") + strings.Count(frac, "?")
	if percent {
		f *= 100
	}
	out := strconv.FormatFloat(math.Abs(f), 'f', places, 64)
	whole, rest, _ := strings.Cut(out, ".")
	if len(whole) < zeros {
		whole = strings.Repeat("0", zeros-len(whole)) + whole
	}
	if zeros == 0 && whole == "0" && places > 0 {
		whole = "" // "#.00" shows 0.5 as .50
	}
	out = whole
	if rest != "" {
		out += "." + rest
	}
	if f < 0 {
		out = "-" + out
	}
	if percent {
		out += "%"
	}
	return out, true
}

// general formats a number as Excel's General format stores it: at most 15
// significant digits, without a trailing fraction of zeros.
func general(f float64) string {
	g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if a := math.Abs(g); a != 0 && (a >= 1e21 || a < 1e-9) {
		return strconv.FormatFloat(g, 'G', 15, 64)
	}
	return strconv.FormatFloat(g, 'f', -1, 64)
}
