package web

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
)

// Options are the choices of a select box, rendered by HTML.
type Options []Option

// optionsTmpl is the one way an option is written; HTML's output is this
// template's, so a page reads the same whether its options come from the
// cache or not.
var optionsTmpl = template.Must(template.New("options").Parse(
	`{{range .}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}`))

// optionsCache holds the rendered option lists by their content (a memo of
// a pure function, like the parsed templates). The lists
// a page builds follow the catalogue, the divisions and the chosen values,
// so there are few; maxCachedOptions bounds them all the same.
var optionsCache sync.Map // string → template.HTML

const maxCachedOptions = 4096

var cachedOptions struct {
	sync.Mutex
	n int
}

// HTML returns the option elements of opts, escaped as a template in the
// text of a select element escapes them. A search page's filters hold
// about 50 options, whose rendering by html/template (escapers called by
// reflection for every value and label) cost more than the search itself.
func (opts Options) HTML() template.HTML {
	var key strings.Builder
	for _, o := range opts {
		key.WriteString(o.Value)
		key.WriteByte(0)
		key.WriteString(o.Label)
		if o.Selected {
			key.WriteByte(1)
		}
		key.WriteByte(0)
	}
	k := key.String()
	if v, ok := optionsCache.Load(k); ok {
		return v.(template.HTML)
	}
	var buf bytes.Buffer
	if err := optionsTmpl.Execute(&buf, []Option(opts)); err != nil {
		panic(err) // a fixed template over plain strings cannot fail
	}
	h := template.HTML(buf.String())
	cachedOptions.Lock()
	if cachedOptions.n < maxCachedOptions {
		if _, loaded := optionsCache.LoadOrStore(k, h); !loaded {
			cachedOptions.n++
		}
	}
	cachedOptions.Unlock()
	return h
}
