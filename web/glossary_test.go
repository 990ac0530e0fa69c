package web

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
)

var (
	tagRE   = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
	// A half-width colon touching Chinese text ("操作方: 系统"); a colon
	// between digits (10:00) or in an address (http://) is not prose.
	halfColonRE = regexp.MustCompile(`\p{Han}[)）]?\s*:|:\s*\p{Han}`)
)

// visibleText is the text a person reads on an HTML page: no markup, no
// style sheet, entities decoded, white space folded.
func visibleText(page string) string {
	return spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(page, " ")), " ")
}

// renderedPages returns the text of every page kind in lang, /verify with
// a result for each kind of answer.
func renderedPages(t *testing.T, f *fixture, lang string) map[string]string {
	t.Helper()
	pages := map[string]string{}
	for _, pk := range pageKinds() {
		sep := "?"
		if strings.Contains(pk.path, "?") {
			sep = "&"
		}
		w := f.get(pk.path + sep + "lang=" + lang)
		pages[pk.name] = visibleText(w.Body.String())
	}
	items := strings.Join([]string{certQMS, certSusp, certRev, certOld, "2025010901999999", string(haier), bodyA, labA, labA + "/" + reportNo}, "\n")
	w := upload(t, f.handler, lang, items, "", nil, "html")
	pages["verify-results"] = visibleText(w.Body.String())
	return pages
}

// TestChineseGlossary reads every Chinese page as a person does: one word
// for each status and one name for the registry (the catalogue's
// glossary), full-width colons in Chinese text.
func TestChineseGlossary(t *testing.T) {
	f := newFixture(t)
	rejected := []string{"已暂停", "已撤销", "已注销", "已过期失效", "登记簿", "登记数据"}
	for name, text := range renderedPages(t, f, "zh") {
		t.Run("the "+name+" page speaks the glossary", func(t *testing.T) {
			for _, word := range rejected {
				if i := strings.Index(text, word); i >= 0 {
					t.Errorf("page says %q: …%s…", word, excerpt(text, i))
				}
			}
			for _, loc := range halfColonRE.FindAllStringIndex(text, -1) {
				t.Errorf("half-width colon in Chinese text: …%s…", excerpt(text, loc[0]))
			}
		})
	}
}

// TestEnglishLists reads every English page: lists are joined with ", ",
// never with the Chinese "、", and no Chinese colon follows a label.
func TestEnglishLists(t *testing.T) {
	f := newFixture(t)
	for name, text := range renderedPages(t, f, "en") {
		t.Run("the "+name+" page punctuates in English", func(t *testing.T) {
			for _, mark := range []string{"、", "："} {
				if i := strings.Index(text, mark); i >= 0 {
					t.Errorf("page has %q: …%s…", mark, excerpt(text, i))
				}
			}
		})
	}
}

// excerpt is the text around byte i, for a failure message.
func excerpt(s string, i int) string {
	r := []rune(s[:i])
	from := max(0, len(r)-20)
	rest := []rune(s[i:])
	return string(r[from:]) + string(rest[:min(len(rest), 20)])
}

// TestCountsAndTimes checks that counts carry thousands separators in both
// languages and that the home page's "data as of" names its time zone.
func TestCountsAndTimes(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		lang, count, asOf string
	}{
		{"zh", "共找到 60,004 条", "（北京时间）"},
		{"en", "60,004 found", "China time (UTC+8)"},
	} {
		m, _ := pickLangParam(tt.lang)
		if got := fmt.Sprintf(m.ResultsCount, formatCount(60004, m)); got != tt.count {
			t.Errorf("%s: results count = %q, want %q", tt.lang, got, tt.count)
		}
		if got := visibleText(f.get("/?lang=" + tt.lang).Body.String()); !strings.Contains(got, tt.asOf) {
			t.Errorf("%s: home page lacks the time zone %q beside the time of its data", tt.lang, tt.asOf)
		}
	}
}
