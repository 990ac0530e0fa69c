package web

import (
	"bytes"
	"html/template"

	"trustmark/locale"
)

// chrome is the layout's header and footer for one language, with and
// without an explicit language choice (which every link then carries):
// rendered once when the templates are parsed, since they depend on
// nothing else. Rendering them for every page cost about a quarter of a
// page's template time, in the catalogue's fields reached through the
// embedded Page by reflection.
type chrome struct {
	m           *Messages
	HTMLLang    string
	SiteName    string
	SwitchLang  string
	SwitchLabel string
	Header      template.HTML // layout.html's "chrome-header"
	Footer      template.HTML // layout.html's "chrome-footer"
}

type chromeKey struct {
	lang     string
	explicit bool
}

// chromes holds the chrome of every language of the catalogue; it is
// built with the parsed templates and never changes after.
var chromes map[chromeKey]*chrome

// buildChromes renders the chrome of every language from set, a parsed
// page template set (each holds the layout's definitions).
func buildChromes(set *template.Template) map[chromeKey]*chrome {
	out := map[chromeKey]*chrome{}
	for _, lang := range []string{locale.Chinese, locale.English} {
		for _, explicit := range []bool{false, true} {
			p := &Page{T: locale.Must(lang), explicit: explicit}
			out[chromeKey{lang, explicit}] = renderChrome(set, p)
		}
	}
	return out
}

func renderChrome(set *template.Template, p *Page) *chrome {
	c := &chrome{m: p.T, HTMLLang: p.T.HTMLLang, SiteName: p.T.SiteName, SwitchLang: p.T.SwitchLang, SwitchLabel: p.T.SwitchLabel}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, "chrome-header", p); err != nil {
		panic(err) // the embedded templates are wrong: a test fails at once
	}
	c.Header = template.HTML(buf.String())
	buf.Reset()
	if err := set.ExecuteTemplate(&buf, "chrome-footer", p); err != nil {
		panic(err)
	}
	c.Footer = template.HTML(buf.String())
	return c
}

// Chrome returns the layout's header and footer for the page's language.
func (p *Page) Chrome() *chrome {
	if c := chromes[chromeKey{p.T.Lang, p.explicit}]; c != nil && c.m == p.T {
		return c
	}
	return renderChrome(parsed["home"], p) // a catalogue the portal does not serve
}
