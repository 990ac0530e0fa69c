package search

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"trustmark"
)

// Chinese organisation names usually start with the place where they were
// registered: 青岛海尔…, 上海尔信…, 广东省深圳市…. Bigram search has no word
// boundaries, so the query 海尔 also matches 上海尔信 (上海|尔信). Knowing
// where the leading place name ends lets the index record what the rest of
// the name starts with (the lead field) and rank names whose brand starts
// with the query above names that only contain its characters across that
// boundary.

// places maps every form of a region name that can start an organisation
// name (full name, and the name without its administrative suffix) to a
// canonical key (the short form where there is one, else the full name)
// and the codes of the regions that bear it.
type places struct {
	forms  map[string]*placeForm
	maxLen int // in runes
	// maxLenFrom is the length in runes of the longest form starting
	// with a character; characters that start none are absent.
	maxLenFrom map[rune]int
	// en maps a region's English name, lower-cased ("qingdao", "laoshan
	// district"), to the key of its Chinese forms, so that a reader of the
	// English pages can search for a place by the name those pages show.
	// Names shared by regions of different keys are left out.
	en map[string]string
}

type placeForm struct {
	key   string
	codes []string // GB/T 2260 codes without trailing zero pairs: 44, 4403, 440305
}

// adminSuffixes are the administrative suffixes a name is written without
// (深圳市 → 深圳), longest first so that 自治州 goes before 州-less forms.
// Districts (区) keep their suffix: many district names are common words
// (光明, 红旗, 和平, 长安) that begin brand names too.
var adminSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "县", "盟", "旗"}

// ethnicNames are the names of China's ethnic groups, which autonomous
// regions carry between place and suffix (延边朝鲜族自治州 → 延边).
var ethnicNames = strings.Fields(`蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎
	傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌
	普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各`)

// placeTable returns the table built from the embedded GB/T 2260 divisions.
var placeTable = sync.OnceValue(func() *places { return newPlaces(trustmark.DefaultRegions().All()) })

func newPlaces(regions []trustmark.Region) *places {
	p := &places{forms: map[string]*placeForm{}, maxLenFrom: map[rune]int{}, en: map[string]string{}}
	ambiguous := map[string]bool{}
	add := func(form, key, code string) {
		n := utf8.RuneCountInString(form)
		if n < 2 {
			return
		}
		first, _ := utf8.DecodeRuneInString(form)
		p.maxLenFrom[first] = max(p.maxLenFrom[first], n)
		f := p.forms[form]
		if f == nil {
			f = &placeForm{key: key}
			p.forms[form] = f
		}
		f.codes = append(f.codes, code)
		p.maxLen = max(p.maxLen, utf8.RuneCountInString(form))
	}
	for _, r := range regions {
		name := r.Name
		if name == "市辖区" || name == "县" || strings.Contains(name, "直辖") || strings.Contains(name, "行政") ||
			strings.Contains(name, "管委会") || strings.Contains(name, "群岛") {
			continue
		}
		code := r.Code[:2*r.Level]
		short := shortPlaceName(name, r.Level)
		key := name
		if utf8.RuneCountInString(short) >= 2 {
			key = short
			add(short, key, code)
		}
		add(name, key, code)
		if en := strings.ToLower(r.NameEN); en != "" && !ambiguous[en] {
			if k, ok := p.en[en]; ok && k != key {
				delete(p.en, en)
				ambiguous[en] = true
			} else {
				p.en[en] = key
			}
		}
	}
	return p
}

// shortPlaceName returns name without its administrative suffix and, for an
// autonomous area, without the ethnic groups' names; "" when it has none.
func shortPlaceName(name string, level int) string {
	for _, suf := range adminSuffixes {
		if !strings.HasSuffix(name, suf) {
			continue
		}
		if level == 3 && strings.HasSuffix(name, "区") && suf != "自治区" {
			return ""
		}
		s := strings.TrimSuffix(name, suf)
		if strings.HasPrefix(suf, "自治") {
			s = trimEthnic(s)
		}
		if s == name || utf8.RuneCountInString(s) < 2 {
			return ""
		}
		return s
	}
	return ""
}

// trimEthnic removes ethnic group names (with or without 族) from the end of
// s while at least two characters remain: 恩施土家族苗族 → 恩施, 鄂伦春 stays.
func trimEthnic(s string) string {
	for {
		cut := s
		for _, e := range ethnicNames {
			for _, form := range []string{e + "族", e} {
				if utf8.RuneCountInString(form) < 2 || !strings.HasSuffix(s, form) {
					continue
				}
				if t := strings.TrimSuffix(s, form); utf8.RuneCountInString(t) >= 2 && len(t) < len(cut) {
					cut = t
				}
			}
		}
		if cut == s {
			return s
		}
		s = cut
	}
}

