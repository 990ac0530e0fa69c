package http

import (
	_ "embed"
	"encoding/json"
	nethttp "net/http"
	"sort"
	"strings"
)

// openAPI is the OpenAPI 3 document of the JSON API, written by hand next to
// the routes it describes; TestOpenAPIMatchesRoutes holds the two equal.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3 document served at /api/openapi.json.
func OpenAPI() []byte { return append([]byte(nil), openAPI...) }

func serveOpenAPI(w nethttp.ResponseWriter, r *nethttp.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPI)
}

// OpenAPIOperations returns the operations the OpenAPI document describes,
// each as "METHOD /path" in ServeMux pattern form.
func OpenAPIOperations() []string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		panic("http: embedded openapi.json: " + err.Error())
	}
	var ops []string
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops = append(ops, strings.ToUpper(method)+" "+path)
			}
		}
	}
	sort.Strings(ops)
	return ops
}

// APIOperations returns the patterns of the JSON API among patterns: those
// with a method and a path under /api/v1/.
func APIOperations(patterns []string) []string {
	var ops []string
	for _, p := range patterns {
		method, path, ok := strings.Cut(p, " ")
		if ok && method != "" && strings.HasPrefix(path, "/api/v1/") {
			ops = append(ops, p)
		}
	}
	sort.Strings(ops)
	return ops
}
