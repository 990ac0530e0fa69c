package web

import (
	"context"
	"html"
	"net/http/httptest"
	"strings"
	"testing"

	"trustmark"
)

// signedView is a checkpointView that also tells its checkpoint and key.
type signedView struct {
	checkpointView
	cp LogCheckpoint
}

func (s signedView) LatestCheckpoint() LogCheckpoint { return s.cp }

// TestCertificatePageNamesItsCheckpoint: under a timeline with a verified
// event the page names the checkpoint it was verified against (origin,
// size, root hash) and gives, in one sentence and one command, how anyone
// can check it with the log's key; in both languages, and not at all while
// no event is in a checkpoint.
func TestCertificatePageNamesItsCheckpoint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, err := f.store.Certificate(ctx, certSusp)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := f.store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1, Limit: 100})
	if err != nil || len(evs) == 0 {
		t.Fatalf("events of %s: %d, %v", certSusp, len(evs), err)
	}
	const vkey = "trustmark.example/log+3f1a2b4c+AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXx="
	cp := LogCheckpoint{Origin: "trustmark.example/log", Size: uint64(evs[len(evs)-1].Seq) + 1, Root: make([]byte, 32), VerifierKey: vkey}
	page := func(size uint64, target string) string {
		cp := cp
		cp.Size = size
		h := NewHandler(Config{Store: f.store, Search: f.index, Clock: f.clock, Logger: f.quiet(), BaseURL: "https://trustmark.example.cn",
			History: signedView{checkpointView{t, size}, cp}})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		return html.UnescapeString(w.Body.String())
	}
	cmd := "trustmark verify --log https://trustmark.example.cn/log --key " + vkey + " --cert " + certSusp
	zh := page(cp.Size, "/certificates/"+certSusp)
	for _, want := range []string{"核验依据：公开日志 trustmark.example/log 的检查点，共 " + formatCount(int64(cp.Size), zhMessages()) + " 条记录，根哈希 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=。",
		"任何人均可不依赖本站独立核验", `<p class="mono">` + cmd + `</p>`} {
		if !strings.Contains(zh, want) {
			t.Errorf("certificate page lacks %q", want)
		}
	}
	if en := page(cp.Size, "/certificates/"+certSusp+"?lang=en"); !strings.Contains(en, "Verified against the checkpoint of the public log trustmark.example/log") ||
		!strings.Contains(en, "Anyone can check this without trusting this site") || !strings.Contains(en, cmd) {
		t.Errorf("English certificate page lacks the checkpoint sentence or the command")
	}
	if none := page(0, "/certificates/"+certSusp); strings.Contains(none, "logcheck") {
		t.Errorf("a page with no verified event names a checkpoint")
	}
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{"00124E00239R0/M": "00124E00239R0/M", "a b": "'a b'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}
