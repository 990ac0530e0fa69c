package logclient

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"trustmark/translog"
)

// HTTPWitnesses is translog.WitnessTransport over HTTP: each add-checkpoint
// request is a POST to the witness's URL, as C2SP tlog-witness specifies.
// The log's side of the protocol (which size to prove from, what each
// answer means) is translog's.
type HTTPWitnesses struct {
	// Client sends the requests; nil is http.DefaultClient. Rounds of
	// witnessing are bounded by the context (translog.Options.WitnessTimeout),
	// so it needs no timeout of its own.
	Client *http.Client
}

var _ translog.WitnessTransport = HTTPWitnesses{}

// maxAnswer bounds a witness's answer: cosignature lines, or a size.
const maxAnswer = 64 << 10

// AddCheckpoint implements translog.WitnessTransport.
func (h HTTPWitnesses) AddCheckpoint(ctx context.Context, url string, body []byte) (*translog.WitnessAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, err
	}
	return &translog.WitnessAnswer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: text}, nil
}
