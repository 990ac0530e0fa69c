package filelog

import (
	"context"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	tmhttp "trustmark/http"
	"trustmark/translog"
)

// FastHandler is Handler on fasthttp: POST /add handled natively, every
// other request (checkpoint, tiles) passed to the log's net/http read API.
// It exists for the bench's log server, where net/http's own cost per
// request (a background read, deadlines, header maps: about half of the
// server's CPU per append in profiles) would otherwise be most of what is
// measured. The engine behind both front ends is the same.
func (a *Appender) FastHandler() fasthttp.RequestHandler {
	reads := fasthttpadaptor.NewFastHTTPHandler(tmhttp.LogHandler(a.log))
	ctx := context.Background()
	return func(c *fasthttp.RequestCtx) {
		if string(c.Path()) != "/add" {
			reads(c)
			return
		}
		if !c.IsPost() {
			c.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
			return
		}
		// The body stays valid until this handler returns, and Add
		// returns only once the entry is written: no copy needed.
		b := c.PostBody()
		if len(b) > translog.MaxEntrySize {
			c.Error("entry too large", fasthttp.StatusBadRequest)
			return
		}
		status, body := a.addAnswer(a.Add(ctx, b))
		c.SetStatusCode(status)
		if status == fasthttp.StatusServiceUnavailable {
			c.Response.Header.Set("Retry-After", "1")
		}
		c.SetContentType("text/plain")
		c.SetBody(body)
	}
}
