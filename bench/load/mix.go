package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// data is what the load is made of, read from the server's own API.
type data struct {
	numbers []string // certificate numbers
	orgs    []string // holders' USCCs
	words   []string // the first characters of holders' names, as people search
}

// fetchData pages through GET /api/v1/certificates (up to 10,000
// certificates) and keeps every third number, every holder and the first
// two to four characters of each holder's name.
func fetchData(ctx context.Context, base string) (*data, error) {
	d := &data{}
	seenOrg, seenWord := map[string]bool{}, map[string]bool{}
	cursor := ""
	for page := 0; page < 10; page++ {
		u := base + "/api/v1/certificates?limit=1000"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		var out struct {
			Items []struct {
				Number string `json:"number"`
				Holder struct {
					USCC string `json:"uscc"`
					Name string `json:"name"`
				} `json:"holder"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := getJSON(ctx, u, &out); err != nil {
			return nil, err
		}
		for i, c := range out.Items {
			if i%3 == 0 {
				d.numbers = append(d.numbers, c.Number)
			}
			if !seenOrg[c.Holder.USCC] {
				seenOrg[c.Holder.USCC] = true
				d.orgs = append(d.orgs, c.Holder.USCC)
			}
			if r := []rune(c.Holder.Name); len(r) >= 4 {
				w := string(r[:2+len(d.words)%3])
				if !seenWord[w] {
					seenWord[w] = true
					d.words = append(d.words, w)
				}
			}
		}
		if cursor = out.NextCursor; cursor == "" {
			break
		}
	}
	if len(d.numbers) < 10 || len(d.orgs) == 0 || len(d.words) == 0 {
		return nil, fmt.Errorf("%s holds too few certificates (%d) to load it", base, len(d.numbers))
	}
	return d, nil
}

func getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Routes of the mix, as reported.
const (
	routeLookup = "api lookup"
	routePage   = "certificate page"
	routeOrg    = "organisation page"
	routeSearch = "search page"
	routeVerify = "bulk verify 100"
)

var routes = []string{routeLookup, routePage, routeOrg, routeSearch, routeVerify}

// schedule is the mix in twentieths: 8 lookups (40%), 3 certificate pages
// (15%), 2 organisation pages (10%), 4 searches (20%), 3 bulk
// verifications (15%), interleaved.
var schedule = [20]string{
	routeLookup, routeSearch, routePage, routeLookup, routeVerify,
	routeOrg, routeLookup, routeSearch, routePage, routeLookup,
	routeVerify, routeLookup, routeSearch, routeOrg, routeLookup,
	routePage, routeVerify, routeLookup, routeSearch, routeLookup,
}

// routeOf names the route of a request of the mix.
func routeOf(method, u string) string {
	switch {
	case method == "POST":
		return routeVerify
	case strings.Contains(u, "/api/v1/certificates/"):
		return routeLookup
	case strings.Contains(u, "/certificates/"):
		return routePage
	case strings.Contains(u, "/orgs/"):
		return routeOrg
	case strings.Contains(u, "/search"):
		return routeSearch
	}
	return "other"
}

// mixTargeter returns the mix's requests in turn. Items are picked by a
// multiplicative hash of the request's sequence number, so that the same
// certificate comes back at irregular intervals, as from many readers.
func mixTargeter(base string, d *data) vegeta.Targeter {
	var seq atomic.Uint64
	bodies := verifyBodies(d)
	jsonHeader := http.Header{"Content-Type": []string{"application/json"}}
	return func(t *vegeta.Target) error {
		i := seq.Add(1) - 1
		k := int((i * 2654435761) % (1 << 32))
		*t = vegeta.Target{Method: "GET"}
		switch schedule[i%20] {
		case routeLookup:
			t.URL = base + "/api/v1/certificates/" + url.PathEscape(d.numbers[k%len(d.numbers)])
		case routePage:
			t.URL = base + "/certificates/" + url.PathEscape(d.numbers[k%len(d.numbers)])
		case routeOrg:
			t.URL = base + "/orgs/" + url.PathEscape(d.orgs[k%len(d.orgs)])
		case routeSearch:
			t.URL = base + "/search?q=" + url.QueryEscape(d.words[k%len(d.words)])
		case routeVerify:
			t.Method, t.URL, t.Body, t.Header = "POST", base+"/api/v1/verify", bodies[k%len(bodies)], jsonHeader
		}
		return nil
	}
}

// verifyBodies are 64 bulk verifications of 100 items each: 85% of the
// demo's certificate numbers, 10% of its USCCs, 5% numbers it does not hold.
func verifyBodies(d *data) [][]byte {
	bodies := make([][]byte, 64)
	for call := range bodies {
		items := make([]string, 100)
		for i := range items {
			k := call*100 + i
			switch {
			case i%20 == 0:
				items[i] = fmt.Sprintf("2025010901%06d", 900000+k%100000)
			case i%10 == 1:
				items[i] = d.orgs[(k*7)%len(d.orgs)]
			default:
				items[i] = d.numbers[(k*7919)%len(d.numbers)]
			}
		}
		bodies[call], _ = json.Marshal(map[string]any{"items": items})
	}
	return bodies
}

// warm asks each route once, so that the first requests measured do not
// pay for opening the database's pages, and fails early when one answers
// an error.
func warm(ctx context.Context, base string, d *data) error {
	tr := mixTargeter(base, d)
	for range 40 {
		var t vegeta.Target
		tr(&t)
		req, err := t.Request()
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		if resp.StatusCode >= 400 {
			return fmt.Errorf("%s %s: %s: %s", t.Method, t.URL, resp.Status, b)
		}
	}
	return nil
}