// prefix returns the longest place form s starts with that names a region
// within one of the regions under (any region when under is nil), its key,
// and the codes of the regions it names there.
func (p *places) prefix(s string, under []string) (form, key string, codes []string) {
	n := 0
	ends := make([]int, 0, p.maxLen) // byte offset after each of the first maxLen runes
	for i := range s {
		if n == p.maxLen {
			break
		}
		n++
		ends = append(ends, nextRune(s, i))
	}
	for k := len(ends); k >= 2; k-- {
		f, ok := p.forms[s[:ends[k-1]]]
		if !ok {
			continue
		}
		if under == nil {
			return s[:ends[k-1]], f.key, f.codes
		}
		for _, c := range f.codes {
			for _, u := range under {
				if len(c) > len(u) && strings.HasPrefix(c, u) {
					codes = append(codes, c)
				}
			}
		}
		if len(codes) > 0 {
			return s[:ends[k-1]], f.key, codes
		}
	}
	return "", "", nil
}

// split cuts the leading place names off name, which must be simplified
// already, and returns the key of the first and what follows. After the
// first, only a place within it is cut (广东省深圳市南山区… loses all three;
// 深圳金华… keeps 金华, a city of another province, as its brand). A name
// that is nothing but a place and at most one character more is not cut:
// place is then "" and rest the name.
func (p *places) split(name string) (place, rest string) {
	rest = name
	var under []string
	for range 3 {
		form, key, codes := p.prefix(rest, under)
		if form == "" || utf8.RuneCountInString(rest[len(form):]) < 2 || !hasWordRune(rest[len(form):]) {
			break
		}
		if place == "" {
			place = key
		}
		rest, under = rest[len(form):], codes
	}
	return place, rest
}

// mentions returns the keys of every place named anywhere in name, which
// must be simplified already: 华为技术有限公司深圳分公司 mentions 深圳.
// Every form found counts, shorter ones inside longer ones too (朝阳区
// mentions 朝阳区 and 朝阳), so that a query for a place finds the names
// that contain it as the characters it is written with would.
func (p *places) mentions(name string) []string {
	var keys []string
	for i, r := range name {
		n := p.maxLenFrom[r]
		if n == 0 {
			continue
		}
		k := 0
		for j := range name[i:] {
			end := nextRune(name, i+j)
			if k++; k > n {
				break
			}
			if f, ok := p.forms[name[i:end]]; ok && k >= 2 && !slices.Contains(keys, f.key) {
				keys = append(keys, f.key)
			}
		}
	}
	return keys
}

// placeOnly returns the key of the place text names when text is a place
// name and nothing else (深圳, 深圳市, 广东省).
func (p *places) placeOnly(text string) (key string, ok bool) {
	if f, ok := p.forms[text]; ok {
		return f.key, true
	}
	if k, ok := p.en[strings.ToLower(text)]; ok {
		return k, true
	}
	return "", false
}

// leadLen is how many characters of a name after its place the index keeps
// as lead terms (2, 3 and 4), and how many of a query word it looks up.
const leadLen = 4

// nameParts returns the key of a name's leading place ("" when it starts
// with none), the keys of every place it mentions (see mentions), and its
// lead terms: the first two, three and four characters after that leading
// place, folded as the text analyzer folds them (width, case).
func nameParts(name string) (place string, mentions, lead []string) {
	p := placeTable()
	name = Simplify(name)
	place, rest := p.split(name)
	rest = foldWord(rest)
	n := 0
	for i, r := range rest {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		n++
		if n >= 2 {
			lead = append(lead, rest[:nextRune(rest, i)])
		}
		if n == leadLen {
			break
		}
	}
	return place, p.mentions(name), lead
}

// queryLead returns the lead term a query word is looked up as: its first
// four characters after its leading place name, or "" when fewer than two
// remain.
func queryLead(word string) string {
	p := placeTable()
	if form, _, _ := p.prefix(word, nil); form != "" && utf8.RuneCountInString(word[len(form):]) < 2 {
		return "" // a place and at most one character: no brand to look up
	}
	_, rest := p.split(word)
	rest = foldWord(rest)
	n := 0
	for i, r := range rest {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			rest = rest[:i]
			break
		}
		n++
		if n == leadLen {
			rest = rest[:nextRune(rest, i)]
			break
		}
	}
	if utf8.RuneCountInString(rest) < 2 {
		return ""
	}
	return rest
}

// nextRune returns the offset in s after the rune (or invalid byte) at i.
func nextRune(s string, i int) int {
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// foldWord folds full-width ASCII forms to their ASCII letters and lower
// case, as the text analyzer's cjk_width and lowercase filters do.
func foldWord(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		return unicode.ToLower(r)
	}, s)
}
