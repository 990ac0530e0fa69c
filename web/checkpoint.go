package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// LogCheckpoint is the log's latest published checkpoint as a certificate
// page names it, with the key that verifies its signature.
type LogCheckpoint struct {
	Origin      string // the log's name, e.g. trustmark.example/log
	Size        uint64 // entries in its tree
	Root        []byte // the tree's root hash
	VerifierKey string // name+hexid+base64key (golang.org/x/mod/sumdb/note)
}

// CheckpointSource is a History that tells its published checkpoint and
// key, so that a certificate page can say what its marks were verified
// against and how anyone can check them without trusting the page.
type CheckpointSource interface {
	LatestCheckpoint() LogCheckpoint
}

// LogCheck is what a certificate page says under its timeline: the
// checkpoint its events were verified against, and the one command that
// checks them with nothing but the log's key.
type LogCheck struct {
	Checkpoint string // "已按公开日志检查点核验：…"
	How        string // "任何人均可独立核验：…"
	Command    string // trustmark verify --log … --key … --cert …
}

// logCheck is the LogCheck of a certificate page whose timeline has a
// verified event; nil when the log tells no checkpoint or none is verified.
func (h *Handler) logCheck(r *http.Request, t *Messages, number string, events []EventView) *LogCheck {
	src, ok := h.cfg.History.(CheckpointSource)
	if !ok {
		return nil
	}
	verified := false
	for _, e := range events {
		verified = verified || e.Verified
	}
	cp := src.LatestCheckpoint()
	if !verified || cp.Size == 0 || cp.VerifierKey == "" {
		return nil
	}
	cmd := "trustmark verify --log " + shellWord(h.absoluteURL(r, "/log")) + " --key " + shellWord(cp.VerifierKey) + " --cert " + shellWord(number)
	return &LogCheck{
		Checkpoint: fmt.Sprintf(t.Portal.LogCheckpoint, cp.Origin, formatCount(int64(cp.Size), t), base64.StdEncoding.EncodeToString(cp.Root)),
		How:        t.Portal.LogCheckHow,
		Command:    cmd,
	}
}

// shellWord quotes s for a POSIX shell when it has anything beyond the
// characters of URLs, keys and certificate numbers.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
