package trustmark

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// LabScopeItem is one entry of a laboratory's accredited scope (the
// schedule of its CMA certificate): a field or product category and, within
// it, a product or parameter the laboratory may test, e.g. 电线电缆 /
// 阻燃性能. Field is "" for a line of the scope that names no field.
type LabScopeItem struct {
	Field string `json:"field,omitempty"`
	Item  string `json:"item"`
}

// String is the item as the scope states it: "电线电缆 / 阻燃性能".
func (it LabScopeItem) String() string {
	if it.Field == "" {
		return it.Item
	}
	return it.Field + " / " + it.Item
}

// ScopeItems is the laboratory's scope as items (ParseLabScope).
func (l *Lab) ScopeItems() []LabScopeItem { return ParseLabScope(l.Scope) }

// ParseLabScope reads a laboratory's scope as the lab import's scope column
// gives it, one line per field: "电线电缆 / 阻燃性能、绝缘电阻" (field, then
// its products or parameters), or the older labelled form "产品/类别：家用
// 电冰箱、电线电缆" (the label stands as the field). The field ends at the
// first " / ", "／", "|", "｜", tab, "：", or ":" that does not stand
// between two digits (ISO 9001:2015), outside brackets and before any
// item separator; items are split at "、", "，", ",", "；" and ";" outside
// brackets. A line without a field separator is one item with no field,
// as written. Lines may also be separated by "；" when
// what follows names a field ("…、电线电缆；依据标准：GB 4706.1"). Empty
// entries are dropped; nothing is ever refused, so an old free-text scope
// stays readable.
func ParseLabScope(text string) []LabScopeItem {
	var items []LabScopeItem
	for _, line := range scopeLines(text) {
		field, rest, ok := cutScopeField(line)
		if !ok {
			items = append(items, LabScopeItem{Item: line})
			continue
		}
		n := len(items)
		for _, it := range splitScopeItems(rest) {
			items = append(items, LabScopeItem{Field: field, Item: it})
		}
		if len(items) == n { // "电线电缆 /" names a field and no item: the field entire
			items = append(items, LabScopeItem{Item: field})
		}
	}
	return items
}

// scopeLines splits text into its trimmed, non-empty lines; a "；" or ";"
// followed by a labelled part ("；依据标准：") also starts a line.
func scopeLines(text string) []string {
	var lines []string
	for _, raw := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		for raw != "" {
			part, rest := raw, ""
			if i := nextLabelledPart(raw); i >= 0 {
				part, rest = raw[:i], raw[i:]
				_, w := utf8.DecodeRuneInString(rest)
				rest = rest[w:]
			}
			if s := strings.TrimSpace(part); s != "" {
				lines = append(lines, s)
			}
			raw = rest
		}
	}
	return lines
}

// nextLabelledPart is the index of the first "；" or ";" in s, outside
// brackets, after which a field is named before any item separator; -1 if
// none.
func nextLabelledPart(s string) int {
	depth := 0
	for i, r := range s {
		switch {
		case isOpenBracket(r):
			depth++
		case isCloseBracket(r):
			depth = max(0, depth-1)
		case depth == 0 && (r == '；' || r == ';'):
			if j, _ := fieldSeparator(s[i+utf8.RuneLen(r):]); j >= 0 {
				return i
			}
		}
	}
	return -1
}

// cutScopeField cuts a line at its field separator.
func cutScopeField(line string) (field, rest string, ok bool) {
	i, w := fieldSeparator(line)
	if i < 0 {
		return "", "", false
	}
	field = strings.TrimSpace(line[:i])
	if field == "" {
		return "", "", false
	}
	return field, line[i+w:], true
}

// fieldSeparator finds the field separator of s, outside brackets and
// before any item separator: its index and width, or -1.
func fieldSeparator(s string) (int, int) {
	depth := 0
	prev := rune(-1)
	for i, r := range s {
		w := utf8.RuneLen(r)
		switch {
		case isOpenBracket(r):
			depth++
		case isCloseBracket(r):
			depth = max(0, depth-1)
		case depth > 0:
		case strings.ContainsRune("、，,；;", r):
			return -1, 0 // an item comes first: no field here
		case r == '／' || r == '|' || r == '｜' || r == '\t' || r == '：':
			return i, w
		case r == ':':
			next, _ := utf8.DecodeRuneInString(s[i+w:])
			if !(unicode.IsDigit(prev) && unicode.IsDigit(next)) {
				return i, w
			}
		case r == '/' && i > 0 && s[i-1] == ' ' && (i+w == len(s) || s[i+w] == ' '):
			return i - 1, min(w+2, len(s)-i+1)
		}
		prev = r
	}
	return -1, 0
}

// splitScopeItems splits the items of one field, outside brackets.
func splitScopeItems(s string) []string {
	var out []string
	depth, start := 0, 0
	add := func(end int) {
		if it := strings.TrimSpace(s[start:end]); it != "" {
			out = append(out, it)
		}
	}
	for i, r := range s {
		switch {
		case isOpenBracket(r):
			depth++
		case isCloseBracket(r):
			depth = max(0, depth-1)
		case depth == 0 && strings.ContainsRune("、，,；;", r):
			add(i)
			start = i + utf8.RuneLen(r)
		}
	}
	add(len(s))
	return out
}

func isOpenBracket(r rune) bool {
	return r == '(' || r == '（' || r == '[' || r == '【' || r == '《'
}
func isCloseBracket(r rune) bool {
	return r == ')' || r == '）' || r == ']' || r == '】' || r == '》'
}

// MatchLabScope returns the items whose field or item contains q, case
// folded; all of them when q is blank.
func MatchLabScope(items []LabScopeItem, q string) []LabScopeItem {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return items
	}
	var out []LabScopeItem
	for _, it := range items {
		if strings.Contains(strings.ToLower(it.Field), q) || strings.Contains(strings.ToLower(it.Item), q) {
			out = append(out, it)
		}
	}
	return out
}
