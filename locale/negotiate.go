package locale

import (
	"strings"

	"golang.org/x/text/language"
)

// The languages of the catalogue, as the lang parameter names them.
const (
	Chinese = "zh"
	English = "en"
)

// catalogues holds each language's messages, by its lang parameter.
var catalogues = map[string]*Messages{Chinese: zh, English: en}

// Lookup returns the messages of lang ("zh" or "en"), and whether the
// catalogue has that language.
func Lookup(lang string) (*Messages, bool) {
	m, ok := catalogues[lang]
	return m, ok
}

// Must returns the messages of lang, which must be "zh" or "en".
func Must(lang string) *Messages {
	m, ok := catalogues[lang]
	if !ok {
		panic("locale: no catalogue for " + lang)
	}
	return m
}

// matcher picks between the catalogue's languages; the order is that of
// index in Negotiate.
var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// Negotiate chooses the language of a request: param (the lang parameter of
// a page or an API call) when it names a language of the catalogue, and
// then explicit is true, so that pages carry it on in their links; else
// the best match of the Accept-Language header; else fallback ("zh" for
// pages, "en" for the API).
func Negotiate(param, acceptLanguage, fallback string) (m *Messages, explicit bool) {
	if param != "" {
		if tag, err := language.Parse(param); err == nil {
			if base, conf := tag.Base(); conf != language.No {
				if m, ok := catalogues[base.String()]; ok {
					return m, true
				}
			}
		}
	}
	if h := strings.TrimSpace(acceptLanguage); h != "" {
		if tags, _, err := language.ParseAcceptLanguage(h); err == nil && len(tags) > 0 {
			if _, i, conf := matcher.Match(tags...); conf != language.No {
				return []*Messages{zh, en}[i], false
			}
		}
	}
	return Must(fallback), false
}
