package web

import (
	"net/http"

	"trustmark/locale"
)

// Messages is a page's language: the strings of package locale, the one
// catalogue, which pages reach as .T.
type Messages = locale.Messages

// pickLang chooses the page language: ?lang= when it names one we have
// (explicit, so links carry it on), else the best match of the browser's
// Accept-Language, else Chinese.
func pickLang(r *http.Request) (m *Messages, explicit bool) {
	return locale.Negotiate(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), locale.Chinese)
}

// pickLangParam is the language a lang parameter names, and whether it
// names one of the catalogue's.
func pickLangParam(lang string) (m *Messages, explicit bool) {
	return locale.Negotiate(lang, "", locale.Chinese)
}
